package dev.wrenn.guest.fs.watch;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Checks that a path can be watched, with the errors envd gives for it. */
final class WatchTargets {
    /** Filesystems whose changes made elsewhere never reach this kernel's inotify. */
    private static final Set<String> NETWORK_FILESYSTEMS =
            Set.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "ceph", "glusterfs");

    private WatchTargets() {}

    static void requireWatchable(Path dir, boolean allowNetworkMounts) {
        if (!Files.exists(dir)) {
            throw ConnectException.notFound("watch " + dir + ": path does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw ConnectException.invalidArgument("watch " + dir + ": path is not a directory");
        }
        String type = fileSystemType(dir);
        if (!allowNetworkMounts && NETWORK_FILESYSTEMS.contains(type)) {
            throw new ConnectException(
                    Code.FAILED_PRECONDITION,
                    "watch " + dir + ": it is on a network filesystem (" + type
                            + "), whose remote changes are not reported; set allow_network_mounts to watch anyway");
        }
    }

    private static String fileSystemType(Path dir) {
        try {
            return Files.getFileStore(dir).type().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "";
        }
    }
}
