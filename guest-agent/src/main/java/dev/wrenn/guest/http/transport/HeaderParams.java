package dev.wrenn.guest.http.transport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A header value of the form {@code type; name=value; name="quoted \" value"} (Content-Type,
 * Content-Disposition). Parameter names are lower-cased; an RFC 5987 {@code name*=utf-8''...} value replaces the
 * plain one.
 */
public record HeaderParams(String value, Map<String, String> params) {

    public static HeaderParams parse(String header) {
        int semicolon = indexOfUnquoted(header, 0);
        String value = header.substring(0, semicolon).trim().toLowerCase(Locale.ROOT);
        Map<String, String> params = new HashMap<>();
        int start = semicolon + 1;
        while (start < header.length()) {
            int end = indexOfUnquoted(header, start);
            addParam(params, header.substring(start, end));
            start = end + 1;
        }
        return new HeaderParams(value, Map.copyOf(params));
    }

    public String param(String name) {
        return params.get(name);
    }

    private static void addParam(Map<String, String> params, String item) {
        int eq = item.indexOf('=');
        if (eq < 0) {
            return;
        }
        String name = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String raw = item.substring(eq + 1).trim();
        if (name.endsWith("*")) {
            params.put(name.substring(0, name.length() - 1), decodeExtended(raw));
        } else {
            params.putIfAbsent(name, unquote(raw));
        }
    }

    private static int indexOfUnquoted(String text, int from) {
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                return i;
            }
        }
        return text.length();
    }

    private static String unquote(String raw) {
        if (raw.length() < 2 || !raw.startsWith("\"") || !raw.endsWith("\"")) {
            return raw;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() - 1) {
                c = raw.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** RFC 5987: charset'language'percent-encoded; only UTF-8 is meaningful today. */
    private static String decodeExtended(String raw) {
        int second = raw.indexOf('\'', raw.indexOf('\'') + 1);
        String encoded = second < 0 ? raw : raw.substring(second + 1);
        try {
            return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("malformed extended header parameter '" + raw + "'");
        }
    }
}
