package dev.wrenn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuickstartTest {

    @Test
    void theBannerNamesTheConsoleTheApiAndTheDocs() {
        String banner = Quickstart.banner("http://127.0.0.1:8080/");

        assertThat(banner)
                .contains("web console  http://127.0.0.1:8080/\n")
                .contains("API          http://127.0.0.1:8080/v1")
                .contains("http://127.0.0.1:8080/docs")
                .contains("Ctrl-C");
    }

    @Test
    void theExampleIsTheIndentedBlockAfterItsHeadingAndTalksToTheSameServer() {
        String banner = Quickstart.banner("http://127.0.0.1:8080/");

        String after =
                banner.substring(banner.indexOf(Quickstart.EXAMPLE_HEADING) + Quickstart.EXAMPLE_HEADING.length() + 1);
        assertThat(after.stripTrailing().lines()).allMatch(line -> line.startsWith("  "));
        assertThat(after.stripTrailing().indent(-2)).isEqualTo(Quickstart.example("http://127.0.0.1:8080/"));
        assertThat(Quickstart.example("http://127.0.0.1:8080/")).startsWith("WRENN=http://127.0.0.1:8080\n");
    }
}
