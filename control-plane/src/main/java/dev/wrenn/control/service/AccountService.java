package dev.wrenn.control.service;

import dev.wrenn.control.audit.AuditActions;
import dev.wrenn.control.audit.AuditTrail;
import dev.wrenn.control.auth.InviteToken;
import dev.wrenn.control.auth.JwtService;
import dev.wrenn.control.auth.PasswordHasher;
import dev.wrenn.control.config.SignupMode;
import dev.wrenn.control.db.AccountRepository;
import dev.wrenn.control.db.InviteRepository;
import dev.wrenn.control.db.Team;
import dev.wrenn.control.db.User;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-up and login with email and password. A user signing up without an invitation gets a team of its own,
 * "{@code <email>'s Team}"; with one, it joins the inviting team as a member.
 */
public final class AccountService {
    public static final String BAD_CREDENTIALS = "invalid email or password";
    public static final String SIGNUP_CLOSED =
            "signup is closed on this installation (signup mode closed); the operator creates accounts";
    static final int MIN_PASSWORD_LENGTH = 8;
    static final int MAX_EMAIL_LENGTH = 254;

    private final AccountRepository accounts;
    private final PasswordHasher passwords;
    private final JwtService tokens;
    private final Clock clock;
    private final InviteRepository invites;
    private final AuditTrail audit;
    private final SignupMode signupMode;

    public AccountService(
            AccountRepository accounts,
            InviteRepository invites,
            PasswordHasher passwords,
            JwtService tokens,
            Clock clock,
            SignupMode signupMode) {
        this(accounts, invites, passwords, tokens, clock, signupMode, AuditTrail.NONE);
    }

    public AccountService(
            AccountRepository accounts,
            InviteRepository invites,
            PasswordHasher passwords,
            JwtService tokens,
            Clock clock,
            SignupMode signupMode,
            AuditTrail audit) {
        this.audit = audit;
        this.accounts = accounts;
        this.invites = invites;
        this.passwords = passwords;
        this.tokens = tokens;
        this.clock = clock;
        this.signupMode = signupMode;
    }

    /**
     * Signs up under the installation's {@link SignupMode}, with an optional invitation token. The answer is the same
     * whether or not the email was registered (a registered one is left unchanged), and the password is hashed either
     * way, so that neither the answer nor its timing tells which emails exist; the caller then logs in.
     *
     * @throws ApiException invalid_request for a bad email or password, signup_closed when the mode refuses,
     *     invalid_invite for an unknown, expired, revoked or used invitation
     */
    public SignupAccepted signup(String rawEmail, String password, String invite) {
        String email = normalize(rawEmail);
        validateEmail(email);
        validatePassword(password);
        String inviteHash = checkSignupAllowed(invite);
        // Hashing is slow on purpose: do it before the transaction, not inside it.
        String hash = passwords.hash(password);
        Instant now = clock.instant();
        User user = new User(Ids.user(), email, hash, false, now);
        Team team = new Team(Ids.team(), email + "'s Team", now);
        accounts.register(
                user,
                team,
                inviteHash,
                signupMode == SignupMode.FIRST_USER,
                joinedTeam -> audit.entry(
                        joinedTeam,
                        AuditActions.MEMBER_ADDED,
                        user.id(),
                        Map.of("role", "member", "by", "invitation")));
        return new SignupAccepted(email);
    }

    /** The mode's refusals that need no bcrypt work; returns the invitation's hash (null without one). */
    private String checkSignupAllowed(String invite) {
        if (signupMode == SignupMode.CLOSED) {
            throw new ApiException(ErrorCode.SIGNUP_CLOSED, SIGNUP_CLOSED);
        }
        if (invite == null || invite.isBlank()) {
            if (signupMode == SignupMode.FIRST_USER && accounts.anyUser()) {
                throw new ApiException(ErrorCode.SIGNUP_CLOSED, AccountRepository.INVITE_REQUIRED);
            }
            return null;
        }
        String token = invite.strip();
        if (!InviteToken.isWellFormed(token) || !invites.isUsable(InviteToken.hash(token), clock.instant())) {
            throw new ApiException(ErrorCode.INVALID_INVITE, AccountRepository.INVALID_INVITE);
        }
        return InviteToken.hash(token);
    }

    /** @throws ApiException unauthorized with one message whether the email or the password was wrong */
    public AuthResult login(String rawEmail, String password) {
        if (rawEmail == null || rawEmail.isBlank() || password == null || password.isEmpty()) {
            throw ApiException.invalid("email and password are required");
        }
        String email = normalize(rawEmail);
        Optional<User> user = accounts.findUserByEmail(email);
        boolean valid = user.isPresent() && user.get().passwordHash() != null
                ? passwords.matches(password, user.get().passwordHash())
                : passwords.matchesNothing(password);
        if (!valid) {
            throw ApiException.unauthorized(BAD_CREDENTIALS);
        }
        Team team = accounts.defaultTeamOf(user.get().id())
                .orElseThrow(() -> ApiException.internal("user " + user.get().id() + " has no default team", null));
        return new AuthResult(
                tokens.issue(user.get().id(), team.id(), email), user.get().id(), team.id(), email);
    }

    /** Whether the user behind a token administers this installation (read per request, so a demotion is immediate). */
    public boolean isAdmin(String userId) {
        return userId != null && accounts.isAdmin(userId);
    }

    private static String normalize(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    private static void validateEmail(String email) {
        if (email.length() < 3 || email.indexOf('@') < 0) {
            throw ApiException.invalid("email must be an address containing '@' (at least 3 characters)");
        }
        if (email.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
            throw ApiException.invalid("email must not contain spaces or control characters");
        }
        if (email.length() > MAX_EMAIL_LENGTH) {
            throw ApiException.invalid("email must be at most " + MAX_EMAIL_LENGTH + " characters");
        }
    }

    static void validatePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.invalid("password must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.indexOf('\0') >= 0) {
            throw ApiException.invalid("password must not contain NUL characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordHasher.MAX_PASSWORD_BYTES) {
            throw ApiException.invalid(
                    "password must be at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
    }
}
