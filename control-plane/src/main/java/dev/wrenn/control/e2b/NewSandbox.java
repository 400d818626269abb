package dev.wrenn.control.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.sandboxes.NetworkRules;
import dev.wrenn.control.sandboxes.SandboxSpec;
import java.util.Map;

/** E2B's create body ({@code NewSandbox} / {@code NewSandboxV2}), the fields Wrenn honours. */
record NewSandbox(
        String templateId,
        int timeoutSec,
        Map<String, String> metadata,
        Map<String, String> envVars,
        boolean autoPause,
        NetworkRules network) {
    static final int DEFAULT_TIMEOUT_SEC = 300;

    static NewSandbox from(JsonNode body) {
        String template = E2bJson.optionalString(body, "templateID");
        Integer timeout = E2bJson.optionalInt(body, "timeout");
        Boolean autoPause = E2bJson.optionalBoolean(body, "autoPause");
        // E2B: only relevant when autoPause is true; then false asks for a filesystem-only pause at the timeout.
        if (Boolean.TRUE.equals(autoPause) && Boolean.FALSE.equals(E2bJson.optionalBoolean(body, "autoPauseMemory"))) {
            throw FilesystemOnlyPause.unsupported("autoPauseMemory");
        }
        return new NewSandbox(
                template == null ? SandboxSpec.DEFAULT_TEMPLATE : template,
                checkedTimeout(timeout == null ? DEFAULT_TIMEOUT_SEC : timeout),
                E2bJson.stringMap(body, "metadata"),
                E2bJson.stringMap(body, "envVars"),
                autoPause != null && autoPause,
                E2bNetwork.fromCreate(body));
    }

    /** A sandbox lives at most a day; E2B's own limit depends on the plan. */
    static int checkedTimeout(int seconds) {
        if (seconds < 0 || seconds > SandboxSpec.MAX_TIMEOUT_SEC) {
            throw ApiException.invalid(
                    "timeout must be between 0 and " + SandboxSpec.MAX_TIMEOUT_SEC + " seconds (got " + seconds + ")");
        }
        return seconds;
    }
}
