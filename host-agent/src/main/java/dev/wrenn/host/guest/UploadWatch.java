package dev.wrenn.host.guest;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The body of an upload to the guest, watched for a guest that stops reading it or, once it has all of it, never
 * answers. An upload has no deadline (files may be large, the uploader slow), so progress is what is checked: the
 * HTTP client pulls the body as fast as the guest reads it, and while it is not pulling (and not waiting on the
 * uploader) the idle clock runs. Past the idle limit the request is cancelled, which closes its connection.
 */
final class UploadWatch extends InputStream {
    private static final long POLL_MILLIS = 100;

    private final InputStream content;
    private final Duration idle;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean waitingOnUploader;

    UploadWatch(InputStream content, Duration idle) {
        this.content = content;
        this.idle = idle;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        waitingOnUploader = true;
        try {
            return content.read(buffer, offset, length);
        } finally {
            lastProgress = System.nanoTime();
            waitingOnUploader = false;
        }
    }

    @Override
    public void close() throws IOException {
        content.close();
    }

    /** Sends {@code request} (whose body is this) and returns its answer once the headers arrived. */
    HttpResponse<InputStream> send(
            HttpClient http, HttpRequest request, String sandboxId, String operation, GuestFaults faults) {
        CompletableFuture<HttpResponse<InputStream>> answer =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            while (true) {
                try {
                    return answer.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillSending) {
                    if (stalled()) {
                        answer.cancel(true);
                        String detail = "the guest agent neither read the upload nor answered for " + idle;
                        faults.record(sandboxId, operation + ": " + detail);
                        throw new HostAgentException(
                                ErrorCode.UNAVAILABLE, EnvdErrors.describe(sandboxId, operation, detail));
                    }
                }
            }
        } catch (ExecutionException e) {
            IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            throw EnvdErrors.sendFailure(sandboxId, operation, null, cause, faults);
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw EnvdErrors.interrupted(sandboxId, operation, e);
        }
    }

    private boolean stalled() {
        return !waitingOnUploader && System.nanoTime() - lastProgress > idle.toNanos();
    }
}
