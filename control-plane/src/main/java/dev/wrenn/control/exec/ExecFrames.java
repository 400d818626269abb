package dev.wrenn.control.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.ws.AuthenticatedSocket;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The exec stream's JSON frames. Client: {@code auth{token}}, {@code start{cmd,args,timeout_sec}}, {@code stop}.
 * Server: {@code start{pid}}, {@code stdout{data}}, {@code stderr{data}}, {@code exit{exit_code}}, {@code error{data}}.
 * Output is sent as text (invalid UTF-8 becomes U+FFFD, as in the original).
 */
final class ExecFrames {
    private static final ObjectMapper JSON = JsonBodies.newMapper();

    private ExecFrames() {}

    /** What a client sends; unknown fields are ignored, a wrong type is an error naming the field. */
    record ClientFrame(String type, String token, String cmd, List<String> args, Integer timeoutSec)
            implements AuthenticatedSocket.Frame {}

    /** What the server sends; absent fields are left out. */
    record ServerFrame(String type, Long pid, String data, Integer exitCode) {
        static ServerFrame error(String message) {
            return new ServerFrame("error", null, message, null);
        }
    }

    static ClientFrame parse(String text) {
        try {
            ClientFrame frame = JSON.readValue(text, ClientFrame.class);
            if (frame == null || frame.type() == null) {
                throw ApiException.invalid("every frame needs a \"type\"");
            }
            return frame;
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("invalid frame: " + e.getOriginalMessage());
        }
    }

    static String toJson(ServerFrame frame) {
        try {
            return JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising an exec stream frame", e);
        }
    }

    /** The frame for one of the host agent's events. */
    static ServerFrame of(ExecStreamResponse event) {
        return switch (event.getEventCase()) {
            case START ->
                new ServerFrame("start", Integer.toUnsignedLong(event.getStart().getPid()), null, null);
            case DATA ->
                event.getData().hasStderr()
                        ? new ServerFrame(
                                "stderr", null, text(event.getData().getStderr().toByteArray()), null)
                        : new ServerFrame(
                                "stdout", null, text(event.getData().getStdout().toByteArray()), null);
            case END -> new ServerFrame("exit", null, null, event.getEnd().getExitCode());
            case EVENT_NOT_SET -> ServerFrame.error("the host agent sent an empty event");
        };
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
