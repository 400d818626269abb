package dev.wrenn.guest.http.files;

import java.nio.charset.StandardCharsets;

/** Formats {@code Content-Disposition: inline} with the file name, quoting or RFC 5987-encoding it as needed. */
final class ContentDisposition {
    private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

    private ContentDisposition() {}

    static String inline(String fileName) {
        if (!fileName.isEmpty() && fileName.chars().allMatch(ContentDisposition::isTokenChar)) {
            return "inline; filename=" + fileName;
        }
        if (fileName.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return "inline; filename=\"" + fileName.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return "inline; filename*=utf-8''" + percentEncode(fileName);
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && TSPECIALS.indexOf(c) < 0;
    }

    private static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
