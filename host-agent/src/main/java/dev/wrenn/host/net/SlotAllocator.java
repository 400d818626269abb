package dev.wrenn.host.net;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.util.BitSet;

/** Hands out the lowest free slot index, so addresses are reused and stay small. Thread-safe. */
public final class SlotAllocator {
    private final int maxIndex;
    private final BitSet used = new BitSet();

    public SlotAllocator() {
        this(Slot.MAX_INDEX);
    }

    public SlotAllocator(int maxIndex) {
        if (maxIndex < 1 || maxIndex > Slot.MAX_INDEX) {
            throw new IllegalArgumentException("maxIndex must be in 1.." + Slot.MAX_INDEX);
        }
        this.maxIndex = maxIndex;
    }

    public synchronized Slot allocate() {
        int index = used.nextClearBit(1);
        if (index > maxIndex) {
            throw new HostAgentException(
                    ErrorCode.RESOURCE_EXHAUSTED, "allocating a network slot: all " + maxIndex + " are in use");
        }
        used.set(index);
        return new Slot(index);
    }

    /** Marks a slot taken, e.g. for a sandbox found running at start. */
    public synchronized void reserve(Slot slot) {
        if (used.get(slot.index())) {
            throw new HostAgentException(ErrorCode.ALREADY_EXISTS, "network slot " + slot.index() + " is in use");
        }
        used.set(slot.index());
    }

    public synchronized void release(Slot slot) {
        used.clear(slot.index());
    }

    public synchronized int inUse() {
        return used.cardinality();
    }
}
