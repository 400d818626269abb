package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.config.Config;
import dev.wrenn.control.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wrenn up}'s administrator over a real SQLite file: a password generated once, shown once, reset on demand. */
class AdminAccountTest {

    @Test
    void theFirstStartGeneratesAPasswordLaterStartsShowNoneAndAResetMakesANewOne(@TempDir Path dir) {
        Config config = ConfigLoader.load(Map.of("WRENN_DATA_DIR", dir.toString()));

        Quickstart.Admin first = AdminAccount.prepare(config, false);
        Quickstart.Admin later = AdminAccount.prepare(config, false);
        Quickstart.Admin reset = AdminAccount.prepare(config, true);

        assertThat(first.email()).isEqualTo("admin@localhost");
        assertThat(first.password()).matches("[A-Za-z0-9_-]{24}").isNotEqualTo("change-me-please");
        assertThat(later).isEqualTo(new Quickstart.Admin("admin@localhost", null));
        assertThat(reset.password()).matches("[A-Za-z0-9_-]{24}").isNotEqualTo(first.password());
        assertThat(first.toString()).doesNotContain(first.password());
    }
}
