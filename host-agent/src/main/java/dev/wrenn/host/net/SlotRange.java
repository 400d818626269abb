package dev.wrenn.host.net;

import java.util.OptionalInt;

/**
 * The slot indices one host agent owns. Allocation stays inside it and the start sweep reclaims only names inside
 * it, so two agents on one machine (with their own data directories) cannot take each other's networks.
 */
public record SlotRange(int first, int count) {
    public static final SlotRange ALL = new SlotRange(1, Slot.MAX_INDEX);

    public SlotRange {
        if (first < 1 || count < 1 || (long) first + count - 1 > Slot.MAX_INDEX) {
            throw new IllegalArgumentException(
                    "slot range %d..%d is outside 1..%d".formatted(first, (long) first + count - 1, Slot.MAX_INDEX));
        }
    }

    public int last() {
        return first + count - 1;
    }

    public boolean contains(int index) {
        return index >= first && index <= last();
    }

    /** Whether {@code name} is {@code prefix} followed by the index of a slot in this range. */
    public boolean owns(String name, String prefix) {
        OptionalInt index = indexIn(name, prefix);
        return index.isPresent() && contains(index.getAsInt());
    }

    private static OptionalInt indexIn(String name, String prefix) {
        if (!name.startsWith(prefix) || !name.substring(prefix.length()).matches("\\d{1,5}")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(name.substring(prefix.length())));
    }
}
