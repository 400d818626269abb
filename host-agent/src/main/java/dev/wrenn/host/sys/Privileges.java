package dev.wrenn.host.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this process runs as, read from /proc (the JDK reports only the user name). */
public final class Privileges {
    private static final Path STATUS = Path.of("/proc/self/status");

    private Privileges() {}

    /** The effective uid; -1 when /proc cannot be read. */
    public static long effectiveUid() {
        try {
            return effectiveUid(Files.readString(STATUS));
        } catch (IOException e) {
            return -1;
        }
    }

    static long effectiveUid(String status) {
        // "Uid:\t<real>\t<effective>\t<saved>\t<fs>"
        return status.lines()
                .filter(line -> line.startsWith("Uid:"))
                .map(line -> line.substring(4).strip().split("\\s+")[1])
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElse(-1);
    }

    public static boolean isRoot() {
        return effectiveUid() == 0;
    }
}
