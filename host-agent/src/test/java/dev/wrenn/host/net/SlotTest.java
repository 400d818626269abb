package dev.wrenn.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlotTest {

    @Test
    void slotOneHasTheAddressesOfTheNotes() {
        Slot slot = new Slot(1);

        assertThat(slot.netns()).isEqualTo("wrenn-ns-1");
        assertThat(slot.veth()).isEqualTo("wrenn-v1");
        assertThat(slot.vethIp()).hasToString("10.12.0.2");
        assertThat(slot.peerIp()).hasToString("10.12.0.3");
        assertThat(slot.hostIp()).hasToString("10.11.0.1");
    }

    @Test
    void addressesCarryIntoTheNextOctet() {
        Slot slot = new Slot(300);

        assertThat(slot.vethIp()).hasToString("10.12.2.88");
        assertThat(slot.peerIp()).hasToString("10.12.2.89");
        assertThat(slot.hostIp()).hasToString("10.11.1.44");
        assertThat(new Slot(Slot.MAX_INDEX).peerIp()).hasToString("10.12.255.255");
    }

    @Test
    void interfaceNamesFitTheKernelsFifteenCharacters() {
        assertThat(new Slot(Slot.MAX_INDEX).veth().length()).isLessThanOrEqualTo(15);
    }

    @Test
    void indexesOutsideTheAddressRangeAreRejected() {
        assertThatThrownBy(() -> new Slot(0)).hasMessageContaining("1..32767");
        assertThatThrownBy(() -> new Slot(Slot.MAX_INDEX + 1)).hasMessageContaining("1..32767");
    }

    @Test
    void theAllocatorHandsOutTheLowestFreeIndexAndReusesReleasedOnes() {
        SlotAllocator allocator = new SlotAllocator();
        Slot first = allocator.allocate();
        Slot second = allocator.allocate();
        allocator.allocate();

        allocator.release(second);

        assertThat(first.index()).isEqualTo(1);
        assertThat(allocator.allocate().index()).isEqualTo(2);
        assertThat(allocator.allocate().index()).isEqualTo(4);
    }

    @Test
    void aFullAllocatorSaysSo() {
        SlotAllocator allocator = new SlotAllocator(2);
        allocator.allocate();
        allocator.allocate();

        assertThatThrownBy(allocator::allocate).hasMessageContaining("all 2 of this host are in use");
    }

    @Test
    void concurrentAllocationsNeverShareASlot() throws Exception {
        SlotAllocator allocator = new SlotAllocator();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        var threads = IntStream.range(0, 200)
                .mapToObj(i -> Thread.ofVirtual()
                        .start(() -> seen.add(allocator.allocate().index())))
                .toList();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(seen).hasSize(200);
        assertThat(seen).allMatch(index -> index >= 1 && index <= 200);
        assertThat(allocator.inUse()).isEqualTo(200);
    }

    @Test
    void aReservedSlotIsNotHandedOut() {
        SlotAllocator allocator = new SlotAllocator();
        allocator.reserve(new Slot(1));

        assertThat(allocator.allocate().index()).isEqualTo(2);
        assertThatThrownBy(() -> allocator.reserve(new Slot(2))).hasMessageContaining("slot 2 is in use");
    }

    @Test
    void ipv4AddressesRoundTripThroughText() {
        assertThat(Ipv4.parse("169.254.0.21")).hasToString("169.254.0.21");
        assertThat(Ipv4.parse("10.11.0.255").plus(1)).hasToString("10.11.1.0");
        assertThatThrownBy(() -> Ipv4.parse("10.0.0.256")).hasMessageContaining("10.0.0.256");
    }
}
