package dev.wrenn.control.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * JSON in and out of the API: snake_case names, RFC 3339 timestamps, absent fields left out, and strict types on
 * the way in ({@code "5"} is not a number, {@code 5} is not a string), so a wrong type is a 400 naming the field.
 */
public final class JsonBodies {
    private JsonBodies() {}

    public static ObjectMapper newMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** The body as {@code type}; a missing, malformed or mistyped body is a 400. */
    public static <T> T read(Context ctx, Class<T> type) {
        T value = parse(ctx, type);
        if (value == null) {
            throw ApiException.invalid("the request body must be a JSON object");
        }
        return value;
    }

    /** Like {@link #read}, but an empty body stands for {@code fallback}. */
    public static <T> T readOptional(Context ctx, Class<T> type, T fallback) {
        T value = parse(ctx, type);
        return value == null ? fallback : value;
    }

    private static <T> T parse(Context ctx, Class<T> type) {
        byte[] body = boundedBody(ctx);
        if (isBlank(body)) {
            return null;
        }
        ObjectMapper mapper = ApiJson.mapper(ctx);
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("invalid JSON body: " + describe(e));
        } catch (IOException e) {
            throw ApiException.invalid("reading the request body failed: " + e.getMessage());
        }
    }

    /**
     * The body, refused with 413 before a byte is read when its declared length is over the limit; a body without a
     * length is read only up to the limit by the server ({@code http.maxRequestSize}), then refused.
     */
    public static byte[] boundedBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > HttpApi.MAX_JSON_BODY_BYTES) {
            throw new ApiException(
                    ErrorCode.TOO_LARGE,
                    "the request body is " + declared + " bytes; JSON bodies may be at most "
                            + HttpApi.MAX_JSON_BODY_BYTES + " bytes");
        }
        return ctx.bodyAsBytes();
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "field '" + field + "' must be " + expected(mismatch.getTargetType());
        }
        if (e instanceof MismatchedInputException) {
            return "the body must be a JSON object";
        }
        if (e instanceof JsonParseException && e.getLocation() != null) {
            return "malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
        }
        return e.getOriginalMessage();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "of type " + type.getSimpleName();
    }
}
