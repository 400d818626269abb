package dev.wrenn.control.enrollment;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.auth.RateLimiter;
import dev.wrenn.control.error.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code POST /v1/admin/hosts/enrollment-tokens} and {@code GET /v1/admin/hosts} for administrators;
 * {@code POST /v1/hosts/enroll} for a host agent holding a token (the token is its only credential, so the route is
 * rate limited per address: 10 at once, then one every 6 s).
 */
public final class EnrollmentRoutes {
    private final EnrollmentService enrollment;
    private final Authenticator auth;
    private final RateLimiter byAddress;

    public EnrollmentRoutes(EnrollmentService enrollment, Authenticator auth, Clock clock) {
        this.enrollment = enrollment;
        this.auth = auth;
        this.byAddress = new RateLimiter("enrollment attempts from this address", 10, 6_000, clock);
    }

    public void register(RoutesConfig routes) {
        routes.post("/v1/admin/hosts/enrollment-tokens", auth.admin(this::issueToken));
        routes.get("/v1/admin/hosts", auth.admin((ctx, caller) -> ctx.json(new HostList(enrollment.hosts()))));
        routes.post("/v1/hosts/enroll", this::enroll);
    }

    record TokenRequest(String host, Long ttlSeconds) {}

    record EnrollRequest(String token, String csr) {}

    record HostList(List<EnrolledHost> hosts) {}

    private void issueToken(Context ctx, Principal caller) {
        TokenRequest body = JsonBodies.read(ctx, TokenRequest.class);
        Duration ttl =
                body.ttlSeconds() == null ? EnrollmentService.DEFAULT_TOKEN_TTL : Duration.ofSeconds(body.ttlSeconds());
        ctx.status(201).json(enrollment.issueToken(body.host(), ttl));
    }

    private void enroll(Context ctx) {
        byAddress.acquire(ctx.req().getRemoteAddr());
        EnrollRequest body = JsonBodies.read(ctx, EnrollRequest.class);
        if (body.token() == null || body.csr() == null) {
            throw ApiException.invalid("an enrollment needs `token` and `csr`");
        }
        ctx.json(enrollment.enroll(body.token(), body.csr()));
    }
}
