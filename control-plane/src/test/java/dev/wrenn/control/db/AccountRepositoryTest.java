package dev.wrenn.control.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.testing.OnBothDatabases;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

class AccountRepositoryTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @OnBothDatabases
    void aUserIsCreatedWithItsDefaultTeam(Database database) {
        AccountRepository accounts = new AccountRepository(database);
        accounts.createWithDefaultTeam(user("usr-00000001", "ada@example.com"), team("team-00000001", "ada's Team"));

        User found = accounts.findUserByEmail("ada@example.com").orElseThrow();
        assertThat(found.id()).isEqualTo("usr-00000001");
        assertThat(found.passwordHash()).isEqualTo("hash");
        assertThat(found.createdAt()).isEqualTo(NOW);
        assertThat(accounts.defaultTeamOf("usr-00000001")).map(Team::name).contains("ada's Team");
        assertThat(accounts.findTeam("team-00000001")).isPresent();
    }

    @OnBothDatabases
    void aSecondUserWithTheSameEmailIsRefusedAndLeavesNoTeamBehind(Database database) {
        AccountRepository accounts = new AccountRepository(database);
        accounts.createWithDefaultTeam(user("usr-00000001", "ada@example.com"), team("team-00000001", "first"));

        assertThatThrownBy(() -> accounts.createWithDefaultTeam(
                        user("usr-00000002", "ada@example.com"), team("team-00000002", "second")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EMAIL_TAKEN))
                .hasMessageContaining("ada@example.com");
        assertThat(accounts.findTeam("team-00000002")).isEmpty();
        assertThat(accounts.findUser("usr-00000002")).isEmpty();
    }

    @OnBothDatabases
    void sqlMetacharactersInEmailsAndTeamNamesAreStoredVerbatim(Database database) {
        AccountRepository accounts = new AccountRepository(database);
        String email = "o'brien\"; DROP TABLE users; --@x.io";
        String teamName = "Robert'); DELETE FROM teams WHERE ('1'='1 % _ \\ ünï";
        accounts.createWithDefaultTeam(user("usr-00000001", email), team("team-00000001", teamName));

        assertThat(accounts.findUserByEmail(email)).map(User::email).contains(email);
        assertThat(accounts.defaultTeamOf("usr-00000001")).map(Team::name).contains(teamName);
        assertThat(accounts.findUserByEmail("%")).isEmpty();
    }

    @OnBothDatabases
    void unknownUsersAndTeamsAreNotFound(Database database) {
        AccountRepository accounts = new AccountRepository(database);
        assertThat(accounts.findUserByEmail("nobody@example.com")).isEmpty();
        assertThat(accounts.defaultTeamOf("usr-ffffffff")).isEmpty();
    }

    static User user(String id, String email) {
        return new User(id, email, "hash", false, NOW);
    }

    static Team team(String id, String name) {
        return new Team(id, name, NOW);
    }
}
