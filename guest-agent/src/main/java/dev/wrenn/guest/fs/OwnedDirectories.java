package dev.wrenn.guest.fs;

import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.user.GuestUser;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Creates directories on a user's behalf. The agent runs as root, so without the chown a user would find
 * root-owned directories in their own home; mode is set explicitly (0755) so the agent's umask does not matter.
 */
final class OwnedDirectories {
    private static final Set<PosixFilePermission> RWXR_XR_X = PosixFilePermissions.fromString("rwxr-xr-x");

    private OwnedDirectories() {}

    /** Creates {@code dir} and any missing parents, each owned by {@code owner}; existing ones are left alone. */
    static void createMissing(Path dir, GuestUser owner) {
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = dir;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            missing.push(existing);
            existing = existing.getParent();
        }
        if (existing != null && !missing.isEmpty() && !Files.isDirectory(existing)) {
            throw ConnectException.invalidArgument(
                    "cannot create directory " + dir + ": " + existing + " is not a directory");
        }
        for (Path next : missing) {
            createOne(next, owner);
        }
    }

    private static void createOne(Path dir, GuestUser owner) {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                return; // created concurrently: someone else owns that race and its result
            }
            throw FilesystemErrors.of("create directory", dir, e);
        } catch (IOException e) {
            throw FilesystemErrors.of("create directory", dir, e);
        }
        try {
            Files.setPosixFilePermissions(dir, RWXR_XR_X);
            chown(dir, owner);
        } catch (IOException e) {
            throw FilesystemErrors.of("set owner of directory", dir, e);
        }
    }

    static void chown(Path path, GuestUser owner) throws IOException {
        Files.setAttribute(path, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
    }
}
