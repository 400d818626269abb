package dev.wrenn.guest.process;

import dev.wrenn.connect.CallContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A call context the tests control: headers, an optional deadline, and a client that can "disconnect". */
final class FakeCallContext implements CallContext {
    private final Map<String, List<String>> headers = new HashMap<>();
    private final List<Runnable> cancelActions = new ArrayList<>();
    private Instant deadline;
    private boolean cancelled;

    FakeCallContext header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), List.of(value));
        return this;
    }

    FakeCallContext user(String name) {
        String credentials = Base64.getEncoder().encodeToString((name + ":").getBytes(StandardCharsets.UTF_8));
        return header("Authorization", "Basic " + credentials);
    }

    FakeCallContext deadline(Instant when) {
        deadline = when;
        return this;
    }

    /** What the server sees when the client goes away. */
    void cancel() {
        List<Runnable> actions;
        synchronized (this) {
            cancelled = true;
            actions = List.copyOf(cancelActions);
        }
        actions.forEach(Runnable::run);
    }

    @Override
    public Map<String, List<String>> requestHeaders() {
        return headers;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelled || (deadline != null && !Instant.now().isBefore(deadline));
    }

    @Override
    public void onCancel(Runnable action) {
        boolean runNow;
        synchronized (this) {
            runNow = cancelled;
            cancelActions.add(action);
        }
        if (runNow) {
            action.run();
        }
    }

    @Override
    public void setResponseHeader(String name, String value) {}
}
