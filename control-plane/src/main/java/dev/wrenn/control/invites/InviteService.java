package dev.wrenn.control.invites;

import dev.wrenn.control.audit.AuditActions;
import dev.wrenn.control.audit.AuditTrail;
import dev.wrenn.control.auth.InviteToken;
import dev.wrenn.control.db.Invite;
import dev.wrenn.control.db.InviteRepository;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.ids.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Invitations to a team, managed by the team's administrators (role {@code owner} or {@code admin} in it). A caller
 * who is not in the team gets the same 404 as for a team that does not exist; a member who is not an administrator
 * gets 403.
 */
public final class InviteService {
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(72);
    static final Duration MAX_LIFETIME = Duration.ofDays(30);
    private static final Set<String> ADMIN_ROLES = Set.of("owner", "admin");

    private final InviteRepository invites;
    private final Clock clock;
    private final AuditTrail audit;

    public InviteService(InviteRepository invites, Clock clock) {
        this(invites, clock, AuditTrail.NONE);
    }

    public InviteService(InviteRepository invites, Clock clock, AuditTrail audit) {
        this.invites = invites;
        this.clock = clock;
        this.audit = audit;
    }

    /** A new single-use invitation; the token is in the answer only. */
    public CreatedInvite create(String userId, String teamId, Integer expiresInHours) {
        requireTeamAdmin(userId, teamId);
        Duration lifetime = lifetime(expiresInHours);
        Instant now = clock.instant();
        Invite invite = new Invite("inv-" + Ids.hex(8), teamId, userId, now, now.plus(lifetime), null);
        String token = InviteToken.generate();
        invites.insert(
                invite,
                InviteToken.hash(token),
                audit.entry(
                        teamId,
                        AuditActions.INVITE_CREATED,
                        invite.id(),
                        Map.of("expires_at", invite.expiresAt().toString())));
        return new CreatedInvite(invite, token);
    }

    public List<Invite> list(String userId, String teamId) {
        requireTeamAdmin(userId, teamId);
        return invites.list(teamId);
    }

    public void revoke(String userId, String teamId, String inviteId) {
        requireTeamAdmin(userId, teamId);
        if (!invites.delete(teamId, inviteId, audit.entry(teamId, AuditActions.INVITE_REVOKED, inviteId, Map.of()))) {
            throw ApiException.notFound("invitation " + inviteId + " not found in team " + teamId);
        }
    }

    private void requireTeamAdmin(String userId, String teamId) {
        String role = invites.roleIn(userId, teamId)
                .orElseThrow(() -> ApiException.notFound("team " + teamId + " not found"));
        if (!ADMIN_ROLES.contains(role)) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN,
                    "managing the invitations of team " + teamId + " needs a team administrator (you are a " + role
                            + ")");
        }
    }

    private static Duration lifetime(Integer hours) {
        if (hours == null) {
            return DEFAULT_LIFETIME;
        }
        if (hours < 1 || hours > MAX_LIFETIME.toHours()) {
            throw ApiException.invalid(
                    "expires_in_hours must be between 1 and " + MAX_LIFETIME.toHours() + " (got " + hours + ")");
        }
        return Duration.ofHours(hours);
    }

    /** A just-made invitation and its token, shown to the creator once. */
    public record CreatedInvite(Invite invite, String token) {
        @Override
        public String toString() {
            return "CreatedInvite[" + invite.id() + "]";
        }
    }
}
