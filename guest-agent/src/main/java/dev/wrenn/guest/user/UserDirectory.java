package dev.wrenn.guest.user;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks users and groups up in the passwd and group files. Read on every call: the files are small and accounts
 * may be added while the agent runs (for example by a command the user runs with sudo).
 */
public final class UserDirectory {
    private final Path passwdFile;
    private final Path groupFile;

    public UserDirectory(Path passwdFile, Path groupFile) {
        this.passwdFile = passwdFile;
        this.groupFile = groupFile;
    }

    public static UserDirectory system() {
        return new UserDirectory(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    /** The user called {@code name}, or {@link UnknownUserException}. */
    public GuestUser require(String name) {
        return find(name).orElseThrow(() -> new UnknownUserException(name));
    }

    public Optional<GuestUser> find(String name) {
        return lines(passwdFile).stream()
                .map(line -> line.split(":", -1))
                .filter(f -> f.length >= 7 && f[0].equals(name))
                .findFirst()
                .map(this::toUser);
    }

    /** The name of the user with this uid, or the uid as text when it has no account. */
    public String userName(int uid) {
        return nameWithId(passwdFile, uid);
    }

    /** The name of the group with this gid, or the gid as text when it has none. */
    public String groupName(int gid) {
        return nameWithId(groupFile, gid);
    }

    private GuestUser toUser(String[] f) {
        int uid = Integer.parseInt(f[2]);
        int gid = Integer.parseInt(f[3]);
        return new GuestUser(f[0], uid, gid, Path.of(f[5]), f[6], supplementaryGroups(f[0], gid));
    }

    private List<Integer> supplementaryGroups(String userName, int primaryGid) {
        List<Integer> gids = new ArrayList<>();
        for (String line : lines(groupFile)) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || f[3].isEmpty()) {
                continue;
            }
            int gid = Integer.parseInt(f[2]);
            if (gid != primaryGid && List.of(f[3].split(",")).contains(userName)) {
                gids.add(gid);
            }
        }
        return gids;
    }

    private static String nameWithId(Path file, int id) {
        String idText = Integer.toString(id);
        return lines(file).stream()
                .map(line -> line.split(":", -1))
                .filter(f -> f.length >= 3 && f[2].equals(idText))
                .map(f -> f[0])
                .findFirst()
                .orElse(idText);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
