package dev.wrenn.host.snapshot;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.sys.Command;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes of disk actually allocated under a path (st_blocks × 512, as {@code du} counts them), not the apparent
 * size: a 256 MiB RAM file the guest barely touched occupies a few MiB, and that is what fills a disk.
 */
public final class DiskUsage {
    private DiskUsage() {}

    public static long allocatedBytes(Path path) {
        if (!Files.exists(path)) {
            return 0;
        }
        // -B1: bytes; hard links are counted once per walk, like the disk counts them.
        String out =
                Command.of("du", "-s", "-B1", path.toString()).run().stdout().strip();
        try {
            return Long.parseLong(out.split("\\s+", 2)[0]);
        } catch (NumberFormatException e) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL, "measuring disk usage of %s: `du` said %s".formatted(path, out));
        }
    }
}
