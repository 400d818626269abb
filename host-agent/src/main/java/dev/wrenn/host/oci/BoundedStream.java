package dev.wrenn.host.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A registry's response body with a size cap and two deadlines: no progress for {@code stall} closes it, and so does
 * the end of {@code total}; a read past the cap fails. A registry (or a mirror) that trickles or floods cannot hold
 * a build forever or fill the disk.
 */
final class BoundedStream extends FilterInputStream {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "oci-read-deadline");
        t.setDaemon(true);
        return t;
    });

    private final long cap;
    private final long stallMillis;
    private final long deadlineNanos;
    private final String what;
    private final ScheduledFuture<?> watchdog;
    private volatile long lastProgress = System.nanoTime();
    private volatile String expired;
    private long read;

    BoundedStream(InputStream in, long cap, java.time.Duration stall, java.time.Duration total, String what) {
        super(in);
        this.cap = cap;
        this.stallMillis = stall.toMillis();
        this.deadlineNanos = System.nanoTime() + total.toNanos();
        this.what = what;
        this.watchdog = TIMER.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    private void watch() {
        long now = System.nanoTime();
        if (now - deadlineNanos > 0) {
            expire("was not read whole within its deadline");
        } else if ((now - lastProgress) / 1_000_000 > stallMillis) {
            expire("sent nothing for " + stallMillis / 1000 + " s");
        }
    }

    private void expire(String why) {
        expired = why;
        watchdog.cancel(false);
        try {
            in.close();
        } catch (IOException ignored) {
            // the reader sees the failure
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, Math.max(1, cap - read + 1)));
        } catch (IOException e) {
            throw failure(e);
        }
        if (expired != null) {
            throw failure(null);
        }
        if (n > 0) {
            read += n;
            lastProgress = System.nanoTime();
            if (read > cap) {
                throw new IOException(what + " is larger than its limit of " + cap + " bytes");
            }
        }
        return n;
    }

    private IOException failure(IOException cause) {
        return expired != null ? new IOException(what + " " + expired, cause) : cause;
    }

    @Override
    public void close() throws IOException {
        watchdog.cancel(false);
        super.close();
    }
}
