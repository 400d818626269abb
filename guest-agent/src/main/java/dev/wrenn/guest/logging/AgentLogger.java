package dev.wrenn.guest.logging;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes {@code HH:mm:ss.SSS LEVEL logger - message} lines (UTC; the logger's package abbreviated to initials), a
 * throwable's stack trace after its line. One {@code println} per event, so concurrent lines never interleave.
 */
final class AgentLogger extends LegacyAbstractLogger {
    private final String shortName;
    private final Level threshold;
    private final transient PrintStream out;

    AgentLogger(String name, Level threshold, PrintStream out) {
        this.name = name;
        this.shortName = abbreviate(name);
        this.threshold = threshold;
        this.out = out;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
        StringBuilder line = new StringBuilder(96);
        LogClock.appendTimeOfDay(line, System.currentTimeMillis());
        line.append(' ').append(level.name());
        line.repeat(' ', 5 - level.name().length());
        line.append(' ').append(shortName).append(" - ");
        line.append(MessageFormatter.basicArrayFormat(pattern, arguments));
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        out.println(line);
    }

    /** {@code dev.wrenn.guest.http.InitRoute} → {@code d.w.g.h.InitRoute}. */
    static String abbreviate(String name) {
        int last = name.lastIndexOf('.');
        if (last < 0) {
            return name;
        }
        StringBuilder out = new StringBuilder();
        boolean start = true;
        for (int i = 0; i < last; i++) {
            char c = name.charAt(i);
            if (start) {
                out.append(c).append('.');
            }
            start = c == '.';
        }
        return out.append(name, last + 1, name.length()).toString();
    }
}
