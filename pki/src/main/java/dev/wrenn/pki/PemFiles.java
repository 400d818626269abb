package dev.wrenn.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing PEM files; keys and certificates are written 0600 by rename, so no reader sees half a file. */
public final class PemFiles {
    private PemFiles() {}

    public static String read(Path file) {
        try {
            if (Files.size(file) > Pem.MAX_CHARS) {
                throw new PkiException(file + " is larger than " + Pem.MAX_CHARS + " bytes: not a key or certificate");
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PkiException("reading " + file + ": " + e.getMessage(), e);
        }
    }

    public static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, ClusterCa.ownerOnly(true));
            }
        } catch (IOException e) {
            throw new PkiException("creating " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code text} to {@code file} with mode 0600 (made so, never widened later), replacing it atomically. */
    public static void writePrivate(Path file, String text) {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temp);
            Files.createFile(temp, ClusterCa.ownerOnly(false));
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            ClusterCa.move(temp, file);
        } catch (IOException e) {
            throw new PkiException("writing " + file + ": " + e.getMessage(), e);
        }
    }
}
