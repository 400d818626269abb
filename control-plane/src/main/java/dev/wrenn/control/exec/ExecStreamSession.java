package dev.wrenn.control.exec;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.exec.ExecFrames.ClientFrame;
import dev.wrenn.control.exec.ExecFrames.ServerFrame;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec stream connection: waits for credentials (unless the upgrade carried them) and a start frame, then
 * relays the host agent's events in order on a virtual thread until the command exits, the client sends
 * {@code stop} or the client goes away; the last two cancel the host agent's call.
 */
final class ExecStreamSession {
    static final int NORMAL = 1000;
    static final int POLICY_VIOLATION = 1008;
    static final int SERVER_ERROR = 1011;
    private static final Logger LOG = LoggerFactory.getLogger(ExecStreamSession.class);

    private enum Phase {
        AWAIT_AUTH,
        AWAIT_START,
        STREAMING,
        ENDED
    }

    private final Session session;
    private final String sandboxId;
    private final Authenticator auth;
    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;
    private Phase phase;
    private Principal caller;
    private Stream<ExecStreamResponse> events;

    ExecStreamSession(
            Session session,
            String sandboxId,
            Principal authenticated,
            Authenticator auth,
            SandboxService sandboxes,
            HostAgentClient hostAgent) {
        this.session = session;
        this.sandboxId = sandboxId;
        this.caller = authenticated;
        this.auth = auth;
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
        this.phase = authenticated == null ? Phase.AWAIT_AUTH : Phase.AWAIT_START;
    }

    /** Frames arrive one at a time (Jetty delivers a connection's messages in order, never concurrently). */
    void onFrame(String text) {
        try {
            ClientFrame frame = ExecFrames.parse(text);
            switch (phase()) {
                case AWAIT_AUTH -> authenticate(frame);
                case AWAIT_START -> start(frame);
                case STREAMING -> stopIfAsked(frame);
                case ENDED -> {}
            }
        } catch (ApiException e) {
            fail(e.getMessage(), POLICY_VIOLATION);
        }
    }

    /** The client went away or the connection broke: the command must not run on unobserved. */
    void onGone() {
        end();
    }

    /** Ends a connection that never authenticated, so idle sockets cannot pile up. */
    void onAuthDeadline() {
        if (phase() == Phase.AWAIT_AUTH) {
            fail("no {\"type\":\"auth\"} frame within the time allowed", POLICY_VIOLATION);
        }
    }

    private void authenticate(ClientFrame frame) {
        if (!frame.type().equals("auth")) {
            throw ApiException.unauthorized(
                    "authenticate first: send {\"type\":\"auth\",\"token\":\"<API key or user token>\"}");
        }
        Principal who = auth.callerFromToken(frame.token());
        sandboxes.requireRunning(who.teamId(), sandboxId);
        synchronized (this) {
            caller = who;
            phase = Phase.AWAIT_START;
        }
    }

    private void start(ClientFrame frame) {
        if (!frame.type().equals("start")) {
            throw ApiException.invalid("the first frame must be {\"type\":\"start\",\"cmd\":...}");
        }
        if (frame.cmd() == null || frame.cmd().isBlank()) {
            throw ApiException.invalid("cmd is required");
        }
        Sandbox sandbox = sandboxes.requireRunning(caller.teamId(), sandboxId);
        ExecStreamRequest request = ExecStreamRequest.newBuilder()
                .setSandboxId(sandbox.id())
                .setCmd(frame.cmd())
                .addAllArgs(frame.args() == null ? List.of() : frame.args())
                .setTimeoutSec(frame.timeoutSec() == null ? 0 : Math.max(0, frame.timeoutSec()))
                .build();
        synchronized (this) {
            phase = Phase.STREAMING;
        }
        Thread.ofVirtual().name("exec-stream-" + sandbox.id()).start(() -> relay(sandbox, request));
    }

    private void stopIfAsked(ClientFrame frame) {
        if (frame.type().equals("stop")) {
            end();
            session.close(NORMAL, "stopped", Callback.NOOP);
        }
    }

    private void relay(Sandbox sandbox, ExecStreamRequest request) {
        sandboxes.touch(sandbox);
        try (Stream<ExecStreamResponse> stream = hostAgent.execStream(request)) {
            if (!attach(stream)) {
                return;
            }
            for (Iterator<ExecStreamResponse> it = stream.iterator(); it.hasNext(); ) {
                send(ExecFrames.of(it.next()));
            }
            finish(NORMAL, "exited");
        } catch (ApiException e) {
            if (phase() == Phase.STREAMING) {
                fail(e.getMessage(), SERVER_ERROR);
            }
        } catch (RuntimeException e) {
            LOG.warn("exec stream in sandbox {} failed", sandbox.id(), e);
            fail("exec stream in sandbox " + sandbox.id() + " failed: " + e.getMessage(), SERVER_ERROR);
        } finally {
            sandboxes.touch(sandbox);
        }
    }

    /** Publishes the running call so that a stop can cancel it; false if a stop came first. */
    private synchronized boolean attach(Stream<ExecStreamResponse> stream) {
        if (phase != Phase.STREAMING) {
            return false;
        }
        events = stream;
        return true;
    }

    private void end() {
        Stream<ExecStreamResponse> running;
        synchronized (this) {
            phase = Phase.ENDED;
            running = events;
            events = null;
        }
        if (running != null) {
            running.close(); // cancels the host agent's call; the relay thread sees it end
        }
    }

    private void finish(int code, String reason) {
        synchronized (this) {
            if (phase == Phase.ENDED) {
                return;
            }
            phase = Phase.ENDED;
            events = null;
        }
        session.close(code, reason, Callback.NOOP);
    }

    private void fail(String message, int closeCode) {
        if (phase() == Phase.ENDED) {
            return;
        }
        send(ServerFrame.error(message));
        end();
        session.close(closeCode, closeReason(message), Callback.NOOP);
    }

    /** Waits until Jetty took the frame, so frames keep their order and a slow client slows the command's relay. */
    private void send(ServerFrame frame) {
        if (!session.isOpen()) {
            return;
        }
        Callback.Completable sent = new Callback.Completable();
        session.sendText(ExecFrames.toJson(frame), sent);
        try {
            sent.get();
        } catch (ExecutionException e) {
            LOG.debug(
                    "exec stream frame to a closed connection dropped: {}",
                    e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Phase phase() {
        return phase;
    }

    /** Close reasons are limited to 123 bytes; 40 UTF-16 units stay below that. The error frame has the whole text. */
    private static String closeReason(String message) {
        return message.length() <= 40 ? message : message.substring(0, 40);
    }
}
