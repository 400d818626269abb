package dev.wrenn.control.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(4);

    @Test
    void aHashMatchesItsPasswordOnly() {
        String hash = hasher.hash("correct horse");

        assertThat(hash).startsWith("$2a$04$").doesNotContain("correct horse");
        assertThat(hasher.matches("correct horse", hash)).isTrue();
        assertThat(hasher.matches("correct horsf", hash)).isFalse();
        assertThat(hasher.hash("correct horse")).isNotEqualTo(hash);
    }

    @Test
    void theProductionCostIsTwelve() {
        assertThat(new PasswordHasher(12).hash("x")).startsWith("$2a$12$");
    }

    @Test
    void passwordsLongerThanBcryptReadsNeverMatch() {
        String hash = hasher.hash("x".repeat(72));
        assertThat(hasher.matches("x".repeat(73), hash)).isFalse();
        assertThat(hasher.matchesNothing("anything")).isFalse();
    }
}
