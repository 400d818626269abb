package dev.wrenn.guest.http.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The receive buffer for uploads. TCP starts a connection's window at 128 KiB and grows it only as it measures the
 * flow, so a 1 MiB body often arrived in a dozen rounds of "sender blocks, receiver wakes" (a 1 MiB upload over
 * loopback took 0.4 ms or 0.8 ms, run to run). A 4 MiB buffer takes a whole megabyte at once. Setting it turns the
 * kernel's autotuning off, so it is set only where {@code net.core.rmem_max} lets it be that large; a buffer clamped
 * smaller would be worse than autotuning.
 */
final class ReceiveBuffer {
    static final int BYTES = 4 << 20;
    private static final Path RMEM_MAX = Path.of("/proc/sys/net/core/rmem_max");

    private ReceiveBuffer() {}

    static OptionalInt size() {
        return allowed(readLimit()) ? OptionalInt.of(BYTES) : OptionalInt.empty();
    }

    static boolean allowed(long rmemMax) {
        return rmemMax >= BYTES;
    }

    private static long readLimit() {
        try {
            return Long.parseLong(Files.readString(RMEM_MAX).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
