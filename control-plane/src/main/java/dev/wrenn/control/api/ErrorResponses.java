package dev.wrenn.control.api;

import dev.wrenn.control.db.DatabaseOutage;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.error.RetryLaterException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP answers, always the JSON error body. */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {}

    static void register(RoutesConfig routes) {
        routes.exception(ApiException.class, ErrorResponses::apiError);
        // Javalin's own: unknown routes (404), oversized bodies (413) and the like.
        routes.exception(HttpResponseException.class, ErrorResponses::javalinError);
        routes.exception(Exception.class, ErrorResponses::unexpected);
    }

    static void write(Context ctx, ErrorCode code, String message) {
        ctx.status(code.httpStatus()).json(new ErrorBody(new ErrorBody.Detail(code.wireName(), message)));
    }

    private static void apiError(ApiException e, Context ctx) {
        if (e.code().httpStatus() >= 500) {
            LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e);
        }
        if (e instanceof RetryLaterException later) {
            ctx.header("Retry-After", Long.toString(later.retryAfterSeconds()));
        }
        write(ctx, e.code(), e.getMessage());
    }

    private static void javalinError(HttpResponseException e, Context ctx) {
        ErrorCode code = switch (e.getStatus()) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.TOO_LARGE;
            default -> e.getStatus() >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST;
        };
        String message = switch (e.getStatus()) {
            case 404 -> "no route for " + ctx.method() + " " + ctx.path();
            case 413 -> "the request body is too large";
            default -> e.getMessage();
        };
        ctx.status(e.getStatus() >= 400 ? e.getStatus() : code.httpStatus())
                .json(new ErrorBody(new ErrorBody.Detail(code.wireName(), message)));
    }

    private static void unexpected(Exception e, Context ctx) {
        Optional<RetryLaterException> outage = DatabaseOutage.of(e);
        if (outage.isPresent()) {
            LOG.warn("{} {}: database unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", Long.toString(outage.get().retryAfterSeconds()));
            write(ctx, outage.get().code(), outage.get().getMessage());
            return;
        }
        LOG.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
        write(ctx, ErrorCode.INTERNAL_ERROR, "internal error while handling " + ctx.method() + " " + ctx.path());
    }
}
