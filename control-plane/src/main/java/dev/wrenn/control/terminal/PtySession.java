package dev.wrenn.control.terminal;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.terminal.PtyFrames.ClientFrame;
import dev.wrenn.control.terminal.PtyFrames.ServerFrame;
import dev.wrenn.protocol.hostagent.v1.PtyStartRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal connection. Frames are handled on the thread Jetty delivers them on, one at a time, so input and
 * resizes reach the shell in the order the client sent them; the start frame returns only once the shell runs, so
 * no input can arrive before there is a process to take it. The shell's output is relayed on a virtual thread. When
 * the client goes away, the shell is killed.
 */
final class PtySession {
    static final int NORMAL = 1000;
    static final int POLICY_VIOLATION = 1008;
    static final int SERVER_ERROR = 1011;
    /** A login shell as the sandbox's default user, so the user's profile and PATH apply. */
    static final String SHELL = "/bin/bash";

    private static final Logger LOG = LoggerFactory.getLogger(PtySession.class);

    private enum Phase {
        AWAIT_AUTH,
        AWAIT_START,
        RUNNING,
        ENDED
    }

    private final Session session;
    private final String sandboxId;
    private final Authenticator auth;
    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;
    private final Object sendLock = new Object();
    private Phase phase;
    private Principal caller;
    private Sandbox sandbox;
    private Stream<PtyStartResponse> events;
    private int pid;

    PtySession(
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

    void onFrame(String text) {
        try {
            ClientFrame frame = PtyFrames.parse(text);
            switch (phase()) {
                case AWAIT_AUTH -> authenticate(frame);
                case AWAIT_START -> start(frame);
                case RUNNING -> apply(frame);
                case ENDED -> {}
            }
        } catch (ApiException e) {
            if (phase() != Phase.ENDED) {
                fail(e.getMessage(), e.code().httpStatus() >= 500 ? SERVER_ERROR : POLICY_VIOLATION);
            }
        }
    }

    /** The client closed the connection or it broke: the shell must not run on unobserved. */
    void onGone() {
        end();
    }

    void onAuthDeadline() {
        if (phase() == Phase.AWAIT_AUTH) {
            fail("no {\"type\":\"auth\"} frame within " + PtySocket.AUTH_DEADLINE.toSeconds() + " s", POLICY_VIOLATION);
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
            throw ApiException.invalid("the terminal is not started yet: send {\"type\":\"start\",\"cols\",\"rows\"}");
        }
        Sandbox running = sandboxes.requireRunning(caller.teamId(), sandboxId);
        Stream<PtyStartResponse> stream = hostAgent.ptyStart(PtyStartRequest.newBuilder()
                .setSandboxId(running.id())
                .setCmd(SHELL)
                .addArgs("-l")
                .putAllEnvs(Map.of("TERM", "xterm-256color"))
                .setCols(frame.checkedCols())
                .setRows(frame.checkedRows())
                .build());
        Iterator<PtyStartResponse> it = stream.iterator();
        PtyStartResponse first = it.hasNext() ? it.next() : PtyStartResponse.getDefaultInstance();
        if (!first.hasStarted()) {
            stream.close();
            throw new ApiException(
                    ErrorCode.AGENT_ERROR,
                    "starting a terminal in sandbox " + running.id() + ": the host agent did not report a start");
        }
        if (!attach(running, stream, first.getStarted().getPid())) {
            return;
        }
        sandboxes.touch(running);
        send(PtyFrames.of(first));
        Thread.ofVirtual().name("pty-" + running.id() + "-" + pid).start(() -> relay(it));
    }

    /** Publishes the running shell so that a close can kill it; false (and the shell killed) if a close came first. */
    private boolean attach(Sandbox running, Stream<PtyStartResponse> stream, int startedPid) {
        synchronized (this) {
            if (phase == Phase.AWAIT_START) {
                sandbox = running;
                events = stream;
                pid = startedPid;
                phase = Phase.RUNNING;
                return true;
            }
        }
        kill(running.id(), startedPid, stream);
        return false;
    }

    private void apply(ClientFrame frame) {
        switch (frame.type()) {
            case "input" -> hostAgent.ptyInput(sandbox.id(), pid, frame.bytes());
            case "resize" -> hostAgent.ptyResize(sandbox.id(), pid, frame.checkedCols(), frame.checkedRows());
            default -> {} // ping and frame types of later versions
        }
    }

    private void relay(Iterator<PtyStartResponse> it) {
        try {
            while (it.hasNext()) {
                PtyStartResponse event = it.next();
                send(PtyFrames.of(event));
                if (event.hasExit()) {
                    finish();
                    return;
                }
            }
            if (phase() == Phase.RUNNING) {
                fail("the terminal in sandbox " + sandboxId + " ended without an exit status", SERVER_ERROR);
            }
        } catch (ApiException e) {
            if (phase() == Phase.RUNNING) {
                fail(e.getMessage(), SERVER_ERROR);
            }
        } catch (RuntimeException e) {
            LOG.warn("terminal in sandbox {} failed", sandboxId, e);
            fail("the terminal in sandbox " + sandboxId + " failed: " + e.getMessage(), SERVER_ERROR);
        }
    }

    /** The shell exited: close normally; nothing left to kill. */
    private void finish() {
        synchronized (this) {
            if (phase == Phase.ENDED) {
                return;
            }
            phase = Phase.ENDED;
            events = null;
        }
        session.close(NORMAL, "exited", Callback.NOOP);
    }

    private void end() {
        Stream<PtyStartResponse> running;
        int runningPid;
        synchronized (this) {
            phase = Phase.ENDED;
            running = events;
            runningPid = pid;
            events = null;
        }
        if (running != null) {
            kill(sandbox.id(), runningPid, running);
        }
    }

    /** PtyKill first (the shell and its process group), then cancel the stream, which the host agent also takes as a kill. */
    private void kill(String id, int shellPid, Stream<PtyStartResponse> stream) {
        try {
            hostAgent.ptyKill(id, shellPid);
        } catch (ApiException e) {
            LOG.debug("killing terminal {} in sandbox {}: {}", shellPid, id, e.getMessage());
        } finally {
            stream.close();
        }
    }

    private void fail(String message, int closeCode) {
        if (phase() == Phase.ENDED) {
            return;
        }
        send(ServerFrame.error(message));
        end();
        session.close(closeCode, closeReason(message), Callback.NOOP);
    }

    /** One frame at a time (Jetty refuses concurrent writes), waiting until it is taken: order is kept. */
    private void send(ServerFrame frame) {
        synchronized (sendLock) {
            if (!session.isOpen()) {
                return;
            }
            Callback.Completable sent = new Callback.Completable();
            session.sendText(PtyFrames.toJson(frame), sent);
            try {
                sent.get();
            } catch (ExecutionException e) {
                LOG.debug(
                        "terminal frame to a closed connection dropped: {}",
                        e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized Phase phase() {
        return phase;
    }

    /** Close reasons are limited to 123 bytes; the error frame carries the whole message. */
    private static String closeReason(String message) {
        return message.length() <= 40 ? message : message.substring(0, 40);
    }
}
