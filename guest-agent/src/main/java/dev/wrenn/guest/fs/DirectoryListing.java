package dev.wrenn.guest.fs;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.protocol.envd.filesystem.EntryInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists a directory down to a depth in the order E2B clients expect: depth-first, each directory's entries sorted by
 * the bytes of their names (as Go's directory walk does), a directory's contents right after it. Symlinks to
 * directories are listed but not entered, so a link loop cannot make a listing endless.
 */
final class DirectoryListing {
    private static final Comparator<Path> BY_NAME_BYTES = (a, b) -> Arrays.compareUnsigned(
            a.getFileName().toString().getBytes(StandardCharsets.UTF_8),
            b.getFileName().toString().getBytes(StandardCharsets.UTF_8));

    private final EntryInfos entries;

    DirectoryListing(EntryInfos entries) {
        this.entries = entries;
    }

    /** The entries under {@code dir} (not {@code dir} itself), {@code depth} levels deep (1 = direct children). */
    List<EntryInfo> list(Path dir, int depth) {
        List<EntryInfo> result = new ArrayList<>();
        walk(dir, depth, result);
        return result;
    }

    private void walk(Path dir, int levelsLeft, List<EntryInfo> result) {
        for (Path child : sortedChildren(dir)) {
            try {
                result.add(entries.describe(child));
            } catch (ConnectException e) {
                if (e.code() == Code.NOT_FOUND) {
                    continue; // removed while we were listing
                }
                throw e;
            }
            if (levelsLeft > 1 && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                walk(child, levelsLeft - 1, result);
            }
        }
    }

    private static List<Path> sortedChildren(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.sorted(BY_NAME_BYTES).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw FilesystemErrors.of("list directory", dir, e);
        }
    }
}
