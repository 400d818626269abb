package dev.wrenn.sdk;

import java.util.Locale;

/** Whether a sandbox runs or is paused (its memory and disk kept, resumed by {@link Sandbox#connect}). */
public enum SandboxState {
    /** Running: commands and files work. */
    RUNNING,
    /** Paused: resumable. */
    PAUSED;

    /** The state named on the wire ({@code running}, {@code paused}). */
    public static SandboxState of(String wire) {
        return wire == null ? RUNNING : valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** The name on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
