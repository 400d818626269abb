package dev.wrenn.control.service;

import dev.wrenn.control.auth.JwtService;
import dev.wrenn.control.auth.PasswordHasher;
import dev.wrenn.control.db.AccountRepository;
import dev.wrenn.control.db.Team;
import dev.wrenn.control.db.User;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Sign-up and login with email and password. Every user gets a team of its own, "{@code <email>'s Team}". */
public final class AccountService {
    public static final String BAD_CREDENTIALS = "invalid email or password";
    static final int MIN_PASSWORD_LENGTH = 8;
    static final int MAX_EMAIL_LENGTH = 254;

    private final AccountRepository accounts;
    private final PasswordHasher passwords;
    private final JwtService tokens;
    private final Clock clock;

    public AccountService(AccountRepository accounts, PasswordHasher passwords, JwtService tokens, Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** @throws ApiException invalid_request for a bad email or password, email_taken if the email is registered */
    public AuthResult signup(String rawEmail, String password) {
        String email = normalize(rawEmail);
        validateEmail(email);
        validatePassword(password);
        // Hashing is slow on purpose: do it before the transaction, not inside it.
        String hash = passwords.hash(password);
        Instant now = clock.instant();
        User user = new User(Ids.user(), email, hash, false, now);
        Team team = new Team(Ids.team(), email + "'s Team", now);
        // The first account of an installation administers it (it alone reads /metrics).
        accounts.createWithDefaultTeam(user, team, true);
        return new AuthResult(tokens.issue(user.id(), team.id(), email), user.id(), team.id(), email);
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
