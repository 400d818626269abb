package dev.wrenn.control.e2b;

import dev.wrenn.control.error.ApiException;

/**
 * E2B's filesystem-only pause ({@code memory: false} on pause and connect, {@code autoPauseMemory: false} on create)
 * is not implemented yet: every pause keeps the sandbox's memory. Asking for it is refused with a 400 saying so, as
 * E2B's API refuses a disk-only resume where the capability is off, "never silently downgraded" to a memory one.
 */
final class FilesystemOnlyPause {
    private FilesystemOnlyPause() {}

    static ApiException unsupported(String field) {
        return ApiException.invalid(field + ": false (a filesystem-only pause or resume that drops the sandbox's"
                + " memory) is not supported by this server yet; every pause keeps memory and resumes where it"
                + " stopped. Omit the field or send true.");
    }
}
