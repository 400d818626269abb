package dev.wrenn.control.api;

import dev.wrenn.control.service.AccountService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code POST /v1/auth/signup} and {@code POST /v1/auth/login}: both answer {@code {token,user_id,team_id,email}}. */
final class AuthRoutes {
    private final AccountService accounts;

    AuthRoutes(AccountService accounts) {
        this.accounts = accounts;
    }

    void register(RoutesConfig routes) {
        routes.post("/v1/auth/signup", this::signup);
        routes.post("/v1/auth/login", this::login);
    }

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
