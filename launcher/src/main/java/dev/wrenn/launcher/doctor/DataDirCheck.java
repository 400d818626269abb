package dev.wrenn.launcher.doctor;

import static java.nio.file.attribute.PosixFilePermission.GROUP_READ;
import static java.nio.file.attribute.PosixFilePermission.GROUP_WRITE;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_READ;
import static java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE;

import dev.wrenn.launcher.doctor.Probes.Ownership;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The data directory holds password hashes, the JWT secret and every sandbox's disk and memory: root's alone. One
 * another user can write is a way to root (it holds what QEMU runs as root); one others can read leaks the secrets.
 */
final class DataDirCheck {
    private DataDirCheck() {}

    static Finding check(Path dir, Probes.DataDirs probe) {
        Optional<Ownership> found = probe.ownership(dir);
        String topic = "data directory";
        if (found.isEmpty()) {
            return Finding.ok(topic, dir + " does not exist yet; ./wrenn up creates it, mode 0700, owned by root");
        }
        Ownership ownership = found.get();
        String mode = PosixFilePermissions.toString(ownership.permissions());
        if (!ownership.directory()) {
            return Finding.fail(topic, dir + " exists and is not a directory", "pass --data-dir DIR elsewhere");
        }
        if (ownership.uid() != 0) {
            return Finding.fail(
                    topic,
                    dir + " is owned by uid " + ownership.uid() + ", not root: that user could change what root runs",
                    "chown -R root:root " + dir + " && chmod 700 " + dir);
        }
        if (ownership.permissions().contains(GROUP_WRITE)
                || ownership.permissions().contains(OTHERS_WRITE)) {
            return Finding.fail(
                    topic,
                    dir + " is writable by others (" + mode + "): they could change what root runs",
                    "chmod 700 " + dir);
        }
        if (ownership.permissions().contains(GROUP_READ)
                || ownership.permissions().contains(OTHERS_READ)) {
            return Finding.warn(
                    topic,
                    dir + " is readable by others (" + mode + "): it holds password hashes and the JWT secret",
                    "chmod 700 " + dir);
        }
        return Finding.ok(topic, dir + " is root's, mode " + mode);
    }
}
