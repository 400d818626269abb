package dev.wrenn.host.oci;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.sys.CommandResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;

/** A sparse ext4 disk made from a directory with {@code mkfs.ext4 -d} (as images/build.sh does): no loop mount. */
final class RootDisk {
    static final long MIN_MB = 1024;
    static final long MAX_MB = 512 * 1024;
    private static final Duration MKFS_TIMEOUT = Duration.ofMinutes(30);

    private RootDisk() {}

    /** The disk size for a tree of {@code treeBytes}: the request's, else twice the tree plus 1 GiB, at least 2 GiB. */
    static long sizeMb(long requestedMb, long treeBytes) {
        long treeMb = (treeBytes >> 20) + 1;
        if (requestedMb == 0) {
            return Math.min(MAX_MB, Math.max(2048, 2 * treeMb + 1024));
        }
        if (requestedMb < MIN_MB || requestedMb > MAX_MB) {
            throw new HostAgentException(
                    ErrorCode.INVALID_ARGUMENT,
                    "disk_size_mb must be 0 or %d..%d, not %d".formatted(MIN_MB, MAX_MB, requestedMb));
        }
        if (requestedMb < treeMb + treeMb / 5 + 64) {
            throw new HostAgentException(
                    ErrorCode.INVALID_ARGUMENT,
                    "disk_size_mb %d is too small for the image's %d MiB of files".formatted(requestedMb, treeMb));
        }
        return requestedMb;
    }

    static void make(Path tree, Path disk, long sizeMb) {
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(sizeMb << 20);
        } catch (IOException e) {
            throw new HostAgentException(ErrorCode.INTERNAL, "creating " + disk + ": " + e.getMessage(), e);
        }
        Command.of("mkfs.ext4", "-q", "-F", "-L", "wrenn-root", "-m", "0", "-d", tree.toString(), disk.toString())
                .withTimeout(MKFS_TIMEOUT)
                .run();
        CommandResult check = Command.of("e2fsck", "-fn", disk.toString())
                .withTimeout(MKFS_TIMEOUT)
                .runAllowingFailure();
        if (!check.succeeded()) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "e2fsck found errors in the new disk %s: %s"
                            .formatted(disk, check.stdout().strip()));
        }
    }
}
