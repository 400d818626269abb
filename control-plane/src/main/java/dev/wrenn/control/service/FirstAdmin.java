package dev.wrenn.control.service;

import dev.wrenn.control.auth.PasswordHasher;
import dev.wrenn.control.db.AccountRepository;
import dev.wrenn.control.db.Team;
import dev.wrenn.control.db.User;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.ids.Ids;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The installation's first account, made by the operator's tools rather than by a signup ({@code wrenn up}'s
 * quickstart): an administrator with a generated password, stored as a bcrypt hash like any other and handed back
 * once to be printed. There is no fixed default password.
 */
public final class FirstAdmin {
    public static final String DEFAULT_EMAIL = "admin@localhost";
    /** 18 random bytes: 144 bits, 24 characters of base64url, safe inside JSON and single-quoted shell words. */
    private static final int PASSWORD_BYTES = 18;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountRepository accounts;
    private final PasswordHasher passwords;
    private final Clock clock;

    public FirstAdmin(AccountRepository accounts, PasswordHasher passwords, Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.clock = clock;
    }

    /** An email and a password to show the operator once; {@code toString} leaves the password out. */
    public record Credentials(String email, String password) {
        @Override
        public String toString() {
            return "Credentials[email=" + email + "]";
        }
    }

    /** Creates the administrator {@code email} if the installation has no account yet; empty if it had one. */
    public Optional<Credentials> createIfNoAccount(String email) {
        if (accounts.anyUser()) {
            return Optional.empty(); // no bcrypt work on every later start
        }
        String password = generatePassword();
        Instant now = clock.instant();
        User user = new User(Ids.user(), email, passwords.hash(password), true, now);
        boolean created = accounts.createFirstAdmin(user, new Team(Ids.team(), email + "'s Team", now));
        return created ? Optional.of(new Credentials(email, password)) : Optional.empty();
    }

    /** The first administrator's email, if there is one. */
    public Optional<String> email() {
        return accounts.firstAdmin().map(User::email);
    }

    /** Gives the first administrator a new generated password, for an operator who lost the printed one. */
    public Credentials resetPassword() {
        User admin = accounts.firstAdmin()
                .orElseThrow(() -> ApiException.notFound("this installation has no administrator account yet"));
        String password = generatePassword();
        accounts.setPasswordHash(admin.id(), passwords.hash(password), clock.instant());
        return new Credentials(admin.email(), password);
    }

    static String generatePassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
