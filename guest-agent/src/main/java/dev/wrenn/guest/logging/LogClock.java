package dev.wrenn.guest.logging;

/**
 * The time of day of a log line, by arithmetic on epoch milliseconds (UTC): java.time's formatter would load and run
 * several dozen classes on the first line, which a restored sandbox pays for under TCG.
 */
final class LogClock {
    private static final long DAY_MILLIS = 86_400_000L;

    private LogClock() {}

    static void appendTimeOfDay(StringBuilder out, long epochMillis) {
        long ofDay = Math.floorMod(epochMillis, DAY_MILLIS);
        pad(out, ofDay / 3_600_000, 2).append(':');
        pad(out, ofDay / 60_000 % 60, 2).append(':');
        pad(out, ofDay / 1_000 % 60, 2).append('.');
        pad(out, ofDay % 1_000, 3);
    }

    private static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        return out.repeat('0', width - digits.length()).append(digits);
    }
}
