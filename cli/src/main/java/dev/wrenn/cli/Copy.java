package dev.wrenn.cli;

import dev.wrenn.sdk.ConnectionConfig;
import dev.wrenn.sdk.Sandbox;
import dev.wrenn.sdk.files.EntryInfo;
import dev.wrenn.sdk.files.FileType;
import dev.wrenn.sdk.files.Files;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code wrenn sandbox cp SRC DST}: files and directories between this machine and a sandbox, {@code ID:PATH} on
 * one side. Like {@code cp -r}: into an existing directory the source keeps its name. Files stream (never whole in
 * memory); a progress bar goes to stderr when it is a terminal, a summary line always.
 */
final class Copy {
    private static final Duration TRANSFER_TIMEOUT = Duration.ofHours(1);

    private final ConnectionConfig config;
    private final PrintStream err;
    private final boolean bar = System.console() != null;
    private long total;
    private long done;
    private int files;

    Copy(ConnectionConfig config, PrintStream err) {
        this.config = config;
        this.err = err;
    }

    int run(String src, String dst) {
        boolean srcRemote = remote(src);
        boolean dstRemote = remote(dst);
        if (srcRemote == dstRemote) {
            throw new UsageException("cp needs ID:PATH on exactly one side");
        }
        long start = System.nanoTime();
        if (dstRemote) {
            upload(Path.of(src), dst);
        } else {
            download(src, Path.of(dst));
        }
        if (bar) {
            err.print("\r\033[K");
        }
        err.printf(
                "copied %d file%s, %s in %.1f s%n",
                files, files == 1 ? "" : "s", bytes(done), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static boolean remote(String spec) {
        int colon = spec.indexOf(':');
        return colon > 0 && !spec.substring(0, colon).contains("/");
    }

    private Files files(String spec) {
        return Sandbox.connect(spec.substring(0, spec.indexOf(':')), config)
                .files()
                .withTimeout(TRANSFER_TIMEOUT);
    }

    private static String path(String spec) {
        String p = spec.substring(spec.indexOf(':') + 1);
        return p.isEmpty() ? "." : p;
    }

    private void upload(Path local, String spec) {
        Files fs = files(spec);
        String target = path(spec);
        if (!java.nio.file.Files.exists(local)) {
            throw new UsageException(local + " does not exist");
        }
        if (fs.exists(target) && fs.getInfo(target).type() == FileType.DIRECTORY) {
            target = join(target, local.getFileName().toString());
        }
        try {
            if (java.nio.file.Files.isDirectory(local)) {
                List<Path> all;
                try (Stream<Path> walk = java.nio.file.Files.walk(local)) {
                    all = walk.collect(Collectors.toList());
                }
                for (Path p : all) {
                    if (java.nio.file.Files.isRegularFile(p)) {
                        total += java.nio.file.Files.size(p);
                    }
                }
                for (Path p : all) {
                    String rel = local.relativize(p).toString().replace('\\', '/');
                    String remotePath = rel.isEmpty() ? target : join(target, rel);
                    if (java.nio.file.Files.isDirectory(p)) {
                        fs.makeDir(remotePath);
                    } else if (java.nio.file.Files.isRegularFile(p)) {
                        uploadFile(fs, p, remotePath);
                    }
                }
            } else {
                total = java.nio.file.Files.size(local);
                uploadFile(fs, local, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + local, e);
        }
    }

    private void uploadFile(Files fs, Path p, String remotePath) throws IOException {
        fs.write(
                remotePath,
                counting(java.nio.file.Files.newInputStream(p), p.getFileName().toString()));
        files++;
    }

    private void download(String spec, Path local) {
        Files fs = files(spec);
        String source = path(spec);
        EntryInfo info = fs.getInfo(source);
        Path target = java.nio.file.Files.isDirectory(local) ? local.resolve(info.name()) : local;
        try {
            if (info.type() == FileType.DIRECTORY) {
                List<EntryInfo> entries = fs.list(info.path(), 64);
                for (EntryInfo e : entries) {
                    if (e.type() == FileType.FILE) {
                        total += e.size();
                    }
                }
                java.nio.file.Files.createDirectories(target);
                for (EntryInfo e : entries) {
                    Path p = target.resolve(e.path().substring(info.path().length() + 1));
                    if (!p.normalize().startsWith(target.normalize())) {
                        throw new UsageException("the sandbox listed a path outside " + source + ": " + e.path());
                    }
                    if (e.type() == FileType.DIRECTORY) {
                        java.nio.file.Files.createDirectories(p);
                    } else if (e.type() == FileType.FILE) {
                        downloadFile(fs, e.path(), p);
                    }
                }
            } else {
                total = info.size();
                downloadFile(fs, info.path(), target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target, e);
        }
    }

    private void downloadFile(Files fs, String remotePath, Path p) throws IOException {
        if (p.getParent() != null) {
            java.nio.file.Files.createDirectories(p.getParent());
        }
        try (InputStream in =
                        counting(fs.readStream(remotePath), p.getFileName().toString());
                OutputStream out = java.nio.file.Files.newOutputStream(p)) {
            in.transferTo(out);
        }
        files++;
    }

    private InputStream counting(InputStream in, String name) {
        return new FilterInputStream(in) {
            private long lastDraw;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    advance(n);
                }
                return n;
            }

            private void advance(long n) {
                done += n;
                long now = System.nanoTime();
                if (bar && now - lastDraw > 100_000_000L) {
                    lastDraw = now;
                    draw(name);
                }
            }
        };
    }

    private void draw(String name) {
        int width = 30;
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) (fraction * width);
        err.printf(
                "\r\033[K[%s%s] %3d%% %s / %s  %s",
                "#".repeat(filled),
                " ".repeat(width - filled),
                (int) (fraction * 100),
                bytes(done),
                bytes(total),
                name);
        err.flush();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        return String.format("%.1f MiB", n / (1024.0 * 1024));
    }

    private static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
