package dev.wrenn.control.terminal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.ws.AuthenticatedSocket;
import dev.wrenn.protocol.hostagent.v1.PtyStartResponse;
import java.util.Base64;

/**
 * The PTY WebSocket's JSON frames. Client: {@code auth {token}}, {@code start {cols, rows}}, {@code input {data}}
 * and {@code resize {cols, rows}}. Server: {@code started {pid}}, {@code output {data}}, {@code exit {exit_code}} and
 * {@code error {data}}. Terminal bytes travel base64-encoded both ways, since they need not be UTF-8.
 */
final class PtyFrames {
    static final int MAX_SIZE = 1000;
    private static final ObjectMapper JSON = JsonBodies.newMapper();

    private PtyFrames() {}

    record ClientFrame(String type, String token, Integer cols, Integer rows, String data)
            implements AuthenticatedSocket.Frame {
        ByteString bytes() {
            if (data == null) {
                throw ApiException.invalid("an input frame needs data (base64)");
            }
            try {
                return ByteString.copyFrom(Base64.getDecoder().decode(data));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("input data is not base64: " + e.getMessage());
            }
        }

        int checkedCols() {
            return size("cols", cols);
        }

        int checkedRows() {
            return size("rows", rows);
        }

        private static int size(String name, Integer value) {
            if (value == null || value < 1 || value > MAX_SIZE) {
                throw ApiException.invalid(
                        name + " must be a whole number from 1 to " + MAX_SIZE + " (got " + value + ")");
            }
            return value;
        }
    }

    /** Fields left null are not sent. */
    record ServerFrame(String type, Integer pid, String data, Integer exitCode) {}

    static ClientFrame parse(String text) {
        try {
            ClientFrame frame = JSON.readValue(text, ClientFrame.class);
            if (frame == null || frame.type() == null) {
                throw ApiException.invalid("every frame needs a \"type\"");
            }
            return frame;
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("a frame must be a JSON object: " + e.getOriginalMessage());
        }
    }

    static ServerFrame of(PtyStartResponse event) {
        return switch (event.getEventCase()) {
            case STARTED -> new ServerFrame("started", event.getStarted().getPid(), null, null);
            case OUTPUT -> new ServerFrame("output", null, base64(event.getOutput()), null);
            case EXIT -> new ServerFrame("exit", null, null, event.getExit().getExitCode());
            case EVENT_NOT_SET -> throw new IllegalStateException("the host agent sent an empty terminal event");
        };
    }

    static String toJson(ServerFrame frame) {
        try {
            return JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("encoding a terminal frame", e);
        }
    }

    private static String base64(ByteString bytes) {
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
