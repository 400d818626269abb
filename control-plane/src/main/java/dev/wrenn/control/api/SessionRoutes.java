package dev.wrenn.control.api;

import dev.wrenn.control.auth.RateLimiter;
import dev.wrenn.control.auth.UserClaims;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.service.SessionService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;

/**
 * {@code POST /v1/auth/logout} revokes the presented user token (204); {@code POST /v1/auth/password}
 * {@code {current_password, new_password}} changes the password, revokes every earlier token of the account and
 * answers a new one, as a login does.
 */
final class SessionRoutes {
    private final SessionService sessions;
    private final Authenticator auth;
    /** Wrong current passwords of one account (a stolen token guessing the password): 5, then one every 30 s. */
    private final RateLimiter wrongPasswords;

    SessionRoutes(SessionService sessions, Authenticator auth, Clock clock) {
        this.sessions = sessions;
        this.auth = auth;
        this.wrongPasswords = new RateLimiter("wrong current passwords for this account", 5, 30_000, clock);
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/auth/logout", auth.jwt(this::logout));
        routes.post("/v1/auth/password", auth.jwt(this::changePassword));
    }

    private void logout(Context ctx, Principal caller) {
        sessions.logout(auth.bearerClaims(ctx));
        ctx.status(204);
    }

    private void changePassword(Context ctx, Principal caller) {
        UserClaims claims = auth.bearerClaims(ctx);
        wrongPasswords.check(claims.userId());
        PasswordChange body = JsonBodies.read(ctx, PasswordChange.class);
        try {
            ctx.json(sessions.changePassword(claims, body.currentPassword(), body.newPassword()));
        } catch (ApiException e) {
            if (e.code() == ErrorCode.UNAUTHORIZED) {
                wrongPasswords.tryAcquireQuietly(claims.userId());
            }
            throw e;
        }
    }

    record PasswordChange(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[...]";
        }
    }
}
