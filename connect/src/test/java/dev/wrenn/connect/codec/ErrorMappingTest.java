package dev.wrenn.connect.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorMappingTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anErrorBodyHasTheWireCodeAndMessage() {
        byte[] body = ErrorBody.encode(ConnectException.notFound("path /x not found"));

        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo("{\"code\":\"not_found\",\"message\":\"path /x not found\"}");
    }

    @Test
    void theCodeInTheBodyWinsOverTheHttpStatus() {
        ConnectException error =
                ErrorBody.decode(utf8("{\"code\":\"already_exists\",\"message\":\"dir exists\"}"), 409, Map.of());

        assertThat(error.code()).isEqualTo(Code.ALREADY_EXISTS);
        assertThat(error).hasMessage("dir exists");
    }

    @Test
    void withoutACodeTheHttpStatusDecides() {
        ConnectException error = ErrorBody.decode(utf8("<html>bad gateway</html>"), 502, Map.of());

        assertThat(error.code()).isEqualTo(Code.UNAVAILABLE);
        assertThat(error).hasMessage("HTTP status 502");
    }

    @Test
    void anUnknownCodeNameBecomesUnknown() {
        ConnectException error = ErrorBody.decode(utf8("{\"code\":\"on_fire\"}"), 500, Map.of());

        assertThat(error.code()).isEqualTo(Code.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource({
        "400, INTERNAL",
        "401, UNAUTHENTICATED",
        "403, PERMISSION_DENIED",
        "404, UNIMPLEMENTED",
        "429, UNAVAILABLE",
        "502, UNAVAILABLE",
        "503, UNAVAILABLE",
        "504, UNAVAILABLE",
        "500, UNKNOWN",
        "418, UNKNOWN"
    })
    void httpStatusesMapToCodesByConnectsTable(int status, Code expected) {
        assertThat(ErrorBody.decode(new byte[0], status, Map.of()).code()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "CANCELED, 499",
        "INVALID_ARGUMENT, 400",
        "DEADLINE_EXCEEDED, 504",
        "NOT_FOUND, 404",
        "ALREADY_EXISTS, 409",
        "PERMISSION_DENIED, 403",
        "RESOURCE_EXHAUSTED, 429",
        "UNIMPLEMENTED, 501",
        "INTERNAL, 500",
        "UNAVAILABLE, 503",
        "UNAUTHENTICATED, 401"
    })
    void codesMapToHttpStatusesAndWireNamesRoundTrip(Code code, int status) {
        assertThat(code.httpStatus()).isEqualTo(status);
        assertThat(Code.fromWireName(code.wireName())).contains(code);
    }

    @Test
    void aSuccessfulEndStreamIsAnEmptyObject() {
        Envelope envelope = EndStream.ok(Map.of()).toEnvelope();

        assertThat(envelope.isEndStream()).isTrue();
        assertThat(new String(envelope.payload(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void aFailedEndStreamCarriesTheErrorAndItsMetadata() {
        ConnectException error =
                new ConnectException(Code.NOT_FOUND, "process 7 not found", Map.of("k", List.of("v")), null);

        Envelope envelope = EndStream.failed(error).toEnvelope();

        assertThat(new String(envelope.payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":{\"code\":\"not_found\",\"message\":\"process 7 not found\"},"
                        + "\"metadata\":{\"k\":[\"v\"]}}");
    }

    @Test
    void anEndStreamParsesBackToTheSameErrorAndMetadata() {
        EndStream parsed = EndStream.parse(
                utf8(
                        "{\"error\":{\"code\":\"deadline_exceeded\",\"message\":\"too slow\"},\"metadata\":{\"a\":[\"1\",\"2\"]}}"));

        assertThat(parsed.metadata()).containsEntry("a", List.of("1", "2"));
        assertThat(parsed.error()).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
            assertThat(e).hasMessage("too slow");
            assertThat(e.metadata()).containsEntry("a", List.of("1", "2"));
        });
        assertThat(EndStream.parse(utf8("{}")).error()).isEmpty();
    }

    @Test
    void aMalformedEndStreamIsInternal() {
        assertThatThrownBy(() -> EndStream.parse(utf8("not json")))
                .isInstanceOfSatisfying(
                        ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INTERNAL))
                .hasMessageContaining("malformed end-stream message");
    }

    @Test
    void timeoutsAreOneToTenDigitsOfMilliseconds() {
        assertThat(ProtocolHeaders.parseTimeout("60000").toMillis()).isEqualTo(60000);
        assertThat(ProtocolHeaders.parseTimeout("9999999999").toMillis()).isEqualTo(9_999_999_999L);
        for (String bad : Arrays.asList("", "-1", "1.5", "12345678901", "10s", " 5")) {
            assertThatThrownBy(() -> ProtocolHeaders.parseTimeout(bad))
                    .as("timeout '%s'", bad)
                    .isInstanceOfSatisfying(
                            ConnectException.class, e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
                    .hasMessageContaining("Connect-Timeout-Ms");
        }
    }

    @Test
    void timeoutsAreFormattedRoundingUpAndClamped() {
        assertThat(ProtocolHeaders.formatTimeout(java.time.Duration.ofMillis(1500)))
                .isEqualTo("1500");
        assertThat(ProtocolHeaders.formatTimeout(java.time.Duration.ofNanos(1))).isEqualTo("1");
        assertThat(ProtocolHeaders.formatTimeout(java.time.Duration.ofDays(1000)))
                .isEqualTo("9999999999");
    }
}
