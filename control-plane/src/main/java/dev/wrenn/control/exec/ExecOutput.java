package dev.wrenn.control.exec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A command's two output streams as JSON strings: as text when both are valid UTF-8, else both in base64 (standard
 * alphabet, padded), so that one JSON answer never mixes encodings and binary output survives byte for byte.
 */
record ExecOutput(String stdout, String stderr, String encoding) {
    static final String UTF8 = "utf-8";
    static final String BASE64 = "base64";

    static ExecOutput of(byte[] stdout, byte[] stderr) {
        String out = strictUtf8(stdout);
        String err = strictUtf8(stderr);
        if (out != null && err != null) {
            return new ExecOutput(out, err, UTF8);
        }
        Base64.Encoder base64 = Base64.getEncoder();
        return new ExecOutput(base64.encodeToString(stdout), base64.encodeToString(stderr), BASE64);
    }

    /** The bytes as text, or null if they are not valid UTF-8 (the JDK's decoder would replace them silently). */
    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
