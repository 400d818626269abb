package dev.wrenn.control.quota;

import dev.wrenn.control.error.ApiException;

/** What an administrator sets for a team; a field left out ({@code null}) takes the configured default. */
public record QuotaRequest(
        Integer running, Integer vcpus, Integer memoryMb, Integer diskMb, Integer paused, Integer templates) {
    static final QuotaRequest NONE = new QuotaRequest(null, null, null, null, null, null);

    QuotaRequest checked() {
        Integer[] values = {running, vcpus, memoryMb, diskMb, paused, templates};
        for (Integer value : values) {
            if (value != null && value < 0) {
                throw ApiException.invalid("quotas must be 0 or more (got " + value + ")");
            }
        }
        return this;
    }
}
