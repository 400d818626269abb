package dev.wrenn.control.invites;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.Invite;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code POST|GET /v1/teams/{team_id}/invites} and {@code DELETE /v1/teams/{team_id}/invites/{id}}, with a user token
 * only (an API key is no person, and a leaked key must not let anyone in). {@code POST /v1/auth/signup} with
 * {@code invite} uses one up.
 */
public final class InviteRoutes {
    private final InviteService invites;
    private final Authenticator auth;
    private final Clock clock;

    public InviteRoutes(InviteService invites, Authenticator auth, Clock clock) {
        this.invites = invites;
        this.auth = auth;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/v1/teams/{team_id}/invites", auth.jwt(this::create));
        routes.get("/v1/teams/{team_id}/invites", auth.jwt(this::list));
        routes.delete("/v1/teams/{team_id}/invites/{id}", auth.jwt(this::revoke));
    }

    private void create(Context ctx, Principal caller) {
        CreateRequest body = JsonBodies.readOptional(ctx, CreateRequest.class, new CreateRequest(null));
        InviteService.CreatedInvite created =
                invites.create(caller.userId(), ctx.pathParam("team_id"), body.expiresInHours());
        ctx.status(201).json(InviteView.of(created.invite(), created.token(), clock.instant()));
    }

    private void list(Context ctx, Principal caller) {
        Instant now = clock.instant();
        ctx.json(invites.list(caller.userId(), ctx.pathParam("team_id")).stream()
                .map(invite -> InviteView.of(invite, null, now))
                .toList());
    }

    private void revoke(Context ctx, Principal caller) {
        invites.revoke(caller.userId(), ctx.pathParam("team_id"), ctx.pathParam("id"));
        ctx.status(204);
    }

    record CreateRequest(Integer expiresInHours) {}

    /** An invitation as the API shows it; {@code token} only in the answer to its creation. */
    record InviteView(
            String id,
            String teamId,
            String createdBy,
            Instant createdAt,
            Instant expiresAt,
            Instant usedAt,
            String status,
            String token) {

        static InviteView of(Invite invite, String token, Instant now) {
            String status =
                    invite.usedAt() != null ? "used" : invite.expiresAt().isAfter(now) ? "pending" : "expired";
            return new InviteView(
                    invite.id(),
                    invite.teamId(),
                    invite.createdBy(),
                    invite.createdAt(),
                    invite.expiresAt(),
                    invite.usedAt(),
                    status,
                    token);
        }
    }
}
