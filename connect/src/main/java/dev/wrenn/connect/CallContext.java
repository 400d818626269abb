package dev.wrenn.connect;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a handler may know about the call besides its request message. */
public interface CallContext {
    /** Request headers, keys lower-cased. */
    Map<String, List<String>> requestHeaders();

    /** The first value of a request header (case-insensitive name), if present. */
    default Optional<String> header(String name) {
        List<String> values = requestHeaders().get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** When the call must end, from {@code Connect-Timeout-Ms}; empty when the client set no timeout. */
    Optional<Instant> deadline();

    /** True once the client has gone away or the deadline has passed. */
    boolean isCancelled();

    /** Runs {@code action} once when the call is cancelled (client gone or deadline passed); at once if already. */
    void onCancel(Runnable action);

    /** Adds a response header; only effective before the first response byte is written. */
    void setResponseHeader(String name, String value);
}
