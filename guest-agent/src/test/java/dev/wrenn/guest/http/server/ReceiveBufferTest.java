package dev.wrenn.guest.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReceiveBufferTest {
    @Test
    void aFixedBufferIsUsedOnlyWhereTheKernelAllowsItsFullSize() {
        assertThat(ReceiveBuffer.allowed(212_992))
                .as("Debian's default rmem_max")
                .isFalse();
        assertThat(ReceiveBuffer.allowed(-1)).as("rmem_max unreadable").isFalse();
        assertThat(ReceiveBuffer.allowed(ReceiveBuffer.BYTES)).isTrue();
        assertThat(ReceiveBuffer.allowed(32L << 20)).isTrue();
    }
}
