package dev.wrenn.guest.fs.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this JVM's open inotify instances, to check that watches release them. */
final class InotifyDescriptors {
    private InotifyDescriptors() {}

    static long open() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(InotifyDescriptors::isInotify).count();
        }
    }

    private static boolean isInotify(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().equals("anon_inode:inotify");
        } catch (IOException e) {
            return false; // closed while we looked (for example the directory listing's own descriptor)
        }
    }
}
