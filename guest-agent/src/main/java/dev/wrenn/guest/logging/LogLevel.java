package dev.wrenn.guest.logging;

import java.util.Locale;
import org.slf4j.event.Level;

/** Reads the agent's threshold: a level name in any case; absent or unknown means INFO (never silence by typo). */
final class LogLevel {
    private LogLevel() {}

    static Level fromEnvironment(String value) {
        if (value == null || value.isBlank()) {
            return Level.INFO;
        }
        try {
            return Level.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Level.INFO;
        }
    }
}
