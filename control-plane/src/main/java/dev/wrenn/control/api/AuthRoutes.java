package dev.wrenn.control.api;

import dev.wrenn.control.service.AccountService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * {@code POST /v1/auth/signup} and {@code POST /v1/auth/login}, both answering {@code {token,user_id,team_id,email}};
 * and {@code GET /v1/auth/whoami}, which tells a client (the CLI, an SDK) whether its key or token works and for
 * which team.
 */
final class AuthRoutes {
    private final AccountService accounts;
    private final Authenticator auth;

    AuthRoutes(AccountService accounts, Authenticator auth) {
        this.accounts = accounts;
        this.auth = auth;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/auth/signup", this::signup);
        routes.post("/v1/auth/login", this::login);
        routes.get("/v1/auth/whoami", auth.apiKeyOrJwt(this::whoami));
    }

    private void whoami(Context ctx, Principal caller) {
        ctx.json(new WhoAmI(
                caller.teamId(),
                caller.userId(),
                caller.email(),
                caller.via().name().toLowerCase(Locale.ROOT)));
    }

    record WhoAmI(String teamId, String userId, String email, String via) {}

    private void signup(Context ctx) {
        Credentials body = JsonBodies.read(ctx, Credentials.class);
        ctx.status(201).json(accounts.signup(body.email(), body.password()));
    }

    private void login(Context ctx) {
        Credentials body = JsonBodies.read(ctx, Credentials.class);
        ctx.json(accounts.login(body.email(), body.password()));
    }

    record Credentials(String email, String password) {
        @Override
        public String toString() {
            return "Credentials[email=" + email + "]";
        }
    }
}
