package dev.wrenn.control.templates;

import dev.wrenn.control.db.TemplateBuild;
import dev.wrenn.control.db.TemplateBuildRepository;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One running build's log, written line by line to the database as it happens (the status route serves it live, from
 * any replica). Hostile output is capped: lines at {@link #MAX_LINE_CHARS}, the log at {@link #MAX_LINES} (the rest is
 * counted and reported once). The last lines are kept for the failure reason.
 */
final class BuildLog {
    static final int MAX_LINES = 10_000;
    static final int MAX_LINE_CHARS = 4096;
    static final int TAIL = 10;

    private final String buildId;
    private final TemplateBuildRepository rows;
    private final Clock clock;
    private final Deque<String> tail = new ArrayDeque<>();
    private int seq;
    private long dropped;

    BuildLog(String buildId, TemplateBuildRepository rows, Clock clock) {
        this.buildId = buildId;
        this.rows = rows;
        this.clock = clock;
    }

    synchronized void info(String step, String message) {
        append("info", step, message);
    }

    synchronized void warn(String step, String message) {
        append("warn", step, message);
    }

    synchronized void error(String step, String message) {
        append("error", step, message);
    }

    synchronized void append(String level, String step, String message) {
        String line = message.length() > MAX_LINE_CHARS ? message.substring(0, MAX_LINE_CHARS) + " …" : message;
        tail.addLast(line);
        if (tail.size() > TAIL) {
            tail.removeFirst();
        }
        if (seq >= MAX_LINES - 1) {
            dropped++;
            return;
        }
        rows.appendLog(buildId, new TemplateBuild.LogLine(seq++, clock.instant(), level, step, line));
    }

    /** Reports how many lines the cap dropped (the last line the log gets). */
    synchronized void close() {
        if (dropped > 0) {
            rows.appendLog(
                    buildId,
                    new TemplateBuild.LogLine(
                            seq++, clock.instant(), "warn", null, dropped + " more log lines were dropped (cap)"));
        }
    }

    synchronized List<String> tail() {
        return new ArrayList<>(tail);
    }

    /** Splits a process's output into lines (a partial line waits for its end), each logged at {@code level}. */
    final class Lines {
        private final String level;
        private final String step;
        private final StringBuilder partial = new StringBuilder();

        Lines(String level, String step) {
            this.level = level;
            this.step = step;
        }

        void add(String chunk) {
            for (int i = 0; i < chunk.length(); i++) {
                char c = chunk.charAt(i);
                if (c == '\n') {
                    flush();
                } else if (c != '\r' && partial.length() < MAX_LINE_CHARS) {
                    partial.append(c);
                }
            }
        }

        void flush() {
            if (!partial.isEmpty()) {
                append(level, step, partial.toString());
                partial.setLength(0);
            }
        }
    }
}
