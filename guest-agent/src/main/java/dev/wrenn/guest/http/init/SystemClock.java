package dev.wrenn.guest.http.init;

import java.io.IOException;
import java.time.Instant;

/**
 * Sets the guest's wall clock. /init carries the host's time because a VM restored from a snapshot resumes with the
 * clock it was paused with. Injected so that tests never change the clock of the machine they run on.
 */
@FunctionalInterface
public interface SystemClock {
    void set(Instant now) throws IOException;

    /** The real clock, set with clock_settime(CLOCK_REALTIME); a no-op unless the agent runs as root. */
    static SystemClock linux() {
        return new LinuxSystemClock();
    }
}
