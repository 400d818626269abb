package dev.wrenn.control.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Values an attacker sends where an ID, a path or a field is expected. */
final class HostileValues {
    private HostileValues() {}

    /** Strings for path segments and query values (percent-encoding is applied by the caller where needed). */
    static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "",
                        " ",
                        "..",
                        "../../etc/passwd",
                        "..%2f..%2fetc%2fpasswd",
                        "%2e%2e%2f%2e%2e%2f",
                        "/etc/shadow",
                        "~root/.ssh/id_rsa",
                        "sb-00000000",
                        "sb-ffffffff",
                        "base",
                        "tpl-00000000",
                        "-1",
                        "0",
                        "9223372036854775808",
                        "1e309",
                        "NaN",
                        "null",
                        "true",
                        "%00",
                        "a%00b",
                        "%ff%fe",
                        "'; DROP TABLE sandboxes; --",
                        "\" OR 1=1 --",
                        "${jndi:ldap://127.0.0.1/a}",
                        "<script>alert(1)</script>",
                        "💥",
                        "\u202e\u0000"),
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withCharRange('a', 'z').ofLength(1500),
                Arbitraries.strings().all().ofMaxLength(12));
    }

    /** JSON values of every type, including the awkward ones. */
    static Arbitrary<String> jsonValues() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "null",
                        "true",
                        "false",
                        "0",
                        "-1",
                        "-9223372036854775809",
                        "9223372036854775808",
                        "1e309",
                        "-0.0",
                        "1.5",
                        "\"\"",
                        "[]",
                        "{}",
                        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                        "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}",
                        "\"" + "x".repeat(70_000) + "\"",
                        "\"\\u0000\"",
                        "\"\\ud800\""),
                strings().map(HostileValues::quoted),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf));
    }

    static String quoted(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static final List<String> NOT_JSON =
            List.of("{", "}", "{\"a\":", "[1,2", "not json", "{\"a\":1}{\"b\":2}", "\u0000");
}
