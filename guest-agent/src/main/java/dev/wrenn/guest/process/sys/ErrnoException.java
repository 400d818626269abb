package dev.wrenn.guest.process.sys;

import java.io.IOException;

/** A libc call failed; carries the errno so callers can tell, for example, EAGAIN from EIO. */
public final class ErrnoException extends IOException {
    private final int errno;

    public ErrnoException(String operation, int errno) {
        super(operation + ": " + Native.describe(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
