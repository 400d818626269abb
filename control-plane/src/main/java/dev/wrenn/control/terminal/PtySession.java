package dev.wrenn.control.terminal;

import static dev.wrenn.control.ws.SocketConnection.NORMAL;
import static dev.wrenn.control.ws.SocketConnection.SERVER_ERROR;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxOperation;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.terminal.PtyFrames.ClientFrame;
import dev.wrenn.control.ws.AuthenticatedSocket;
import dev.wrenn.control.ws.SocketConnection;
import dev.wrenn.protocol.hostagent.v1.PtyStartRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal connection's protocol. Frames are handled on the thread Jetty delivers them on, one at a time, so
 * input and resizes reach the shell in the order the client sent them; the start frame returns only once the shell
 * runs, so no input can arrive before there is a process to take it. The shell's output is relayed on a virtual
 * thread. When the client goes away, the shell is killed.
 */
final class PtySession implements AuthenticatedSocket.Protocol<ClientFrame> {
    /** A login shell as the sandbox's default user, so the user's profile and PATH apply. */
    static final String SHELL = "/bin/bash";

    private static final Logger LOG = LoggerFactory.getLogger(PtySession.class);

    private final SocketConnection<ClientFrame> connection;
    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;
    private Sandbox sandbox;
    private int pid;

    PtySession(SocketConnection<ClientFrame> connection, SandboxService sandboxes, HostAgentClient hostAgent) {
        this.connection = connection;
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
    }

    @Override
    public void start(ClientFrame frame) {
        if (!frame.type().equals("start")) {
            throw ApiException.invalid("the terminal is not started yet: send {\"type\":\"start\",\"cols\",\"rows\"}");
        }
        Sandbox running =
                sandboxes.require(connection.caller().teamId(), connection.sandboxId(), SandboxOperation.TERMINAL);
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
        connection.send(PtyFrames.toJson(PtyFrames.of(first)));
        Thread.ofVirtual().name("pty-" + running.id() + "-" + pid).start(() -> relay(it));
    }

    /** Publishes the running shell so that a close can kill it; false (and the shell killed) if a close came first. */
    private boolean attach(Sandbox running, Stream<PtyStartResponse> stream, int startedPid) {
        sandbox = running;
        pid = startedPid;
        Runnable killIt = () -> kill(running.id(), startedPid, stream);
        if (connection.begin() && connection.attach(killIt)) {
            return true;
        }
        killIt.run();
        return false;
    }

    @Override
    public void onFrame(ClientFrame frame) {
        switch (frame.type()) {
            case "input" -> hostAgent.ptyInput(sandbox.id(), pid, frame.bytes());
            case "resize" -> hostAgent.ptyResize(sandbox.id(), pid, frame.checkedCols(), frame.checkedRows());
            default -> {} // ping and frame types of later versions
        }
    }

    private void relay(Iterator<PtyStartResponse> it) {
        String sandboxId = connection.sandboxId();
        try {
            while (it.hasNext()) {
                PtyStartResponse event = it.next();
                connection.send(PtyFrames.toJson(PtyFrames.of(event)));
                if (event.hasExit()) {
                    connection.finish(NORMAL, "exited"); // the shell exited: nothing left to kill
                    return;
                }
            }
            connection.fail("the terminal in sandbox " + sandboxId + " ended without an exit status", SERVER_ERROR);
        } catch (ApiException e) {
            connection.fail(e.getMessage(), SERVER_ERROR); // nothing if a close killed the shell
        } catch (RuntimeException e) {
            LOG.warn("terminal in sandbox {} failed", sandboxId, e);
            connection.fail("the terminal in sandbox " + sandboxId + " failed: " + e.getMessage(), SERVER_ERROR);
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
}
