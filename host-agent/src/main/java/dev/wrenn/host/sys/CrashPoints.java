package dev.wrenn.host.sys;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named points inside multi-file changes (pause, resume, template make...) where tests make the agent die, to prove
 * that recovery at the next start finds either the old state or the new one. In production nothing is set and
 * {@link #reach} does nothing. A child-JVM test names a point in the system property {@value #PROPERTY}: reaching it
 * halts the JVM at once ({@code Runtime.halt(137)}, as {@code kill -9} would: no shutdown hooks, no finally blocks).
 * An in-process test may install its own action with {@link #install}.
 */
public final class CrashPoints {
    private static final Logger log = LoggerFactory.getLogger(CrashPoints.class);
    public static final String PROPERTY = "wrenn.test.crashAt";
    private static final Consumer<String> NONE = point -> {};
    private static volatile Consumer<String> action = fromProperty(System.getProperty(PROPERTY));

    private CrashPoints() {}

    /** Called by the code at the named point. */
    public static void reach(String point) {
        action.accept(point);
    }

    /** Test seam: replaces the action (pass null to restore the no-op). */
    public static void install(Consumer<String> replacement) {
        action = replacement == null ? NONE : replacement;
    }

    private static Consumer<String> fromProperty(String named) {
        if (named == null || named.isBlank()) {
            return NONE;
        }
        log.warn("test crash point armed: the agent halts at {}", named);
        return point -> {
            if (point.equals(named)) {
                log.warn("crash point {} reached: halting", point);
                Runtime.getRuntime().halt(137);
            }
        };
    }
}
