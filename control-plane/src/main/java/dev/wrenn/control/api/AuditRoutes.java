package dev.wrenn.control.api;

import dev.wrenn.control.audit.AuditEntry;
import dev.wrenn.control.audit.AuditLog;
import dev.wrenn.control.audit.AuditQuery;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code GET /v1/teams/{team_id}/audit?since=&until=&limit=&cursor=}: a team's audit log, newest first, for the
 * team's administrators (role {@code owner} or {@code admin} in the team) behind a user token. Someone outside the
 * team gets the same 404 as for a team that does not exist; a member who is not an administrator gets 403.
 */
public final class AuditRoutes {

    private final AuditLog log;
    private final Database database;
    private final Authenticator auth;

    public AuditRoutes(AuditLog log, Database database, Authenticator auth) {
        this.log = log;
        this.database = database;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/v1/teams/{team_id}/audit", auth.jwt(this::list));
    }

    private void list(Context ctx, Principal caller) {
        String team = ctx.pathParam("team_id");
        requireTeamAdministrator(team, caller.userId());
        AuditQuery query = AuditQuery.parse(
                ctx.queryParam("since"), ctx.queryParam("until"), ctx.queryParam("cursor"), ctx.queryParam("limit"));
        List<AuditEntry> entries = log.page(team, query);
        String next = entries.size() < query.limit()
                ? null
                : AuditQuery.Cursor.of(entries.getLast()).encode();
        ctx.json(new AuditPage(entries, next));
    }

    private void requireTeamAdministrator(String teamId, String userId) {
        String role = database.jdbi()
                .withHandle(h -> h.createQuery("SELECT role FROM users_teams WHERE team_id = :team AND user_id = :user")
                        .bind("team", teamId)
                        .bind("user", userId)
                        .mapTo(String.class)
                        .findOne()
                        .orElse(null));
        if (role == null) {
            throw ApiException.notFound("team " + teamId + " not found");
        }
        if (!role.equals("owner") && !role.equals("admin")) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN, "reading team " + teamId + "'s audit log needs a team administrator");
        }
    }

    /** {@code next_cursor} is null on the last page. */
    record AuditPage(List<AuditEntry> entries, String nextCursor) {}
}
