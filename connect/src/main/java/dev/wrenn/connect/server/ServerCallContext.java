package dev.wrenn.connect.server;

import com.sun.net.httpserver.Headers;
import dev.wrenn.connect.CallContext;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's view of one call: request headers, deadline, cancellation and the response headers to send. */
final class ServerCallContext implements CallContext {
    private static final Logger log = LoggerFactory.getLogger(ServerCallContext.class);

    private final String procedure;
    private final Map<String, List<String>> requestHeaders;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private final List<Runnable> cancelActions = new ArrayList<>();
    private volatile Instant deadline;
    private boolean responseCommitted;
    private Code cancelReason;

    ServerCallContext(String procedure, Map<String, List<String>> requestHeaders) {
        this.procedure = procedure;
        this.requestHeaders = requestHeaders;
    }

    /** {@code service/method}, for messages and logs. */
    String procedure() {
        return procedure;
    }

    void setDeadline(Instant deadline) {
        this.deadline = deadline;
    }

    @Override
    public Map<String, List<String>> requestHeaders() {
        return requestHeaders;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelReason != null;
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (this) {
            if (cancelReason == null) {
                cancelActions.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    /** Marks the call cancelled ({@code canceled} or {@code deadline_exceeded}) and runs the actions, once. */
    void cancel(Code reason) {
        List<Runnable> actions;
        synchronized (this) {
            if (cancelReason != null) {
                return;
            }
            cancelReason = reason;
            actions = List.copyOf(cancelActions);
            cancelActions.clear();
        }
        log.debug("call {} cancelled: {}", procedure, reason.wireName());
        actions.forEach(this::runQuietly);
    }

    /** The error a cancelled call reports to code still waiting on it. */
    synchronized ConnectException cancellationError() {
        return cancelReason == Code.DEADLINE_EXCEEDED
                ? new ConnectException(Code.DEADLINE_EXCEEDED, ConnectException.DEADLINE_MESSAGE)
                : new ConnectException(Code.CANCELED, procedure + " was cancelled: the client went away");
    }

    @Override
    public synchronized void setResponseHeader(String name, String value) {
        if (responseCommitted) {
            log.debug("response header {} set after the response of {} started; ignored", name, procedure);
            return;
        }
        responseHeaders.put(name, value);
    }

    /** Copies the handler's response headers into {@code target}; later ones are ignored. */
    synchronized void commitResponseHeaders(Headers target) {
        responseCommitted = true;
        responseHeaders.forEach(target::set);
    }

    private void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("cancel action of {} failed", procedure, e);
        }
    }
}
