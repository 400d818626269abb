package dev.wrenn.guest.http.files;

import dev.wrenn.guest.http.transport.HttpError;
import dev.wrenn.guest.user.GuestUser;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Gives what the agent (running as root) creates to the user a request acts for: files are chowned to the user,
 * missing parent directories are created 0755 and owned by the user.
 */
final class Ownership {
    private Ownership() {}

    static void chown(Path path, GuestUser user) throws IOException {
        Files.setAttribute(path, "unix:uid", user.uid());
        Files.setAttribute(path, "unix:gid", user.gid());
    }

    static void createParents(Path file, GuestUser user) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path dir = file.getParent(); dir != null && !Files.exists(dir); dir = dir.getParent()) {
            missing.push(dir);
        }
        for (Path dir : missing) {
            createDirectory(dir, user);
        }
        Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw HttpError.badRequest("cannot create '" + file + "': '" + parent + "' is not a directory");
        }
    }

    private static void createDirectory(Path dir, GuestUser user) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                return; // created concurrently by another request
            }
            throw HttpError.badRequest("cannot create directory '" + dir + "': a file is in the way");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        chown(dir, user);
    }
}
