package dev.wrenn.control.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.testing.OnBothDatabases;
import java.time.Instant;

class TemplateRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    @OnBothDatabases
    void templateNamesAreUniquePerTeamOnly(Database database) {
        TemplateRepository templates = repository(database);
        templates.insert(snapshot("tpl-00000001", "team-0000000a", "python", T0));
        templates.insert(snapshot("tpl-00000002", "team-0000000b", "python", T0));

        assertThatThrownBy(() -> templates.insert(snapshot("tpl-00000003", "team-0000000a", "python", T0)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
                .hasMessageContaining("python");
        assertThat(templates.find("team-0000000a", "python")).map(Template::id).contains("tpl-00000001");
        assertThat(templates.find("team-0000000b", "python")).map(Template::id).contains("tpl-00000002");
    }

    @OnBothDatabases
    void globalBaseTemplatesAreUniqueByName(Database database) {
        TemplateRepository templates = repository(database);
        templates.insert(new Template("tpl-00000001", null, "minimal", TemplateType.BASE, null, null, 0, T0));

        assertThatThrownBy(() -> templates.insert(
                        new Template("tpl-00000002", null, "minimal", TemplateType.BASE, null, null, 0, T0)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS));
    }

    @OnBothDatabases
    void listingFiltersByTypeAndIsNewestFirst(Database database) {
        TemplateRepository templates = repository(database);
        templates.insert(snapshot("tpl-00000001", "team-0000000a", "first", T0));
        templates.insert(snapshot("tpl-00000002", "team-0000000a", "second", T0.plusSeconds(1)));
        templates.insert(new Template(
                "tpl-00000003", "team-0000000a", "base", TemplateType.BASE, null, null, 0, T0.plusSeconds(2)));

        assertThat(templates.listForTeam("team-0000000a", TemplateType.SNAPSHOT))
                .extracting(Template::name)
                .containsExactly("second", "first");
        assertThat(templates.listForTeam("team-0000000a", null)).hasSize(3);
        assertThat(templates.listForTeam("team-0000000b", null)).isEmpty();
        Template first = templates.find("team-0000000a", "first").orElseThrow();
        assertThat(first.vcpus()).isEqualTo(2);
        assertThat(first.sizeBytes()).isEqualTo(5_000_000_000L);
    }

    @OnBothDatabases
    void deletingIsScopedToTheTeam(Database database) {
        TemplateRepository templates = repository(database);
        templates.insert(snapshot("tpl-00000001", "team-0000000a", "python", T0));

        assertThat(templates.delete("team-0000000b", "python")).isFalse();
        assertThat(templates.delete("team-0000000a", "python")).isTrue();
        assertThat(templates.find("team-0000000a", "python")).isEmpty();
    }

    private static TemplateRepository repository(Database database) {
        AccountRepository accounts = new AccountRepository(database);
        accounts.createWithDefaultTeam(
                new User("usr-0000000a", "a@example.com", "h", false, T0), new Team("team-0000000a", "A", T0));
        accounts.createWithDefaultTeam(
                new User("usr-0000000b", "b@example.com", "h", false, T0), new Team("team-0000000b", "B", T0));
        return new TemplateRepository(database);
    }

    private static Template snapshot(String id, String teamId, String name, Instant createdAt) {
        return new Template(id, teamId, name, TemplateType.SNAPSHOT, 2, 1024, 5_000_000_000L, createdAt);
    }
}
