package dev.wrenn.control.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.testing.OnBothDatabases;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

class ApiKeyRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    @OnBothDatabases
    void keysAreListedNewestFirstWithTheirCreatorsEmail(Database database) {
        ApiKeyRepository keys = repositoryWithTwoTeams(database);
        keys.insert(key("key-00000001", "team-0000000a", "older", T0), "hash1");
        keys.insert(key("key-00000002", "team-0000000a", "newer", T0.plusMillis(1)), "hash2");
        keys.insert(key("key-00000003", "team-0000000b", "other team", T0.plusMillis(2)), "hash3");

        assertThat(keys.listForTeam("team-0000000a"))
                .extracting(ApiKey::id, ApiKey::name, ApiKey::creatorEmail)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("key-00000002", "newer", "a@example.com"),
                        org.assertj.core.groups.Tuple.tuple("key-00000001", "older", "a@example.com"));
    }

    @OnBothDatabases
    void timestampsSortCorrectlyAcrossDigitCountsAndYears(Database database) {
        ApiKeyRepository keys = repositoryWithTwoTeams(database);
        // Text timestamps would sort 1999 after 10000-ish millis or "9" after "10": integers do not.
        keys.insert(key("key-00000001", "team-0000000a", "1999", Instant.parse("1999-12-31T23:59:59Z")), "h1");
        keys.insert(key("key-00000002", "team-0000000a", "2100", Instant.parse("2100-01-01T00:00:00Z")), "h2");
        keys.insert(key("key-00000003", "team-0000000a", "1970", Instant.ofEpochMilli(9)), "h3");

        assertThat(keys.listForTeam("team-0000000a")).extracting(ApiKey::name).containsExactly("2100", "1999", "1970");
    }

    @OnBothDatabases
    void aKeyIsFoundByItsHashAndItsUseIsRecorded(Database database) {
        ApiKeyRepository keys = repositoryWithTwoTeams(database);
        keys.insert(key("key-00000001", "team-0000000a", "ci", T0), "abc123");

        ApiKeyOwner owner = keys.findOwnerByHash("abc123").orElseThrow();
        assertThat(owner).isEqualTo(new ApiKeyOwner("key-00000001", "team-0000000a"));
        assertThat(keys.find("team-0000000a", "key-00000001").orElseThrow().lastUsed())
                .isNull();

        Instant used = T0.plus(1, ChronoUnit.HOURS);
        keys.markUsed("key-00000001", used);
        assertThat(keys.find("team-0000000a", "key-00000001").orElseThrow().lastUsed())
                .isEqualTo(used);
        assertThat(keys.findOwnerByHash("ABC123")).isEmpty();
    }

    @OnBothDatabases
    void useIsRecordedAtMostOnceAMinute(Database database) {
        ApiKeyRepository keys = repositoryWithTwoTeams(database);
        keys.insert(key("key-00000001", "team-0000000a", "ci", T0), "abc123");

        keys.markUsed("key-00000001", T0.plusSeconds(10));
        keys.markUsed("key-00000001", T0.plusSeconds(30));
        assertThat(keys.find("team-0000000a", "key-00000001").orElseThrow().lastUsed())
                .isEqualTo(T0.plusSeconds(10));

        keys.markUsed("key-00000001", T0.plusSeconds(70));
        assertThat(keys.find("team-0000000a", "key-00000001").orElseThrow().lastUsed())
                .isEqualTo(T0.plusSeconds(70));
    }

    @OnBothDatabases
    void deletingIsScopedToTheTeam(Database database) {
        ApiKeyRepository keys = repositoryWithTwoTeams(database);
        keys.insert(key("key-00000001", "team-0000000a", "a's key", T0), "hash1");

        assertThat(keys.delete("team-0000000b", "key-00000001")).isFalse();
        assertThat(keys.find("team-0000000a", "key-00000001")).isPresent();
        assertThat(keys.delete("team-0000000a", "key-00000001")).isTrue();
        assertThat(keys.listForTeam("team-0000000a")).isEmpty();
        assertThat(keys.findOwnerByHash("hash1")).isEmpty();
    }

    private static ApiKeyRepository repositoryWithTwoTeams(Database database) {
        AccountRepository accounts = new AccountRepository(database);
        accounts.createWithDefaultTeam(
                new User("usr-0000000a", "a@example.com", "h", false, T0), new Team("team-0000000a", "A", T0));
        accounts.createWithDefaultTeam(
                new User("usr-0000000b", "b@example.com", "h", false, T0), new Team("team-0000000b", "B", T0));
        return new ApiKeyRepository(database);
    }

    private static ApiKey key(String id, String teamId, String name, Instant createdAt) {
        String creator = teamId.equals("team-0000000a") ? "usr-0000000a" : "usr-0000000b";
        return new ApiKey(id, teamId, name, "wrn_012345", creator, null, createdAt, null);
    }
}
