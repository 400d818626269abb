package dev.wrenn.control.config;

import dev.wrenn.control.ids.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The JWT secret kept in {@code <data>/jwt-secret} when the operator does not set one, so that tokens survive a
 * restart. Created once, readable by the owner only. Replicas on different machines must share
 * {@code WRENN_JWT_SECRET} instead.
 */
public final class JwtSecretFile {
    static final String FILE_NAME = "jwt-secret";

    private JwtSecretFile() {}

    public static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.length() < Config.MIN_JWT_SECRET_LENGTH) {
                throw new IllegalArgumentException("the JWT secret in " + file + " is shorter than "
                        + Config.MIN_JWT_SECRET_LENGTH + " characters; delete the file to have a new one generated");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("reading or creating the JWT secret " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file) throws IOException {
        Path temp = Files.createTempFile(
                file.getParent(),
                ".jwt-secret",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, Ids.hex(32) + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
            // A link, not a move: if another process created the file meanwhile, its secret wins and ours is dropped.
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException raced) {
            // Keep the other process's secret.
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
