package dev.wrenn.control.api;

import io.javalin.http.Context;

/** A route handler that runs only after the caller was authenticated. */
@FunctionalInterface
public interface AuthenticatedHandler {
    void handle(Context ctx, Principal caller) throws Exception;
}
