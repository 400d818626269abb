package dev.wrenn.connect.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    @Test
    void aMessageEnvelopeIsFlagZeroThenBigEndianLengthThenPayload() {
        byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

        byte[] wire = Envelope.message(payload).encode();

        assertThat(Arrays.copyOf(wire, 5)).containsExactly(0x00, 0x00, 0x00, 0x00, 0x07);
        assertThat(Arrays.copyOfRange(wire, 5, wire.length)).isEqualTo(payload);
    }

    @Test
    void anEndStreamEnvelopeCarriesFlagTwo() {
        byte[] wire = Envelope.endStream("{}".getBytes(StandardCharsets.UTF_8)).encode();

        assertThat(wire).containsExactly(0x02, 0, 0, 0, 2, '{', '}');
    }

    @Test
    void lengthsAboveSixteenBitsAreWrittenBigEndian() {
        byte[] wire = Envelope.message(new byte[0x012345]).encode();

        assertThat(Arrays.copyOf(wire, 5)).containsExactly(0x00, 0x00, 0x01, 0x23, 0x45);
    }

    @Test
    void theReaderReturnsEnvelopesInOrderThenEmptyAtTheEnd() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        Envelope.message(new byte[] {1, 2, 3}).writeTo(wire);
        Envelope.message(new byte[0]).writeTo(wire);
        Envelope.endStream(new byte[] {'{', '}'}).writeTo(wire);
        EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(wire.toByteArray()));

        Envelope first = reader.next().orElseThrow();
        Envelope empty = reader.next().orElseThrow();
        Envelope end = reader.next().orElseThrow();

        assertThat(first.payload()).containsExactly(1, 2, 3);
        assertThat(first.isEndStream()).isFalse();
        assertThat(empty.payload()).isEmpty();
        assertThat(end.isEndStream()).isTrue();
        assertThat(end.isCompressed()).isFalse();
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void theCompressedFlagIsReported() throws IOException {
        byte[] wire = {0x01, 0, 0, 0, 1, 42};

        Envelope envelope =
                new EnvelopeReader(new ByteArrayInputStream(wire)).next().orElseThrow();

        assertThat(envelope.isCompressed()).isTrue();
        assertThat(envelope.flags()).isEqualTo(1);
    }

    @Test
    void aStreamEndingInsideThePrefixIsATruncatedEnvelope() {
        EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(new byte[] {0, 0, 0}));

        assertThatThrownBy(reader::next)
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessageContaining("truncated envelope")
                .hasMessageContaining("prefix")
                .hasMessageContaining("expected 5 bytes, got 3");
    }

    @Test
    void aStreamEndingInsideThePayloadIsATruncatedEnvelope() {
        byte[] wire = {0, 0, 0, 0, 10, 1, 2, 3};
        EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(wire));

        assertThatThrownBy(reader::next)
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessageContaining("truncated envelope")
                .hasMessageContaining("expected 10 bytes, got 3");
    }

    @Test
    void aPayloadAboveTheLimitIsResourceExhaustedBeforeItIsRead() {
        byte[] wire = Envelope.message(new byte[101]).encode();
        EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(wire), 100);

        assertThatThrownBy(reader::next)
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED))
                .hasMessageContaining("101 bytes exceeds the maximum message size of 100 bytes");
    }

    @Test
    void aLengthAboveTwoGigabytesIsRefusedRatherThanOverflowing() {
        byte[] wire = {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        EnvelopeReader reader = new EnvelopeReader(new ByteArrayInputStream(wire));

        assertThatThrownBy(reader::next)
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED))
                .hasMessageContaining("4294967295 bytes");
    }

    @Test
    void aPayloadExactlyAtTheLimitIsAccepted() throws IOException {
        byte[] wire = Envelope.message(new byte[100]).encode();

        Envelope envelope =
                new EnvelopeReader(new ByteArrayInputStream(wire), 100).next().orElseThrow();

        assertThat(envelope.payload()).hasSize(100);
    }

    @Test
    void theReaderNeverAsksForZeroBytesSoAChunkedStreamCannotHoldAMessageBack() throws IOException {
        // The JDK server's chunked request stream blocks on a zero-length read until the next chunk arrives.
        byte[] wire = Envelope.message(new byte[] {7, 8}).encode();
        ByteArrayInputStream refusingZeroLengthReads = new ByteArrayInputStream(wire) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (len == 0) {
                    throw new AssertionError("zero-length read would block for the next chunk");
                }
                return super.read(b, off, len);
            }
        };

        Envelope envelope = new EnvelopeReader(refusingZeroLengthReads).next().orElseThrow();

        assertThat(envelope.payload()).containsExactly(7, 8);
    }
}
