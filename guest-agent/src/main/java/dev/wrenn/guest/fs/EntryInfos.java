package dev.wrenn.guest.fs;

import com.google.protobuf.Timestamp;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.user.UserDirectory;
import dev.wrenn.protocol.envd.filesystem.EntryInfo;
import dev.wrenn.protocol.envd.filesystem.FileType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * Describes a file as envd's {@code EntryInfo}. The entry is the path itself ({@code lstat}): its name, size,
 * permissions text, owner and time. A symlink reports the type and mode of what it finally points at and that
 * target's absolute real path in {@code symlinkTarget}; its permissions text keeps the link's own {@code L...}.
 *
 * <p>A dangling (or looping) symlink has no target to describe. envd reports it with an unspecified type, which E2B's
 * SDKs silently drop from listings; Wrenn reports it as {@code FILE_TYPE_SYMLINK} with the link's own mode (0777)
 * and the absolute path it points at, so it stays visible and can be recognised as broken.
 */
public final class EntryInfos {
    private static final String STAT_ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime";
    private static final int PERMISSION_BITS = 0777;

    private final UserDirectory users;

    public EntryInfos(UserDirectory users) {
        this.users = users;
    }

    /** @throws ConnectException {@code not_found} ("path /x does not exist") when nothing is at {@code path} */
    public EntryInfo describe(Path path) {
        Path absolute = path.toAbsolutePath();
        Map<String, Object> stat = lstat(absolute);
        int stMode = (Integer) stat.get("mode");
        EntryInfo.Builder entry = EntryInfo.newBuilder()
                .setName(nameOf(absolute))
                .setPath(absolute.toString())
                .setSize((Long) stat.get("size"))
                .setPermissions(FileModeText.of(stMode))
                .setOwner(users.userName((Integer) stat.get("uid")))
                .setGroup(users.groupName((Integer) stat.get("gid")))
                .setModifiedTime(timestamp((FileTime) stat.get("lastModifiedTime")))
                .putAllMetadata(FileMetadata.read(absolute));
        if ((stMode & FileModeText.S_IFMT) == FileModeText.S_IFLNK) {
            describeSymlinkTarget(absolute, stMode, entry);
        } else {
            entry.setType(typeOf(stMode)).setMode(stMode & PERMISSION_BITS);
        }
        return entry.build();
    }

    private static Map<String, Object> lstat(Path path) {
        try {
            return Files.readAttributes(path, STAT_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw FilesystemErrors.missing(path);
        } catch (IOException e) {
            throw FilesystemErrors.of("stat", path, e);
        }
    }

    private static void describeSymlinkTarget(Path link, int linkMode, EntryInfo.Builder entry) {
        try {
            Path target = link.toRealPath();
            int targetMode = (Integer) Files.getAttribute(target, "unix:mode");
            entry.setType(typeOf(targetMode))
                    .setMode(targetMode & PERMISSION_BITS)
                    .setSymlinkTarget(target.toString());
        } catch (IOException e) {
            entry.setType(FileType.FILE_TYPE_SYMLINK)
                    .setMode(linkMode & PERMISSION_BITS)
                    .setSymlinkTarget(danglingTarget(link));
        }
    }

    /** Where a dangling link points, made absolute against the link's directory. */
    private static String danglingTarget(Path link) {
        try {
            return link.resolveSibling(Files.readSymbolicLink(link)).normalize().toString();
        } catch (IOException e) {
            return link.toString();
        }
    }

    private static FileType typeOf(int stMode) {
        return switch (stMode & FileModeText.S_IFMT) {
            case FileModeText.S_IFREG -> FileType.FILE_TYPE_FILE;
            case FileModeText.S_IFDIR -> FileType.FILE_TYPE_DIRECTORY;
            case FileModeText.S_IFLNK -> FileType.FILE_TYPE_SYMLINK;
            default -> FileType.FILE_TYPE_UNSPECIFIED;
        };
    }

    private static String nameOf(Path path) {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }

    private static Timestamp timestamp(FileTime time) {
        Instant instant = time.toInstant();
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }
}
