package dev.wrenn.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SlotRangeTest {

    @Test
    void aRangeOwnsOnlyTheNamesOfItsOwnSlots() {
        SlotRange range = new SlotRange(200, 4);

        assertThat(range.owns("wrenn-ns-200", Slot.NETNS_PREFIX)).isTrue();
        assertThat(range.owns("wrenn-v203", Slot.VETH_PREFIX)).isTrue();
        assertThat(range.owns("wrenn-ns-204", Slot.NETNS_PREFIX)).isFalse();
        assertThat(range.owns("wrenn-ns-1", Slot.NETNS_PREFIX)).isFalse();
        assertThat(range.owns("wrenn-ns-20x", Slot.NETNS_PREFIX)).isFalse();
        assertThat(range.owns("wrenn-vbr0", Slot.VETH_PREFIX)).isFalse();
    }

    @Test
    void anAllocatorHandsOutSlotsOfItsRangeOnly() {
        SlotAllocator allocator = new SlotAllocator(new SlotRange(200, 2));

        assertThat(allocator.allocate().index()).isEqualTo(200);
        assertThat(allocator.allocate().index()).isEqualTo(201);
        assertThatThrownBy(allocator::allocate).hasMessageContaining("all 2 of this host are in use");
    }

    @Test
    void aRangeMustFitTheAddressPlan() {
        assertThatThrownBy(() -> new SlotRange(0, 1)).hasMessageContaining("outside 1..32767");
        assertThatThrownBy(() -> new SlotRange(32_767, 2)).hasMessageContaining("slot range 32767..32768");
    }
}
