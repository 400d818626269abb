package dev.wrenn.control.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExecOutputTest {

    @Test
    void validUtf8StaysTextIncludingMultiByteCharacters() {
        ExecOutput output = ExecOutput.of("ünï 🙂\n".getBytes(StandardCharsets.UTF_8), new byte[0]);

        assertThat(output).isEqualTo(new ExecOutput("ünï 🙂\n", "", "utf-8"));
    }

    @Test
    void invalidBytesInEitherStreamMakeBothBase64() {
        ExecOutput output = ExecOutput.of("ok".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xc3});

        assertThat(output).isEqualTo(new ExecOutput("b2s=", "ww==", "base64"));
    }

    @Test
    void aTruncatedMultiByteCharacterIsNotUtf8() {
        byte[] cut = {(byte) 0xf0, (byte) 0x9f, (byte) 0x99};

        assertThat(ExecOutput.of(cut, new byte[0]).encoding()).isEqualTo("base64");
    }
}
