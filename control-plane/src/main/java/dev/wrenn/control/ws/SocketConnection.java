package dev.wrenn.control.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.api.StreamLimits;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.ws.AuthenticatedSocket.Frame;
import dev.wrenn.control.ws.AuthenticatedSocket.Protocol;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of an {@link AuthenticatedSocket}: waits for credentials (unless the upgrade carried them), hands
 * its frames to its protocol, and ends once: by the protocol's work ending ({@link #finish}), by a failure
 * ({@link #fail}), by a stop ({@link #close}) or by the client going away. Whatever the protocol runs for the
 * connection is registered with {@link #attach} so that an end other than its own stops it: nothing runs on
 * unobserved.
 */
public final class SocketConnection<F extends Frame> {
    public static final int NORMAL = 1000;
    public static final int POLICY_VIOLATION = 1008;
    public static final int SERVER_ERROR = 1011;
    private static final Logger LOG = LoggerFactory.getLogger(SocketConnection.class);
    private static final ObjectMapper JSON = JsonBodies.newMapper();

    private enum Phase {
        AWAIT_AUTH,
        AWAIT_START,
        RUNNING,
        ENDED
    }

    /** The error frame, alike on every socket: {@code {"type":"error","data":...}}. */
    private record ErrorFrame(String type, String data) {}

    private final Session session;
    private final String sandboxId;
    private final AuthenticatedSocket<F> socket;
    private final Protocol<F> protocol;
    private final Object sendLock = new Object();
    private Phase phase;
    private Principal caller;
    private Runnable stop;
    /** The caller's share of its stream limits, given back when the connection ends. */
    private StreamLimits.Lease lease;

    SocketConnection(Session session, String sandboxId, Principal authenticated, AuthenticatedSocket<F> socket) {
        this.session = session;
        this.sandboxId = sandboxId;
        this.socket = socket;
        this.caller = authenticated;
        this.phase = authenticated == null ? Phase.AWAIT_AUTH : Phase.AWAIT_START;
        this.protocol = socket.protocolFor(this);
    }

    public String sandboxId() {
        return sandboxId;
    }

    /** Known from the protocol's {@link Protocol#start} on. */
    public synchronized Principal caller() {
        return caller;
    }

    /** Marks the connection running, so that later frames go to {@link Protocol#onFrame}; false if it has ended. */
    public synchronized boolean begin() {
        if (phase != Phase.AWAIT_START) {
            return false;
        }
        phase = Phase.RUNNING;
        return true;
    }

    /**
     * Registers how to stop what runs for the connection (cancel a call, kill a process) if it ends otherwise than by
     * {@link #finish}; false, and nothing registered, if it has already ended: the caller then stops it itself.
     */
    public synchronized boolean attach(Runnable stopIt) {
        if (phase != Phase.RUNNING) {
            return false;
        }
        stop = stopIt;
        return true;
    }

    /** The protocol's work ended by itself: close, with nothing left to stop. */
    public void finish(int code, String reason) {
        synchronized (this) {
            if (phase == Phase.ENDED) {
                return;
            }
            phase = Phase.ENDED;
            stop = null;
        }
        session.close(code, reason, Callback.NOOP);
    }

    /** Stops what runs for the connection and closes it, as the client asked. */
    public void close(int code, String reason) {
        end();
        session.close(code, reason, Callback.NOOP);
    }

    /** Sends an error frame with the whole message, stops what runs, and closes; nothing once the connection ended. */
    public void fail(String message, int closeCode) {
        if (phase() == Phase.ENDED) {
            return;
        }
        send(errorFrame(message));
        end();
        session.close(closeCode, closeReason(message), Callback.NOOP);
    }

    /** One frame at a time (Jetty refuses concurrent writes), waiting until it is taken: order is kept, and a slow client slows the sender. */
    public void send(String json) {
        synchronized (sendLock) {
            if (!session.isOpen()) {
                return;
            }
            Callback.Completable sent = new Callback.Completable();
            session.sendText(json, sent);
            try {
                sent.get();
            } catch (ExecutionException e) {
                LOG.debug(
                        "frame on {} to a closed connection dropped: {}",
                        socket.path(),
                        e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void onFrame(String text) {
        try {
            F frame = socket.parse(text);
            switch (phase()) {
                case AWAIT_AUTH -> authenticate(frame);
                case AWAIT_START -> protocol.start(frame);
                case RUNNING -> protocol.onFrame(frame);
                case ENDED -> {}
            }
        } catch (ApiException e) {
            fail(e.getMessage(), e.code().httpStatus() >= 500 ? SERVER_ERROR : POLICY_VIOLATION);
        }
    }

    /** The client went away or the connection broke: what runs for it must not run on unobserved. */
    void onGone() {
        end();
    }

    /** Ends a connection that never authenticated, so idle sockets cannot pile up. */
    void onAuthDeadline() {
        if (phase() == Phase.AWAIT_AUTH) {
            fail(socket.authDeadlineMessage(), POLICY_VIOLATION);
        }
    }

    private void authenticate(F frame) {
        Principal who = socket.authenticate(frame, sandboxId, remoteAddress());
        StreamLimits.Lease taken = socket.lease(who);
        synchronized (this) {
            caller = who;
            lease = taken;
            phase = phase == Phase.ENDED ? Phase.ENDED : Phase.AWAIT_START;
        }
        if (phase() == Phase.ENDED) {
            taken.close(); // the connection went away while it authenticated
        }
    }

    /** For a caller known from the upgrade: takes its share, or fails the connection past the limit. */
    void holdLease(Principal who) {
        try {
            StreamLimits.Lease taken = socket.lease(who);
            synchronized (this) {
                lease = taken;
            }
            if (phase() == Phase.ENDED) {
                taken.close();
            }
        } catch (ApiException e) {
            fail(e.getMessage(), POLICY_VIOLATION);
        }
    }

    private String remoteAddress() {
        return session.getRemoteSocketAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : null;
    }

    private void end() {
        Runnable running;
        StreamLimits.Lease held;
        synchronized (this) {
            phase = Phase.ENDED;
            running = stop;
            stop = null;
            held = lease;
        }
        if (held != null) {
            held.close();
        }
        if (running != null) {
            running.run();
        }
    }

    private synchronized Phase phase() {
        return phase;
    }

    private static String errorFrame(String message) {
        try {
            return JSON.writeValueAsString(new ErrorFrame("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("encoding an error frame", e);
        }
    }

    /** Close reasons are limited to 123 bytes; 40 UTF-16 units stay below that. The error frame has the whole text. */
    private static String closeReason(String message) {
        return message.length() <= 40 ? message : message.substring(0, 40);
    }
}
