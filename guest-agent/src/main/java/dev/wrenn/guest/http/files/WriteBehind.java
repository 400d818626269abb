package dev.wrenn.guest.http.files;

import dev.wrenn.guest.http.transport.HttpError;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Writes an upload's chunks to its file on a second virtual thread while the request's thread reads the next chunk
 * from the request. Reading a decoded body (gzip, multipart: small reads through arrays) and writing the file each cost about
 * half of an upload's CPU, so on a guest with two cores overlapping them raises throughput. Two chunks circulate, one
 * being filled and one being written, so memory stays at two chunks whatever the file's size.
 */
final class WriteBehind implements AutoCloseable {
    private record Filled(byte[] bytes, int length) {}

    private static final Filled END = new Filled(new byte[0], 0);

    private final FileChannel file;
    private final Path target;
    private final TransferChunk first = TransferChunk.lease();
    private final TransferChunk second = TransferChunk.lease();
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(2);
    private final BlockingQueue<Filled> filled = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile HttpError failure;
    private boolean ended;

    WriteBehind(FileChannel file, Path target) {
        this.file = file;
        this.target = target;
        empty.add(first.bytes());
        empty.add(second.bytes());
        this.writer = Thread.ofVirtual().name("upload-writer " + target).start(this::writeAll);
    }

    /** A chunk to fill, once the writer has finished with it; throws the writer's failure if it had one. */
    byte[] emptyChunk() throws InterruptedIOException {
        byte[] chunk;
        try {
            chunk = empty.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading '" + target + "'");
        }
        throwIfFailed();
        return chunk;
    }

    /** Hands {@code length} bytes of {@code chunk} (taken from {@link #emptyChunk}) to the writer. */
    void write(byte[] chunk, int length) {
        filled.add(new Filled(chunk, length));
    }

    /** Waits until every chunk handed over is written; throws the writer's failure if it had one. */
    void finish() {
        end();
        throwIfFailed();
    }

    @Override
    public void close() {
        end();
        first.close();
        second.close();
    }

    private void end() {
        if (!ended) {
            ended = true;
            filled.add(END);
            joinWriter();
        }
    }

    private void joinWriter() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true; // the file must not be written to once the request gives up on it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void throwIfFailed() {
        if (failure != null) {
            throw failure;
        }
    }

    private void writeAll() {
        while (true) {
            Filled next = filled.poll();
            if (next == null) {
                next = takeUninterruptibly();
            }
            if (next == END) {
                return;
            }
            try {
                if (failure == null) {
                    UploadWriter.writeChunk(file, ByteBuffer.wrap(next.bytes(), 0, next.length()), target);
                }
            } catch (HttpError e) {
                failure = e; // keep returning chunks so that the reader sees it at its next emptyChunk()
            } catch (Throwable e) {
                // Anything else must fail the upload too: a writer that died silently would leave chunks unwritten.
                failure = new HttpError(500, "writing '" + target + "': " + e, e);
            } finally {
                empty.add(next.bytes());
            }
        }
    }

    private Filled takeUninterruptibly() {
        while (true) {
            try {
                return filled.take();
            } catch (InterruptedException e) {
                // only the request thread ends this writer, by handing it END
            }
        }
    }
}
