package dev.wrenn.host.vmm.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Receives an outgoing migration stream on a unix socket and writes it to a file. Used instead of
 * {@code exec:cat > file} because QEMU signals its exec child as soon as the stream ends, which can cut off the
 * tail of the state still in the pipe; here the file is complete (and synced) exactly when the stream hits EOF.
 */
final class StateSink implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final CompletableFuture<Long> written = new CompletableFuture<>();

    private StateSink(Path socket, ServerSocketChannel server) {
        this.socket = socket;
        this.server = server;
    }

    static StateSink listen(Path socket, Path target) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        StateSink sink = new StateSink(socket, server);
        Thread.ofVirtual().name("state-sink-" + target.getFileName()).start(() -> sink.receive(target));
        return sink;
    }

    String uri() {
        return "unix:" + socket;
    }

    /** Bytes written once QEMU closed the stream; fails if the stream did not arrive in time. */
    long await(Duration timeout) throws IOException, TimeoutException {
        try {
            return written.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while receiving VM state", e);
        }
    }

    private void receive(Path target) {
        try (SocketChannel stream = server.accept();
                FileChannel file = FileChannel.open(
                        target,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            long total = 0;
            while (stream.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    total += file.write(buffer);
                }
                buffer.clear();
            }
            file.force(true);
            written.complete(total);
        } catch (IOException | RuntimeException e) {
            written.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // A leftover socket file in the VM directory goes with the directory.
        }
    }
}
