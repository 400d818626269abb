package dev.wrenn.control.e2b;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.error.ApiException;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filters and paging of {@code GET /v2/sandboxes}. {@code metadata} arrives encoded twice over (the SDK
 * URL-encodes each key and value, joins them as a query string, and that string is encoded as the parameter's
 * value), so it is decoded as a whole and then per key and value.
 */
record ListQuery(
        Map<String, String> metadata,
        Set<String> states,
        Set<String> templates,
        Instant startedAfter,
        boolean ascending,
        int limit,
        Cursor after) {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 100;

    static ListQuery from(Context ctx) {
        return new ListQuery(
                metadata(ctx.queryParam("metadata")),
                csv(ctx.queryParam("state"), Set.of("running", "paused")),
                csv(ctx.queryParam("template"), Set.of()),
                instant(ctx.queryParam("startedAfter")),
                "asc".equals(ctx.queryParam("order")),
                limit(ctx.queryParam("limit")),
                Cursor.parse(ctx.queryParam("nextToken")));
    }

    boolean matches(Sandbox s) {
        return states.contains(E2bViews.state(s))
                && (templates.isEmpty() || templates.contains(s.template()))
                // At or after, as E2B's API: a sandbox's own startedAt fed back as the bound keeps it listed.
                && (startedAfter == null || !E2bViews.startedAt(s).isBefore(startedAfter))
                && metadata.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(s.metadata().get(e.getKey())));
    }

    /** By start time then id, so the order is total and a cursor is a position in it. */
    Comparator<Sandbox> order() {
        Comparator<Sandbox> ascendingOrder =
                Comparator.comparing(E2bViews::startedAt).thenComparing(Sandbox::id);
        return ascending ? ascendingOrder : ascendingOrder.reversed();
    }

    boolean isAfterCursor(Sandbox s) {
        if (after == null) {
            return true;
        }
        int cmp = Comparator.comparing(Cursor::startedAt)
                .thenComparing(Cursor::id)
                .compare(Cursor.of(s), after);
        return ascending ? cmp > 0 : cmp < 0;
    }

    /** Where a page ended: the last sandbox's start time and id, as an opaque token. */
    record Cursor(Instant startedAt, String id) {
        static Cursor of(Sandbox s) {
            return new Cursor(E2bViews.startedAt(s), s.id());
        }

        String token() {
            return startedAt.toEpochMilli() + "_" + id;
        }

        static Cursor parse(String token) {
            if (token == null || token.isEmpty()) {
                return null;
            }
            int split = token.indexOf('_');
            try {
                return new Cursor(
                        Instant.ofEpochMilli(Long.parseLong(token.substring(0, split))), token.substring(split + 1));
            } catch (RuntimeException e) {
                throw ApiException.invalid("nextToken '" + token + "' is not a token this server gave out");
            }
        }
    }

    static Map<String, String> metadata(String value) {
        Map<String, String> filter = new LinkedHashMap<>();
        if (value == null || value.isEmpty()) {
            return filter;
        }
        for (String pair : decode(value).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals < 0) {
                throw ApiException.invalid("metadata filter '" + pair + "' must be key=value");
            }
            filter.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
        }
        return filter;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("metadata filter is not URL-encoded correctly: " + value);
        }
    }

    private static Set<String> csv(String value, Set<String> fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return Set.copyOf(List.of(value.split(",")));
    }

    private static Instant instant(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("startedAfter must be an RFC 3339 time (got '" + value + "')");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiException.invalid("limit must be between 1 and " + MAX_LIMIT + " (got " + limit + ")");
            }
            return limit;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("limit must be a whole number (got '" + value + "')");
        }
    }
}
