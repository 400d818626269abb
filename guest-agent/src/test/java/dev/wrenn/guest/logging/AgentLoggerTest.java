package dev.wrenn.guest.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class AgentLoggerTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AgentLoggers loggers =
            new AgentLoggers(Level.INFO, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLineHasTheTimeTheLevelTheAbbreviatedLoggerAndTheFormattedMessage() {
        loggers.getLogger("dev.wrenn.guest.http.InitRoute").info("set {} of {}", 1, "two");

        assertThat(output()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  d\\.w\\.g\\.h\\.InitRoute - set 1 of two\\R");
    }

    @Test
    void linesBelowTheThresholdAreNotWritten() {
        Logger logger = loggers.getLogger("x.Y");
        logger.debug("hidden {}", 1);
        logger.warn("shown");

        assertThat(logger.isDebugEnabled()).isFalse();
        assertThat(output()).doesNotContain("hidden").contains("WARN  x.Y - shown");
    }

    @Test
    void aThrowableIsWrittenWithItsStackTraceAfterTheLine() {
        loggers.getLogger("x.Y").warn("failed {}", "upload", new IllegalStateException("disk gone"));

        assertThat(output())
                .contains("WARN  x.Y - failed upload")
                .contains("java.lang.IllegalStateException: disk gone")
                .contains("at dev.wrenn.guest.logging.AgentLoggerTest");
    }

    @Test
    void theLevelComesFromTheEnvironmentAndAnUnknownNameMeansInfo() {
        assertThat(LogLevel.fromEnvironment("debug")).isEqualTo(Level.DEBUG);
        assertThat(LogLevel.fromEnvironment(" WARN ")).isEqualTo(Level.WARN);
        assertThat(LogLevel.fromEnvironment("loud")).isEqualTo(Level.INFO);
        assertThat(LogLevel.fromEnvironment(null)).isEqualTo(Level.INFO);
    }

    @Test
    void theTimeOfDayIsUtcWithMilliseconds() {
        StringBuilder out = new StringBuilder();
        LogClock.appendTimeOfDay(out, 86_400_000L * 20_000 + 3_723_004L);

        assertThat(out).hasToString("01:02:03.004");
    }

    @Test
    void slf4jFindsTheAgentsProvider() {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(AgentLoggers.class);
    }
}
