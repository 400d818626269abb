package dev.wrenn.guest.http.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON object request body with typed, validated field access; every mistake is a 400 naming the field. Parsed
 * as a protobuf Struct, which accepts any JSON object (unknown fields are simply not read).
 */
public final class JsonBody {
    private static final int MAX_BYTES = 8 * 1024 * 1024;

    private final Struct object;
    private final String what;

    private JsonBody(Struct object, String what) {
        this.object = object;
        this.what = what;
    }

    /** Parses the body as a JSON object; an empty body counts as {}. */
    public static JsonBody read(HttpExchange exchange, String what) throws IOException {
        String text = readText(exchange.getRequestBody(), what);
        Struct.Builder object = Struct.newBuilder();
        if (!text.isBlank()) {
            if (!text.strip().startsWith("{")) {
                throw HttpError.badRequest(what + " must be a JSON object");
            }
            try {
                JsonFormat.parser().merge(text, object);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                throw HttpError.badRequest("malformed JSON in " + what + ": " + e.getMessage());
            }
        }
        return new JsonBody(object.build(), what);
    }

    public Optional<String> string(String field) {
        return present(field).map(value -> stringValue(value, field));
    }

    public Optional<Map<String, String>> stringMap(String field) {
        return present(field).map(value -> {
            if (!value.hasStructValue()) {
                throw invalid(field, "an object of strings");
            }
            Map<String, String> map = new LinkedHashMap<>();
            value.getStructValue()
                    .getFieldsMap()
                    .forEach((key, item) -> map.put(key, stringValue(item, field + "." + key)));
            return map;
        });
    }

    public List<String> stringList(String field) {
        return present(field)
                .map(value -> {
                    if (!value.hasListValue()) {
                        throw invalid(field, "an array of strings");
                    }
                    List<String> list = new ArrayList<>();
                    value.getListValue().getValuesList().forEach(item -> list.add(stringValue(item, field + "[]")));
                    return list;
                })
                .orElse(List.of());
    }

    private Optional<Value> present(String field) {
        Value value = object.getFieldsMap().get(field);
        return value == null || value.hasNullValue() ? Optional.empty() : Optional.of(value);
    }

    private String stringValue(Value value, String field) {
        if (!value.hasStringValue()) {
            throw invalid(field, "a string");
        }
        return value.getStringValue();
    }

    private HttpError invalid(String field, String expected) {
        return HttpError.badRequest("field '" + field + "' of " + what + " must be " + expected);
    }

    private static String readText(InputStream body, String what) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new HttpError(413, what + " is larger than " + MAX_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
