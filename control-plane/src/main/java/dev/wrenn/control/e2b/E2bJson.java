package dev.wrenn.control.e2b;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.wrenn.control.error.ApiException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON as E2B's API speaks it: camelCase names exactly as the records spell them ({@code sandboxID}), RFC 3339
 * times, nulls written (the SDK reads {@code domain: null} as "use your own domain"), and errors as
 * {@code {"code":N,"message":...}}, since the SDK branches on that {@code code} field.
 */
final class E2bJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private E2bJson() {}

    static void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("writing an E2B answer as JSON", e);
        }
    }

    static void error(Context ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("message", message);
        write(ctx, status, body);
    }

    /** The body as a JSON object; an empty body is an empty object, anything but an object is a 400. */
    static JsonNode body(Context ctx) {
        byte[] bytes = dev.wrenn.control.api.JsonBodies.boundedBody(ctx);
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (!node.isObject()) {
                throw ApiException.invalid("the request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.invalid("invalid JSON body: " + e.getMessage());
        }
    }

    /** An optional whole number field; a wrong type is a 400 naming the field. */
    static Integer optionalInt(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiException.invalid("field '" + field + "' must be a whole number");
        }
        return value.intValue();
    }

    static Boolean optionalBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid("field '" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    static String optionalString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("field '" + field + "' must be a string");
        }
        return value.textValue();
    }

    /** A string-to-string object field, empty when absent. */
    static Map<String, String> stringMap(JsonNode body, String field) {
        JsonNode value = body.get(field);
        Map<String, String> map = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return map;
        }
        if (!value.isObject()) {
            throw ApiException.invalid("field '" + field + "' must be an object of strings");
        }
        for (var entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                throw ApiException.invalid("field '" + field + "." + entry.getKey() + "' must be a string");
            }
            map.put(entry.getKey(), entry.getValue().textValue());
        }
        return map;
    }
}
