package dev.wrenn.host.net;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.util.BitSet;

/** Hands out the lowest free slot index of its range, so addresses are reused and stay small. Thread-safe. */
public final class SlotAllocator {
    private final SlotRange range;
    private final BitSet used = new BitSet();

    public SlotAllocator() {
        this(SlotRange.ALL);
    }

    public SlotAllocator(int maxIndex) {
        this(new SlotRange(1, maxIndex));
    }

    public SlotAllocator(SlotRange range) {
        this.range = range;
    }

    public SlotRange range() {
        return range;
    }

    public synchronized Slot allocate() {
        int index = used.nextClearBit(range.first());
        if (index > range.last()) {
            throw new HostAgentException(
                    ErrorCode.RESOURCE_EXHAUSTED,
                    "allocating a network slot: all %d of this host are in use".formatted(range.count()));
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
