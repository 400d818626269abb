package dev.wrenn.control.audit;

import dev.wrenn.control.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * One page's request: lines in {@code [since, until)}, strictly older than {@code after} (the cursor a previous page
 * ended with), at most {@code limit} of them.
 */
public record AuditQuery(Instant since, Instant until, Cursor after, int limit) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** The position of a line in the newest-first order; opaque to clients. */
    public record Cursor(long createdAt, String id) {
        static final Cursor START = new Cursor(Long.MAX_VALUE, "");

        public String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((createdAt + "." + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int dot = plain.indexOf('.');
                return new Cursor(Long.parseLong(plain.substring(0, dot)), plain.substring(dot + 1));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw ApiException.invalid("cursor is not one this server gave out");
            }
        }

        public static Cursor of(AuditEntry entry) {
            return new Cursor(entry.createdAt().toEpochMilli(), entry.id());
        }
    }

    /** From the query parameters, each optional; a 400 names the one that is wrong. */
    public static AuditQuery parse(String since, String until, String cursor, String limit) {
        return new AuditQuery(
                time("since", since, Instant.EPOCH),
                time("until", until, Instant.ofEpochMilli(Long.MAX_VALUE)),
                cursor == null || cursor.isBlank() ? Cursor.START : Cursor.decode(cursor.strip()),
                limit(limit));
    }

    private static Instant time(String name, String value, Instant absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(
                    name + " must be an RFC 3339 time such as 2026-01-31T12:00:00Z (got '" + value + "')");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= 1 && parsed <= MAX_LIMIT) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_LIMIT + " (got '" + value + "')");
    }
}
