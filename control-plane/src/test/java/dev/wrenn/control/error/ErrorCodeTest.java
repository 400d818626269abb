package dev.wrenn.control.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void eachCodeHasTheOriginalSystemsNameAndStatus() {
        Map<String, Integer> expected = Map.ofEntries(
                Map.entry("invalid_request", 400),
                Map.entry("unauthorized", 401),
                Map.entry("forbidden", 403),
                Map.entry("signup_closed", 403),
                Map.entry("invalid_invite", 403),
                Map.entry("not_found", 404),
                Map.entry("conflict", 409),
                Map.entry("invalid_state", 409),
                Map.entry("already_exists", 409),
                Map.entry("email_taken", 409),
                Map.entry("too_large", 413),
                Map.entry("quota_exceeded", 429),
                Map.entry("rate_limited", 429),
                Map.entry("busy", 503),
                Map.entry("internal_error", 500),
                Map.entry("agent_error", 502));
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.httpStatus()).as(code.wireName()).isEqualTo(expected.get(code.wireName()));
        }
        assertThat(ErrorCode.values()).hasSize(expected.size());
    }
}
