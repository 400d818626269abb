package dev.wrenn.control.fuzz;

import java.nio.charset.StandardCharsets;

/** Percent-encodes a value for a URL; {@code keepSlashesAndDots} leaves "/" and "." raw to try traversal as sent. */
final class PercentEncoding {
    private PercentEncoding() {}

    static String encode(String value, boolean keepSlashesAndDots) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '~';
            if (unreserved || (keepSlashesAndDots && (c == '/' || c == '.')) || (!keepSlashesAndDots && c == '.')) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
