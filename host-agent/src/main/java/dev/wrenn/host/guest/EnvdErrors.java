package dev.wrenn.host.guest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.connect.client.ReadLimitException;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The one place where the guest agent's answers become the host agent's errors. Messages read
 * "{@code <operation>} in sandbox {@code <id>}: {@code <what the guest said>}".
 */
final class EnvdErrors {
    private EnvdErrors() {}

    /** Like {@link #fromConnect(String, String, ConnectException)}; a guest that broke the protocol is recorded. */
    static HostAgentException fromConnect(String sandboxId, String operation, ConnectException e, GuestFaults faults) {
        HostAgentException failure = fromConnect(sandboxId, operation, e);
        if (isFault(e)) {
            faults.record(sandboxId, failure.getMessage());
        }
        return failure;
    }

    static HostAgentException fromConnect(String sandboxId, String operation, ConnectException e) {
        ErrorCode code = switch (e.code()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> ErrorCode.INVALID_ARGUMENT;
            // The guest says "unauthenticated" for a user it does not know: the caller named it.
            case UNAUTHENTICATED -> ErrorCode.INVALID_ARGUMENT;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
            case PERMISSION_DENIED -> ErrorCode.PERMISSION_DENIED;
            case FAILED_PRECONDITION, ABORTED -> ErrorCode.FAILED_PRECONDITION;
            case RESOURCE_EXHAUSTED -> ErrorCode.RESOURCE_EXHAUSTED;
            case DEADLINE_EXCEEDED -> ErrorCode.DEADLINE_EXCEEDED;
            case UNAVAILABLE, CANCELED -> ErrorCode.UNAVAILABLE;
            case UNIMPLEMENTED -> ErrorCode.UNIMPLEMENTED;
            case UNKNOWN, INTERNAL, DATA_LOSS -> ErrorCode.INTERNAL;
        };
        return new HostAgentException(code, describe(sandboxId, operation, e.getMessage()), e);
    }

    /** Statuses of the plain HTTP routes (/init, /files), whose bodies are {@code {"code":N,"message":"..."}}. */
    static HostAgentException fromHttp(String sandboxId, String operation, int status, String guestMessage) {
        ErrorCode code = switch (status) {
            case 400, 416 -> ErrorCode.INVALID_ARGUMENT;
            case 401, 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 507 -> ErrorCode.RESOURCE_EXHAUSTED;
            case 502, 503, 504 -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
        return new HostAgentException(
                code, describe(sandboxId, operation, "guest agent answered " + status + ": " + guestMessage));
    }

    /**
     * A request that got no usable answer. No headers within {@code timeout} is DEADLINE_EXCEEDED; headers the JDK
     * refuses (too large, not HTTP) are the guest's fault; anything else means the guest is unreachable.
     */
    static HostAgentException sendFailure(
            String sandboxId, String operation, Duration timeout, IOException e, GuestFaults faults) {
        if (e instanceof HttpTimeoutException) {
            return new HostAgentException(
                    ErrorCode.DEADLINE_EXCEEDED, describe(sandboxId, operation, "no answer within " + timeout), e);
        }
        if (isFault(e)) {
            String detail = "the guest agent's answer broke the protocol: " + e.getMessage();
            faults.record(sandboxId, operation + ": " + detail);
            return new HostAgentException(ErrorCode.INTERNAL, describe(sandboxId, operation, detail), e);
        }
        return unreachable(sandboxId, operation, e);
    }

    /**
     * Whether a failure shows a guest agent breaking the protocol or a limit: an answer too large, stalled, not
     * parseable, or not HTTP. A passed deadline is not one (it may be the caller's own timeout), nor a refused or
     * reset connection (a VM that is gone).
     */
    static boolean isFault(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ReadLimitException limit) {
                return limit.kind() != ReadLimitException.Kind.DEADLINE;
            }
            if (t instanceof ProtocolException
                    || t instanceof InvalidProtocolBufferException
                    || t instanceof JsonProcessingException) {
                return true;
            }
        }
        return false;
    }

    static ErrorCode codeOf(ReadLimitException e) {
        return switch (e.kind()) {
            case SIZE -> ErrorCode.RESOURCE_EXHAUSTED;
            case DEADLINE -> ErrorCode.DEADLINE_EXCEEDED;
            case IDLE -> ErrorCode.UNAVAILABLE;
        };
    }

    static HostAgentException unreachable(String sandboxId, String operation, Exception e) {
        return new HostAgentException(
                ErrorCode.UNAVAILABLE, describe(sandboxId, operation, "guest agent unreachable: " + e), e);
    }

    static HostAgentException interrupted(String sandboxId, String operation, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new HostAgentException(ErrorCode.UNAVAILABLE, describe(sandboxId, operation, "interrupted"), e);
    }

    static String describe(String sandboxId, String operation, String detail) {
        return operation + " in sandbox " + sandboxId + ": " + detail;
    }
}
