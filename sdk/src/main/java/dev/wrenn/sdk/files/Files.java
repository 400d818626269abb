package dev.wrenn.sdk.files;

import dev.wrenn.sdk.NotFoundException;
import dev.wrenn.sdk.SandboxException;
import dev.wrenn.sdk.TimeoutException;
import dev.wrenn.sdk.internal.Envd;
import dev.wrenn.sdk.internal.Json;
import dev.wrenn.sdk.internal.ServerStream;
import dev.wrenn.sdk.internal.Transport;
import dev.wrenn.sdk.internal.envd.filesystem.ListDirRequest;
import dev.wrenn.sdk.internal.envd.filesystem.ListDirResponse;
import dev.wrenn.sdk.internal.envd.filesystem.MakeDirRequest;
import dev.wrenn.sdk.internal.envd.filesystem.MakeDirResponse;
import dev.wrenn.sdk.internal.envd.filesystem.MoveRequest;
import dev.wrenn.sdk.internal.envd.filesystem.MoveResponse;
import dev.wrenn.sdk.internal.envd.filesystem.RemoveRequest;
import dev.wrenn.sdk.internal.envd.filesystem.RemoveResponse;
import dev.wrenn.sdk.internal.envd.filesystem.StatRequest;
import dev.wrenn.sdk.internal.envd.filesystem.StatResponse;
import dev.wrenn.sdk.internal.envd.filesystem.WatchDirRequest;
import dev.wrenn.sdk.internal.envd.filesystem.WatchDirResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The sandbox's filesystem ({@code sandbox.files()}): read and write whole files as text, bytes or streams, list,
 * stat, rename, remove, make directories and watch them. Relative paths resolve against the user's home. Files move
 * as streams: a large file is never held in memory by a write or a {@link #readStream}. Reads and writes are bounded
 * by {@link #withTimeout} (the configuration's request timeout by default); other calls by the request timeout.
 */
public final class Files {
    private final Envd envd;
    private final String user;
    private final Duration timeout;

    /** @param envd the sandbox's envd (use {@code sandbox.files()}) */
    public Files(Envd envd) {
        this(envd, null, envd.config().requestTimeout());
    }

    private Files(Envd envd, String user, Duration timeout) {
        this.envd = envd;
        this.user = user;
        this.timeout = timeout;
    }

    /** The same filesystem acting as {@code user} (file owner, permissions, {@code ~}). */
    public Files asUser(String user) {
        return new Files(envd, user, timeout);
    }

    /** The same filesystem with another deadline for whole reads and writes (large files). */
    public Files withTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        return new Files(envd, user, timeout);
    }

    /** The file as UTF-8 text. */
    public String read(String path) {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }

    /** The file's bytes. */
    public byte[] readBytes(String path) {
        String what = "read " + path;
        InputStream in = envd.download(path, user, what);
        ScheduledFuture<?> deadline = deadline(in);
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            if (deadline.isDone()) {
                throw new TimeoutException(what + ": not read within " + timeout, 0, e);
            }
            throw Transport.failure(e, what);
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * The file as a stream; close it when done. The deadline bounds the answer's start only: the caller reads at its
     * own pace.
     */
    public InputStream readStream(String path) {
        return envd.download(path, user, "read " + path);
    }

    private ScheduledFuture<?> deadline(InputStream in) {
        return Transport.DEADLINES.schedule(
                () -> {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // The reader reports the deadline.
                    }
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Writes text (UTF-8), creating parent directories; replaces an existing file. */
    public WriteInfo write(String path, String text) {
        return write(path, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes, creating parent directories; replaces an existing file. */
    public WriteInfo write(String path, byte[] data) {
        return upload(path, HttpRequest.BodyPublishers.ofByteArray(data));
    }

    /** Writes everything the stream gives (streamed, never held whole in memory), then closes it. */
    public WriteInfo write(String path, InputStream data) {
        try (data) {
            return upload(path, HttpRequest.BodyPublishers.ofInputStream(() -> data));
        } catch (IOException e) {
            throw Transport.failure(e, "write " + path);
        }
    }

    private WriteInfo upload(String path, HttpRequest.BodyPublisher body) {
        String what = "write " + path;
        Transport.Answer answer = envd.upload(path, user, body, timeout, what);
        if (answer.body instanceof List && !((List<?>) answer.body).isEmpty()) {
            Object first = ((List<?>) answer.body).get(0);
            if (first instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> info = (Map<String, Object>) first;
                return new WriteInfo(Json.string(info, "path"), Json.string(info, "name"));
            }
        }
        throw new SandboxException(what + ": envd answered without the written file");
    }

    /** The entries of a directory (one level). */
    public List<EntryInfo> list(String path) {
        return list(path, 1);
    }

    /** The entries of a directory down to {@code depth} levels, in envd's order (lexical, depth first). */
    public List<EntryInfo> list(String path, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1");
        }
        ListDirResponse r = envd.unary(
                "filesystem.Filesystem/ListDir",
                ListDirRequest.newBuilder().setPath(path).setDepth(depth).build(),
                ListDirResponse.parser(),
                user,
                "list " + path);
        return r.getEntriesList().stream().map(EntryInfo::of).collect(Collectors.toList());
    }

    /** What the entry is (E2B's {@code getInfo}); a missing path is a {@link NotFoundException}. */
    public EntryInfo getInfo(String path) {
        StatResponse r = envd.unary(
                "filesystem.Filesystem/Stat",
                StatRequest.newBuilder().setPath(path).build(),
                StatResponse.parser(),
                user,
                "stat " + path);
        return EntryInfo.of(r.getEntry());
    }

    /** Whether the path exists. */
    public boolean exists(String path) {
        try {
            getInfo(path);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Renames (moves) an entry; returns the entry at its new path. */
    public EntryInfo rename(String oldPath, String newPath) {
        MoveResponse r = envd.unary(
                "filesystem.Filesystem/Move",
                MoveRequest.newBuilder()
                        .setSource(oldPath)
                        .setDestination(newPath)
                        .build(),
                MoveResponse.parser(),
                user,
                "rename " + oldPath + " to " + newPath);
        return EntryInfo.of(r.getEntry());
    }

    /** Removes a file or a directory with everything in it; removing a missing path succeeds. */
    public void remove(String path) {
        envd.unary(
                "filesystem.Filesystem/Remove",
                RemoveRequest.newBuilder().setPath(path).build(),
                RemoveResponse.parser(),
                user,
                "remove " + path);
    }

    /** Makes a directory and its parents; false if it already existed. */
    public boolean makeDir(String path) {
        try {
            envd.unary(
                    "filesystem.Filesystem/MakeDir",
                    MakeDirRequest.newBuilder().setPath(path).build(),
                    MakeDirResponse.parser(),
                    user,
                    "make directory " + path);
            return true;
        } catch (SandboxException e) {
            if (e.status() == 409) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Watches a directory; returns once the watch is in place (no later change is missed). Events go to
     * {@code onEvent} on a background thread. {@code timeout} (zero for none) ends the watch.
     */
    public WatchHandle watchDir(String path, Consumer<FilesystemEvent> onEvent, boolean recursive, Duration timeout) {
        String what = "watch " + path;
        ServerStream<WatchDirResponse> stream = envd.stream(
                "filesystem.Filesystem/WatchDir",
                WatchDirRequest.newBuilder()
                        .setPath(path)
                        .setRecursive(recursive)
                        .build(),
                WatchDirResponse.parser(),
                user,
                timeout,
                what);
        return new WatchHandle(stream, onEvent, what);
    }

    /** Watches a directory (not recursively) until stopped. */
    public WatchHandle watchDir(String path, Consumer<FilesystemEvent> onEvent) {
        return watchDir(path, onEvent, false, Duration.ZERO);
    }
}
