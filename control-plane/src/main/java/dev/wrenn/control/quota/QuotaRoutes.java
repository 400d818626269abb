package dev.wrenn.control.quota;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.AccountRepository;
import dev.wrenn.control.db.User;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code GET|PUT /v1/admin/teams/{team_id}/quotas} for administrators (a user whose {@code users.is_admin} is set,
 * behind a user token; the one place that checks it until accounts have their own administrator concept), and
 * {@code GET /v1/quotas}: the caller's own team's limits and usage.
 */
public final class QuotaRoutes {
    private final QuotaService quotas;
    private final AccountRepository accounts;
    private final Authenticator auth;

    public QuotaRoutes(QuotaService quotas, AccountRepository accounts, Authenticator auth) {
        this.quotas = quotas;
        this.accounts = accounts;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/v1/quotas", auth.apiKeyOrJwt((ctx, caller) -> answer(ctx, caller.teamId())));
        routes.get("/v1/admin/teams/{team_id}/quotas", auth.jwt(this::show));
        routes.put("/v1/admin/teams/{team_id}/quotas", auth.jwt(this::set));
    }

    private void show(Context ctx, Principal caller) {
        answer(ctx, requireTeam(ctx, caller));
    }

    private void set(Context ctx, Principal caller) {
        String team = requireTeam(ctx, caller);
        quotas.set(team, JsonBodies.read(ctx, QuotaRequest.class));
        answer(ctx, team);
    }

    private void answer(Context ctx, String teamId) {
        ctx.json(new QuotaView(teamId, quotas.effective(teamId), quotas.usage(teamId)));
    }

    private String requireTeam(Context ctx, Principal caller) {
        boolean admin = caller.userId() != null
                && accounts.findUser(caller.userId()).map(User::admin).orElse(false);
        if (!admin) {
            throw new ApiException(ErrorCode.FORBIDDEN, "setting team quotas needs an administrator");
        }
        String team = ctx.pathParam("team_id");
        if (accounts.findTeam(team).isEmpty()) {
            throw ApiException.notFound("team " + team + " not found");
        }
        return team;
    }

    record QuotaView(String teamId, Quota quota, Usage usage) {}
}
