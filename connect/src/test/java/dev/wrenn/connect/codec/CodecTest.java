package dev.wrenn.connect.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.StartRequest;
import org.junit.jupiter.api.Test;

class CodecTest {
    @Test
    void contentTypesNameTheCodec() {
        assertThat(Codec.json().unaryContentType()).isEqualTo("application/json");
        assertThat(Codec.json().streamContentType()).isEqualTo("application/connect+json");
        assertThat(Codec.proto().unaryContentType()).isEqualTo("application/proto");
        assertThat(Codec.proto().streamContentType()).isEqualTo("application/connect+proto");
    }

    @Test
    void contentTypesResolveIgnoringCaseAndParameters() {
        assertThat(Codec.forUnaryContentType("application/json; charset=utf-8")).contains(Codec.json());
        assertThat(Codec.forUnaryContentType("Application/Proto")).contains(Codec.proto());
        assertThat(Codec.forStreamContentType("application/connect+json")).contains(Codec.json());
        assertThat(Codec.forStreamContentType("application/json")).isEmpty();
        assertThat(Codec.forUnaryContentType("application/connect+json")).isEmpty();
        assertThat(Codec.forUnaryContentType(null)).isEmpty();
    }

    @Test
    void binaryProtobufRoundTrips() {
        StartRequest request = StartRequest.newBuilder()
                .setProcess(ProcessConfig.newBuilder()
                        .setCmd("/bin/sh")
                        .addArgs("-c")
                        .putEnvs("A", "b"))
                .build();

        assertThat(Codec.proto().decode(Codec.proto().encode(request), StartRequest.getDefaultInstance()))
                .isEqualTo(request);
    }

    @Test
    void garbageBinaryIsInvalidArgument() {
        byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

        assertThatThrownBy(() -> Codec.proto().decode(garbage, StartRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                .hasMessageContaining("cannot parse process.StartRequest from binary protobuf");
    }
}
