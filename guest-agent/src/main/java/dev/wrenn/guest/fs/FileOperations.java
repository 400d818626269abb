package dev.wrenn.guest.fs;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.user.GuestUser;
import dev.wrenn.protocol.envd.filesystem.EntryInfo;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The filesystem RPCs' actions on already resolved paths, with envd's error semantics. */
final class FileOperations {
    private final EntryInfos entries;
    private final DirectoryListing listing;

    FileOperations(EntryInfos entries) {
        this.entries = entries;
        this.listing = new DirectoryListing(entries);
    }

    /** Creates {@code dir} and missing parents for {@code user}; {@code already_exists} if anything is there. */
    EntryInfo makeDir(Path dir, GuestUser user) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            String what = Files.isDirectory(dir) ? "directory " + dir : "path " + dir + " (not a directory)";
            throw new ConnectException(Code.ALREADY_EXISTS, "make directory: " + what + " already exists");
        }
        OwnedDirectories.createMissing(dir, user);
        return entries.describe(dir);
    }

    /**
     * Renames {@code source} to {@code destination}, creating the destination's missing parents for {@code user}.
     * Like rename(2) it replaces an existing file; across filesystems a file is copied and the source deleted.
     */
    EntryInfo move(Path source, Path destination, GuestUser user) {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw ConnectException.notFound("move: source path " + source + " does not exist");
        }
        if (destination.getParent() != null) {
            OwnedDirectories.createMissing(destination.getParent(), user);
        }
        try {
            rename(source, destination);
        } catch (IOException e) {
            throw FilesystemErrors.of("move " + source + " to", destination, e);
        }
        return entries.describe(destination);
    }

    private static void rename(Path source, Path destination) throws IOException {
        try {
            Files.move(source, destination, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, destination, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Entries below {@code dir} to {@code depth} levels; {@code dir} may be a symlink to a directory. */
    List<EntryInfo> list(Path dir, int depth) {
        if (!Files.exists(dir)) {
            throw ConnectException.notFound("list directory: path " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw ConnectException.invalidArgument("list directory: path " + dir + " is not a directory");
        }
        return listing.list(dir, depth);
    }

    /** Deletes {@code path} and everything below it; a missing path is already removed. */
    void remove(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            TreeRemoval.delete(path);
        } catch (IOException e) {
            throw FilesystemErrors.of("remove", path, e);
        }
    }
}
