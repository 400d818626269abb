package dev.wrenn.guest.http.server;

import java.nio.charset.StandardCharsets;

/** Protocol text (heads, chunk sizes) is ISO-8859-1 on the wire. */
final class Ascii {
    private Ascii() {}

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
