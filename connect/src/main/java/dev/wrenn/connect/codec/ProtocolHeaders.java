package dev.wrenn.connect.codec;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** The Connect protocol's request headers and the format of their values. */
public final class ProtocolHeaders {
    public static final String PROTOCOL_VERSION = "Connect-Protocol-Version";
    public static final String TIMEOUT_MS = "Connect-Timeout-Ms";
    /** Compression of a unary body. */
    public static final String CONTENT_ENCODING = "Content-Encoding";
    /** Compression of streamed envelopes. */
    public static final String STREAM_CONTENT_ENCODING = "Connect-Content-Encoding";

    public static final String SUPPORTED_PROTOCOL_VERSION = "1";

    private static final Pattern TIMEOUT_VALUE = Pattern.compile("[0-9]{1,10}");
    private static final long MAX_TIMEOUT_MS = 9_999_999_999L;

    private ProtocolHeaders() {}

    /**
     * Parses a {@code Connect-Timeout-Ms} value: 1 to 10 ASCII digits.
     *
     * @throws ConnectException {@code invalid_argument} for anything else
     */
    public static Duration parseTimeout(String value) {
        if (!TIMEOUT_VALUE.matcher(value).matches()) {
            throw ConnectException.invalidArgument(
                    "invalid " + TIMEOUT_MS + " header '" + value + "': expected 1 to 10 digits (milliseconds)");
        }
        return Duration.ofMillis(Long.parseLong(value));
    }

    /** Formats a timeout for {@code Connect-Timeout-Ms}, rounding sub-millisecond parts up and clamping to range. */
    public static String formatTimeout(Duration timeout) {
        long millis = timeout.isNegative() ? 0 : timeout.plusNanos(999_999).toMillis();
        return Long.toString(Math.min(millis, MAX_TIMEOUT_MS));
    }

    /**
     * Checks a {@code Connect-Protocol-Version} value; an absent header is accepted (some clients omit it).
     *
     * @throws ConnectException {@code invalid_argument} for a version other than 1
     */
    public static void checkProtocolVersion(Optional<String> value) {
        if (value.isPresent() && !value.get().strip().equals(SUPPORTED_PROTOCOL_VERSION)) {
            throw ConnectException.invalidArgument("unsupported " + PROTOCOL_VERSION + " '" + value.get()
                    + "': this server speaks version " + SUPPORTED_PROTOCOL_VERSION);
        }
    }

    /**
     * Checks a compression header: only identity (no compression) is supported.
     *
     * @throws ConnectException {@code unimplemented} for any other encoding
     */
    public static void checkIdentityEncoding(String header, Optional<String> value) {
        if (value.isPresent() && !value.get().isBlank() && !value.get().strip().equalsIgnoreCase("identity")) {
            throw new ConnectException(
                    Code.UNIMPLEMENTED,
                    "unsupported " + header + " '" + value.get() + "': this server does not compress (identity only)");
        }
    }
}
