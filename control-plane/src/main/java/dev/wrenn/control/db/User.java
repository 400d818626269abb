package dev.wrenn.control.db;

import java.time.Instant;

/** A user account. {@code passwordHash} is null for accounts that cannot log in with a password. */
public record User(String id, String email, String passwordHash, boolean admin, Instant createdAt) {
    @Override
    public String toString() {
        return "User[id=" + id + ", email=" + email + "]";
    }
}
