package dev.wrenn.control.service;

import dev.wrenn.control.audit.Actor;
import dev.wrenn.control.audit.AuditActions;
import dev.wrenn.control.audit.AuditTrail;
import dev.wrenn.control.auth.JwtService;
import dev.wrenn.control.auth.PasswordHasher;
import dev.wrenn.control.auth.UserClaims;
import dev.wrenn.control.db.AccountRepository;
import dev.wrenn.control.db.SessionRepository;
import dev.wrenn.control.db.Team;
import dev.wrenn.control.db.User;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What happens to a signed-in user's tokens: a logout revokes the one presented, a password change revokes every
 * earlier one of the account (and answers a fresh token); and the audit lines of logins.
 */
public final class SessionService {
    public static final String WRONG_PASSWORD = "the current password is wrong";

    private final AccountRepository accounts;
    private final SessionRepository sessions;
    private final PasswordHasher passwords;
    private final JwtService tokens;
    private final AuditTrail audit;
    private final Clock clock;

    public SessionService(
            AccountRepository accounts,
            SessionRepository sessions,
            PasswordHasher passwords,
            JwtService tokens,
            AuditTrail audit,
            Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.passwords = passwords;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** Revokes the presented token until it would have expired. */
    public void logout(UserClaims token) {
        sessions.revoke(
                token.tokenId(),
                token.expiresAt(),
                audit.entry(token.teamId(), AuditActions.LOGOUT, token.userId(), Map.of()));
    }

    /**
     * Sets a new password after checking the current one, revokes every token issued before and returns a new one.
     *
     * @throws ApiException 401 if {@code current} is wrong, 400 if {@code replacement} is not an acceptable password,
     *     409 if the password changed meanwhile
     */
    public AuthResult changePassword(UserClaims caller, String current, String replacement) {
        User user = accounts.findUser(caller.userId())
                .orElseThrow(() -> ApiException.unauthorized(JwtService.INVALID_TOKEN));
        if (current == null || user.passwordHash() == null || !passwords.matches(current, user.passwordHash())) {
            throw ApiException.unauthorized(WRONG_PASSWORD);
        }
        AccountService.validatePassword(replacement);
        String hash = passwords.hash(replacement);
        boolean changed = sessions.changePassword(
                user.id(),
                user.passwordHash(),
                hash,
                clock.instant(),
                audit.entry(caller.teamId(), AuditActions.PASSWORD_CHANGED, user.id(), Map.of()));
        if (!changed) {
            throw new ApiException(ErrorCode.CONFLICT, "the password of " + user.email() + " changed meanwhile");
        }
        return new AuthResult(
                tokens.issue(user.id(), caller.teamId(), user.email()), user.id(), caller.teamId(), user.email());
    }

    /** An audit line in the user's team. */
    public void loggedIn(AuthResult result, String address) {
        audit.record(
                result.teamId(), Actor.user(result.userId(), address), AuditActions.LOGIN, result.userId(), Map.of());
    }

    /**
     * An audit line in the team of the account whose password was wrong; for an unknown email a line without a
     * team (no team's administrator reads it, and the email typed, which may be a mistyped password, is not kept).
     */
    public void loginFailed(String email, String address) {
        Optional<User> user = accounts.findUserByEmail(email);
        String team =
                user.flatMap(u -> accounts.defaultTeamOf(u.id())).map(Team::id).orElse(null);
        audit.record(
                team,
                Actor.anonymous(address),
                AuditActions.LOGIN_FAILED,
                user.map(User::id).orElse(null),
                Map.of());
    }
}
