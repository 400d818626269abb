package dev.wrenn.sdk.files;

import dev.wrenn.sdk.SandboxException;
import dev.wrenn.sdk.internal.ServerStream;
import dev.wrenn.sdk.internal.Transport;
import dev.wrenn.sdk.internal.envd.filesystem.WatchDirResponse;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A running directory watch: events go to the callback on a background thread until {@link #stop()} (or
 * {@link #close()}), the watch's deadline, or the sandbox going away. {@link #failure()} says why it ended if it
 * was not stopped.
 */
public final class WatchHandle implements AutoCloseable {
    private final ServerStream<WatchDirResponse> stream;
    private final Consumer<FilesystemEvent> onEvent;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile SandboxException failure;

    WatchHandle(ServerStream<WatchDirResponse> stream, Consumer<FilesystemEvent> onEvent, String what) {
        this.stream = stream;
        this.onEvent = onEvent;
        // envd's first message is the start event: after it, the watch is in place and no change is missed.
        WatchDirResponse first = stream.next();
        while (first != null && first.hasKeepalive()) {
            first = stream.next();
        }
        if (first == null || !first.hasStart()) {
            stream.close();
            throw new SandboxException(what + ": envd did not start the watch");
        }
        Transport.STREAMS.execute(this::pump);
    }

    private void pump() {
        try {
            WatchDirResponse r;
            while ((r = stream.next()) != null) {
                if (r.hasFilesystem()) {
                    onEvent.accept(new FilesystemEvent(
                            r.getFilesystem().getName(), type(r.getFilesystem().getType())));
                }
            }
        } catch (SandboxException e) {
            if (!stopped) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = new SandboxException("a watch callback failed: " + e, 0, e);
            stream.close();
        } finally {
            ended.countDown();
        }
    }

    private static FilesystemEventType type(dev.wrenn.sdk.internal.envd.filesystem.EventType t) {
        switch (t) {
            case EVENT_TYPE_CREATE:
                return FilesystemEventType.CREATE;
            case EVENT_TYPE_WRITE:
                return FilesystemEventType.WRITE;
            case EVENT_TYPE_REMOVE:
                return FilesystemEventType.REMOVE;
            case EVENT_TYPE_RENAME:
                return FilesystemEventType.RENAME;
            case EVENT_TYPE_CHMOD:
                return FilesystemEventType.CHMOD;
            default:
                return FilesystemEventType.UNKNOWN;
        }
    }

    /** Stops watching. */
    public void stop() {
        stopped = true;
        stream.close();
    }

    /** Whether the watch has ended (stopped, deadline, failure). */
    public boolean isEnded() {
        return ended.getCount() == 0;
    }

    /** Why the watch ended when it was not stopped, or null. */
    public SandboxException failure() {
        return failure;
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
