package dev.wrenn.host.sys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named points inside multi-file changes (pause, resume, template make...) where tests make the agent die, to prove
 * that recovery at the next start finds either the old state or the new one. In production nothing is set and
 * {@link #reach} does nothing. A child-JVM test names a point in the system property {@value #PROPERTY}: reaching it
 * halts the JVM at once ({@code Runtime.halt(137)}, as {@code kill -9} would: no shutdown hooks, no finally blocks).
 * An in-process test may install its own action with {@link #install}.
 *
 * <p>A test that kills something else while the operation is in flight (the control plane waiting for the answer, the
 * VM's QEMU) holds the agent at a point instead: {@value #HOLD_PROPERTY} names the point and {@value #RELEASE_PROPERTY}
 * a file; reaching the point while that file is absent logs {@code hold point <name> reached} and waits until the
 * file exists (at most {@link #HOLD_LIMIT}), then the operation goes on. A test arms the hold by deleting the file.
 */
public final class CrashPoints {
    private static final Logger log = LoggerFactory.getLogger(CrashPoints.class);
    public static final String PROPERTY = "wrenn.test.crashAt";
    public static final String HOLD_PROPERTY = "wrenn.test.holdAt";
    public static final String RELEASE_PROPERTY = "wrenn.test.holdRelease";
    public static final Duration HOLD_LIMIT = Duration.ofMinutes(10);
    private static final Consumer<String> NONE = point -> {};
    private static volatile Consumer<String> action = fromProperty(System.getProperty(PROPERTY))
            .andThen(holdFromProperties(System.getProperty(HOLD_PROPERTY), System.getProperty(RELEASE_PROPERTY)));

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

    private static Consumer<String> holdFromProperties(String named, String release) {
        if (named == null || named.isBlank() || release == null || release.isBlank()) {
            return NONE;
        }
        log.warn("test hold point armed: the agent waits at {} until {} exists", named, release);
        Path releaseFile = Path.of(release);
        return point -> {
            if (!point.equals(named) || Files.exists(releaseFile)) {
                return; // not this point, or not armed: the release file exists
            }
            log.warn("hold point {} reached: holding until {} exists", point, releaseFile);
            long deadline = System.nanoTime() + HOLD_LIMIT.toNanos();
            while (!Files.exists(releaseFile) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            log.warn("hold point {} released", point);
        };
    }
}
