package dev.wrenn.host.oci;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives the image the account E2B's templates expect: {@code user} with home {@code /home/user}, uid and gid 1000
 * when free (else the first free number from 1000), the image's bash or sh as shell, and passwordless sudo when the
 * image has sudo. An image that has {@code user} already is left alone. The files are edited directly (the image may
 * have no useradd); a passwd or group that is a symlink is refused rather than followed.
 */
final class UserAccount {
    static final String NAME = "user";

    private UserAccount() {}

    /** @return a log line saying what was done */
    static String ensure(Path root, LayerApplier paths) {
        Path etc = paths.directory("etc");
        Path passwd = etc.resolve("passwd");
        Path group = etc.resolve("group");
        try {
            List<String> users = lines(passwd);
            if (users.stream().anyMatch(l -> l.startsWith(NAME + ":"))) {
                return "the image has user `user` already";
            }
            List<String> groups = lines(group);
            int uid = free(users, 2);
            int gid = free(groups, 2);
            String shell = Files.isRegularFile(paths.directory("bin").resolve("bash")) ? "/bin/bash" : "/bin/sh";
            append(passwd, "%s:x:%d:%d::/home/%s:%s".formatted(NAME, uid, gid, NAME, shell));
            append(group, "%s:x:%d:".formatted(NAME, gid));
            Path shadow = etc.resolve("shadow");
            if (Files.isRegularFile(shadow, LinkOption.NOFOLLOW_LINKS)) {
                append(shadow, NAME + ":!:19000:0:99999:7:::");
            }
            Path home = paths.directory("home").resolve(NAME);
            if (!Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(home);
                Files.setAttribute(home, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(home, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(home, "unix:mode", 0755);
            }
            Path sudoers = etc.resolve("sudoers.d");
            if (Files.isDirectory(sudoers, LinkOption.NOFOLLOW_LINKS)) {
                Path rule = sudoers.resolve("wrenn-user");
                Files.deleteIfExists(rule);
                Files.writeString(rule, "user ALL=(ALL:ALL) NOPASSWD: ALL\n");
                Files.setAttribute(rule, "unix:mode", 0440);
            }
            return "created user `user` (uid %d, gid %d, shell %s)".formatted(uid, gid, shell);
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION, "adding user `user` to the image: " + e.getMessage(), e);
        }
    }

    private static List<String> lines(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file.getFileName() + " is a symlink");
        }
        if (!Files.exists(file)) {
            return List.of();
        }
        if (Files.size(file) > (4 << 20)) {
            throw new IOException(file.getFileName() + " is larger than 4 MiB");
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static Set<Integer> taken(List<String> lines, int field) {
        Set<Integer> ids = new HashSet<>();
        for (String line : lines) {
            String[] parts = line.split(":", -1);
            if (parts.length > field) {
                try {
                    ids.add(Integer.parseInt(parts[field]));
                } catch (NumberFormatException ignored) {
                    // not an account line
                }
            }
        }
        return ids;
    }

    private static int free(List<String> lines, int field) {
        Set<Integer> ids = taken(lines, field);
        int id = 1000;
        while (ids.contains(id)) {
            id++;
        }
        return id;
    }

    private static void append(Path file, String line) throws IOException {
        boolean existed = Files.exists(file);
        String prefix = "";
        if (existed) {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
                prefix = "\n";
            }
        }
        Files.writeString(file, prefix + line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (!existed) {
            Files.setAttribute(file, "unix:mode", file.getFileName().toString().equals("shadow") ? 0640 : 0644);
        }
    }
}
