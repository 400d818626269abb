package dev.wrenn.guest.fs;

import dev.wrenn.connect.CallContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A call context for tests: chosen headers, and a cancel() that runs the registered cancel actions. */
public final class FakeCallContext implements CallContext {
    private final Map<String, List<String>> headers = new HashMap<>();
    private final List<Runnable> cancelActions = new ArrayList<>();
    private boolean cancelled;

    public FakeCallContext withHeader(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), List.of(value));
        return this;
    }

    @Override
    public Map<String, List<String>> requestHeaders() {
        return headers;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.empty();
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (this) {
            if (!cancelled) {
                cancelActions.add(action);
                return;
            }
        }
        action.run();
    }

    public void cancel() {
        List<Runnable> actions;
        synchronized (this) {
            cancelled = true;
            actions = List.copyOf(cancelActions);
            cancelActions.clear();
        }
        actions.forEach(Runnable::run);
    }

    @Override
    public void setResponseHeader(String name, String value) {}
}
