package dev.wrenn.control.exec;

import static dev.wrenn.control.ws.SocketConnection.NORMAL;
import static dev.wrenn.control.ws.SocketConnection.SERVER_ERROR;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxOperation;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.exec.ExecFrames.ClientFrame;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.ws.AuthenticatedSocket;
import dev.wrenn.control.ws.SocketConnection;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec stream connection's protocol: once authenticated, waits for a start frame, then relays the host agent's
 * events in order on a virtual thread until the command exits, the client sends {@code stop} or the client goes
 * away; the last two cancel the host agent's call.
 */
final class ExecStreamSession implements AuthenticatedSocket.Protocol<ClientFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(ExecStreamSession.class);

    private final SocketConnection<ClientFrame> connection;
    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;

    ExecStreamSession(SocketConnection<ClientFrame> connection, SandboxService sandboxes, HostAgentClient hostAgent) {
        this.connection = connection;
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
    }

    @Override
    public void start(ClientFrame frame) {
        if (!frame.type().equals("start")) {
            throw ApiException.invalid("the first frame must be {\"type\":\"start\",\"cmd\":...}");
        }
        if (frame.cmd() == null || frame.cmd().isBlank()) {
            throw ApiException.invalid("cmd is required");
        }
        Sandbox sandbox =
                sandboxes.require(connection.caller().teamId(), connection.sandboxId(), SandboxOperation.EXEC);
        ExecStreamRequest request = ExecStreamRequest.newBuilder()
                .setSandboxId(sandbox.id())
                .setCmd(frame.cmd())
                .addAllArgs(frame.args() == null ? List.of() : frame.args())
                .setTimeoutSec(frame.timeoutSec() == null ? 0 : Math.max(0, frame.timeoutSec()))
                .build();
        if (connection.begin()) {
            Thread.ofVirtual().name("exec-stream-" + sandbox.id()).start(() -> relay(sandbox, request));
        }
    }

    /** While streaming, only {@code stop} means something. */
    @Override
    public void onFrame(ClientFrame frame) {
        if (frame.type().equals("stop")) {
            connection.close(NORMAL, "stopped");
        }
    }

    private void relay(Sandbox sandbox, ExecStreamRequest request) {
        sandboxes.touch(sandbox);
        try (Stream<ExecStreamResponse> stream = hostAgent.execStream(request)) {
            // Publishes the running call so that a stop can cancel it; a stop that came first ends here.
            if (!connection.attach(stream::close)) {
                return;
            }
            for (Iterator<ExecStreamResponse> it = stream.iterator(); it.hasNext(); ) {
                connection.send(ExecFrames.toJson(ExecFrames.of(it.next())));
            }
            connection.finish(NORMAL, "exited");
        } catch (ApiException e) {
            connection.fail(e.getMessage(), SERVER_ERROR); // nothing if a stop cancelled the call
        } catch (RuntimeException e) {
            LOG.warn("exec stream in sandbox {} failed", sandbox.id(), e);
            connection.fail("exec stream in sandbox " + sandbox.id() + " failed: " + e.getMessage(), SERVER_ERROR);
        } finally {
            sandboxes.touch(sandbox);
        }
    }
}
