package dev.wrenn.control.e2b;

import java.util.Locale;

/** What happens to an E2B sandbox when its end time passes: killed (the default) or paused ({@code autoPause}). */
enum OnTimeout {
    KILL,
    PAUSE;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static OnTimeout fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
