package dev.wrenn.sdk.internal;

import dev.wrenn.sdk.AuthenticationException;
import dev.wrenn.sdk.InvalidArgumentException;
import dev.wrenn.sdk.NotFoundException;
import dev.wrenn.sdk.QuotaException;
import dev.wrenn.sdk.SandboxException;
import dev.wrenn.sdk.TimeoutException;
import java.util.Map;

/**
 * Turns a server's error answer into the SDK's exception family. Three bodies are understood: E2B's
 * {@code {"code":404,"message":…}}, Wrenn's {@code {"error":{"code":"not_found","message":…}}} and Connect's
 * {@code {"code":"not_found","message":…}}; the message is always the server's. Not part of the public API.
 */
public final class Errors {
    /** The longest piece of a non-JSON body quoted in a message. */
    private static final int MAX_QUOTED = 300;

    private Errors() {}

    /** The exception for an HTTP error answer. */
    public static SandboxException fromHttp(int status, String body, String what) {
        String code = null;
        String message = null;
        try {
            Map<String, Object> json = Json.parseObject(body);
            Object error = json.get("error");
            if (error instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> e = (Map<String, Object>) error;
                code = Json.string(e, "code");
                message = Json.string(e, "message");
            } else {
                code = Json.string(json, "code");
                message = Json.string(json, "message");
            }
        } catch (IllegalArgumentException notJson) {
            message = body == null ? "" : body.strip();
            if (message.length() > MAX_QUOTED) {
                message = message.substring(0, MAX_QUOTED) + "…";
            }
        }
        if (message == null || message.isEmpty()) {
            message = "HTTP " + status;
        }
        return of(status, code, what + ": " + message);
    }

    /** The exception for a Connect error code (a stream's end message) with the server's message. */
    public static SandboxException fromConnect(String code, String message, String what) {
        return of(0, code, what + ": " + (message == null || message.isEmpty() ? code : message));
    }

    private static SandboxException of(int status, String code, String message) {
        String c = code == null ? "" : code;
        if (status == 404 || c.equals("not_found") || c.equals("404")) {
            return new NotFoundException(message, status, null);
        }
        if (status == 401
                || status == 403
                || c.equals("unauthenticated")
                || c.equals("permission_denied")
                || c.equals("unauthorized")
                || c.equals("forbidden")) {
            return new AuthenticationException(message, status, null);
        }
        if (status == 429 || c.equals("resource_exhausted") || c.equals("quota_exceeded") || c.equals("rate_limited")) {
            return new QuotaException(message, status, null);
        }
        if (status == 400 || c.equals("invalid_argument") || c.equals("invalid") || c.equals("bad_request")) {
            return new InvalidArgumentException(message, status, null);
        }
        if (status == 504 || c.equals("deadline_exceeded")) {
            return new TimeoutException(message, status, null);
        }
        if (status == 502) {
            // The sandbox proxy's answer for a sandbox that is not running (killed, paused, expired).
            return new NotFoundException(message, status, null);
        }
        return new SandboxException(message, status, null);
    }
}
