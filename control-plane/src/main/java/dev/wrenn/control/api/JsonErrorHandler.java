package dev.wrenn.control.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals — a request it cannot parse (a NUL in the path, an ambiguous URI, a header too large) never
 * reaches Javalin — answered in the API's error shape instead of Jetty's HTML page, so every 4xx a client can get
 * carries {@code {"error":{"code","message"}}}. Found by the API fuzzer.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpField CONTENT_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Object message = request.getAttribute(ERROR_MESSAGE);
        byte[] body = body(response.getStatus(), message == null ? null : message.toString());
        response.getHeaders().put(CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int status, String reason) {
        String code = switch (status) {
            case 404 -> "not_found";
            case 413, 414, 431 -> "too_large";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
        String why = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("code", code).put("message", "the request could not be read: " + why);
        return error.toString().getBytes(StandardCharsets.UTF_8);
    }
}
