package dev.wrenn.connect.codec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Connect's JSON error object, {@code {"code":"not_found","message":"..."}}: the body of a failed unary call and the
 * {@code error} member of an end-stream message.
 */
public final class ErrorBody {
    private ErrorBody() {}

    public static byte[] encode(ConnectException error) {
        return toJson(error).toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The error a failed unary response describes: its code from the body when the body names one, else from the
     * HTTP status (Connect's table); its message from the body, else the status.
     */
    public static ConnectException decode(byte[] body, int httpStatus, Map<String, List<String>> metadata) {
        Code fallback = Code.fromHttpStatus(httpStatus);
        String fallbackMessage = "HTTP status " + httpStatus;
        try {
            JsonElement tree = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            if (tree.isJsonObject()) {
                return fromJson(tree.getAsJsonObject(), fallback, fallbackMessage, metadata);
            }
        } catch (JsonParseException e) {
            // Not a Connect error body (a proxy's HTML page, say): the status is all we know.
        }
        return new ConnectException(fallback, fallbackMessage, metadata, null);
    }

    static JsonObject toJson(ConnectException error) {
        JsonObject json = new JsonObject();
        json.addProperty("code", error.code().wireName());
        if (error.getMessage() != null && !error.getMessage().isEmpty()) {
            json.addProperty("message", error.getMessage());
        }
        return json;
    }

    static ConnectException fromJson(
            JsonObject json, Code fallback, String fallbackMessage, Map<String, List<String>> metadata) {
        Code code = stringMember(json, "code").flatMap(Code::fromWireName).orElse(fallback);
        String message = stringMember(json, "message").orElse(fallbackMessage);
        return new ConnectException(code, message, metadata, null);
    }

    private static Optional<String> stringMember(JsonObject json, String name) {
        JsonElement value = json.get(name);
        return value != null
                        && value.isJsonPrimitive()
                        && value.getAsJsonPrimitive().isString()
                ? Optional.of(value.getAsString())
                : Optional.empty();
    }
}
