package dev.wrenn.guest.fs;

import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.user.UserDirectory;
import dev.wrenn.protocol.envd.filesystem.EntryInfo;
import dev.wrenn.protocol.envd.filesystem.FileType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** PLACEHOLDER for the filesystem helper's class (replaced at merge): describes a path as an EntryInfo. */
public final class EntryInfos {
    public EntryInfos(UserDirectory users) {}

    public EntryInfo describe(Path path) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            return EntryInfo.newBuilder()
                    .setName(
                            path.getFileName() == null
                                    ? "/"
                                    : path.getFileName().toString())
                    .setPath(path.toString())
                    .setType(attrs.isDirectory() ? FileType.FILE_TYPE_DIRECTORY : FileType.FILE_TYPE_FILE)
                    .setSize(attrs.size())
                    .build();
        } catch (NoSuchFileException e) {
            throw ConnectException.notFound("describing " + path + ": no such file or directory");
        } catch (IOException e) {
            throw new UncheckedIOException("describing " + path, e);
        }
    }
}
