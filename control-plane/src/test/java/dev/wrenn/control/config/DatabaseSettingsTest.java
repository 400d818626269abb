package dev.wrenn.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    @Test
    void aPostgresUrlBecomesAJdbcUrlWithSeparateCredentials() {
        assertThat(DatabaseSettings.postgresFromUrl("postgresql://app@localhost/wrenn"))
                .isEqualTo(new DatabaseSettings.Postgres("jdbc:postgresql://localhost/wrenn", "app", null));
        assertThat(DatabaseSettings.postgresFromUrl("postgres://u:p%3Aw%2Fd@h:1/db"))
                .isEqualTo(new DatabaseSettings.Postgres("jdbc:postgresql://h:1/db", "u", "p:w/d"));
    }

    @Test
    void aJdbcUrlKeepsItsParametersButHandsItsCredentialsOverSeparately() {
        assertThat(DatabaseSettings.postgresFromUrl("jdbc:postgresql://h:5432/db?user=u&password=p%26q&ssl=true"))
                .isEqualTo(new DatabaseSettings.Postgres("jdbc:postgresql://h:5432/db?ssl=true", "u", "p&q"));
        assertThat(DatabaseSettings.postgresFromUrl("jdbc:postgresql://h/db"))
                .isEqualTo(new DatabaseSettings.Postgres("jdbc:postgresql://h/db", null, null));
    }

    @Test
    void otherSchemesAndMissingPartsAreRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> DatabaseSettings.postgresFromUrl("mysql://u:hunter2@h/db"))
                .hasMessageContaining("postgres://")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseSettings.postgresFromUrl("postgres://u:hunter2@h"))
                .hasMessageContaining("database name")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseSettings.postgresFromUrl("postgres://u:hun ter2@h/db"))
                .hasMessageNotContaining("hun ter2");
    }

    @Test
    void thePasswordIsNotPrinted() {
        assertThat(new DatabaseSettings.Postgres("jdbc:postgresql://h/db", "u", "hunter2").toString())
                .doesNotContain("hunter2");
    }
}
