package dev.wrenn.connect.codec;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last envelope of a Connect stream (flag 0x02), always JSON whatever the codec: {@code {}} for success, or
 * {@code {"error":{"code":...,"message":...},"metadata":{"k":["v"]}}}.
 */
public final class EndStream {
    private final ConnectException error;
    private final Map<String, List<String>> metadata;

    private EndStream(ConnectException error, Map<String, List<String>> metadata) {
        this.error = error;
        this.metadata = Map.copyOf(metadata);
    }

    public static EndStream ok(Map<String, List<String>> metadata) {
        return new EndStream(null, metadata);
    }

    /** Ends the stream with {@code error}; its metadata becomes the end-stream metadata. */
    public static EndStream failed(ConnectException error) {
        return new EndStream(error, error.metadata());
    }

    public Optional<ConnectException> error() {
        return Optional.ofNullable(error);
    }

    public Map<String, List<String>> metadata() {
        return metadata;
    }

    public Envelope toEnvelope() {
        return Envelope.endStream(toJson().toString().getBytes(StandardCharsets.UTF_8));
    }

    private JsonObject toJson() {
        JsonObject json = new JsonObject();
        if (error != null) {
            json.add("error", ErrorBody.toJson(error));
        }
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach((key, values) -> {
                JsonArray array = new JsonArray();
                values.forEach(array::add);
                meta.add(key, array);
            });
            json.add("metadata", meta);
        }
        return json;
    }

    /**
     * Parses an end-stream payload.
     *
     * @throws ConnectException {@code internal} when the payload is not an end-stream JSON object
     */
    public static EndStream parse(byte[] payload) {
        JsonObject json;
        try {
            JsonElement tree = JsonParser.parseString(new String(payload, StandardCharsets.UTF_8));
            if (!tree.isJsonObject()) {
                throw new JsonParseException("expected a JSON object");
            }
            json = tree.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ConnectException(Code.INTERNAL, "malformed end-stream message: " + e.getMessage(), e);
        }
        Map<String, List<String>> metadata = parseMetadata(json.get("metadata"));
        JsonElement error = json.get("error");
        if (error == null || error.isJsonNull()) {
            return ok(metadata);
        }
        if (!error.isJsonObject()) {
            throw new ConnectException(Code.INTERNAL, "malformed end-stream message: error is not an object");
        }
        return new EndStream(
                ErrorBody.fromJson(error.getAsJsonObject(), Code.UNKNOWN, "stream failed", metadata), metadata);
    }

    private static Map<String, List<String>> parseMetadata(JsonElement element) {
        Map<String, List<String>> metadata = new LinkedHashMap<>();
        if (element == null || !element.isJsonObject()) {
            return metadata;
        }
        element.getAsJsonObject().asMap().forEach((key, value) -> {
            List<String> values = new ArrayList<>();
            if (value.isJsonArray()) {
                value.getAsJsonArray().asList().stream()
                        .filter(JsonElement::isJsonPrimitive)
                        .forEach(v -> values.add(v.getAsString()));
            } else if (value.isJsonPrimitive()) {
                values.add(value.getAsString());
            }
            metadata.put(key, List.copyOf(values));
        });
        return metadata;
    }
}
