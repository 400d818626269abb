package dev.wrenn.control.api;

import dev.wrenn.control.auth.RateLimiter;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.service.AccountService;
import dev.wrenn.control.service.AuthResult;
import dev.wrenn.control.service.SessionService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Locale;

/**
 * {@code POST /v1/auth/signup} ({@code {email,password[,invite]}}, answering 202 {@code {email,message}} whether or not
 * the email was registered, so signup reveals no accounts) and {@code POST /v1/auth/login}, answering
 * {@code {token,user_id,team_id,email}};
 * and {@code GET /v1/auth/whoami}, which tells a client (the CLI, an SDK) whether its key or token works and for
 * which team.
 */
final class AuthRoutes {
    private final AccountService accounts;
    private final Authenticator auth;
    /** Every login attempt from one address (an office behind NAT is one address): 60 at once, then one a second. */
    private final RateLimiter loginsByAddress;
    /** Failed logins of one account, whatever the address: 5 at once, then one every 30 s. */
    private final RateLimiter failuresByAccount;
    /** Signups from one address: 60 at once, then one every 30 s. */
    private final RateLimiter signupsByAddress;
    /** Writes the audit lines of logins. */
    private final SessionService sessions;

    AuthRoutes(AccountService accounts, Authenticator auth, Clock clock, SessionService sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.auth = auth;
        this.loginsByAddress = new RateLimiter("login attempts from this address", 60, 1_000, clock);
        this.failuresByAccount = new RateLimiter("failed logins for this account", 5, 30_000, clock);
        this.signupsByAddress = new RateLimiter("signups from this address", 60, 30_000, clock);
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
        signupsByAddress.acquire(ctx.req().getRemoteAddr());
        SignupRequest body = JsonBodies.read(ctx, SignupRequest.class);
        ctx.status(202).json(accounts.signup(body.email(), body.password(), body.invite()));
    }

    private void login(Context ctx) {
        loginsByAddress.acquire(ctx.req().getRemoteAddr());
        Credentials body = JsonBodies.read(ctx, Credentials.class);
        String account = body.email() == null ? "" : body.email().strip().toLowerCase(Locale.ROOT);
        // Checked before the password, so a locked account costs no bcrypt work and answers the same either way.
        failuresByAccount.check(account);
        try {
            AuthResult result = accounts.login(body.email(), body.password());
            sessions.loggedIn(result, ctx.req().getRemoteAddr());
            ctx.json(result);
        } catch (ApiException e) {
            if (e.code() == ErrorCode.UNAUTHORIZED) {
                failuresByAccount.tryAcquireQuietly(account);
                sessions.loginFailed(account, ctx.req().getRemoteAddr());
            }
            throw e;
        }
    }

    record SignupRequest(String email, String password, String invite) {
        @Override
        public String toString() {
            return "SignupRequest[email=" + email + "]";
        }
    }

    record Credentials(String email, String password) {
        @Override
        public String toString() {
            return "Credentials[email=" + email + "]";
        }
    }
}
