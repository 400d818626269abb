package dev.wrenn.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A second floor for the /files rows: the same file copied over one kept-alive loopback TCP connection with no HTTP
 * at all, by the same client-side sendfile, into a fresh file written by a receiving thread. It shows what the
 * network path alone costs on this machine. The receiver reads at most {@code readSize} bytes per read(2) and writes
 * the file 1 MiB at a time: 8 KiB is what the JDK HTTP server reads per call, whatever the handler asks for.
 */
final class LoopbackTcpCopy implements AutoCloseable {
    private static final int WRITE_SIZE = 1 << 20;

    private final ServerSocketChannel server;
    private final SocketChannel sender;
    private final Thread receiver;
    private final Path target;
    private final int readSize;

    LoopbackTcpCopy(Path target, int readSize) throws IOException {
        this.target = target;
        this.readSize = readSize;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.sender = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        this.receiver = Thread.ofPlatform().name("tcp-copy-receiver").daemon().start(() -> receiveAll(accepted));
    }

    /** Sends {@code source} (length first) and waits for the receiver's one-byte "written" answer. */
    void copy(Path source) throws IOException {
        Files.deleteIfExists(target); // as an upload over an earlier run's file and Files.copy(REPLACE_EXISTING) do
        try (FileChannel in = FileChannel.open(source)) {
            long size = in.size();
            writeFully(ByteBuffer.allocate(Long.BYTES).putLong(size).flip());
            for (long sent = 0; sent < size; ) {
                sent += in.transferTo(sent, size - sent, sender);
            }
        }
        ByteBuffer done = ByteBuffer.allocate(1);
        if (sender.read(done) != 1) {
            throw new EOFException("the loopback TCP copy receiver closed before answering for " + target);
        }
    }

    private void receiveAll(SocketChannel socket) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_SIZE);
        try (socket) {
            while (true) {
                long size = readLength(socket);
                if (size < 0) {
                    return;
                }
                receiveFile(socket, size, buffer);
                socket.write(ByteBuffer.wrap(new byte[] {1}));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("loopback TCP copy into " + target + " failed", e);
        }
    }

    private static long readLength(SocketChannel socket) throws IOException {
        ByteBuffer length = ByteBuffer.allocate(Long.BYTES);
        while (length.hasRemaining()) {
            if (socket.read(length) < 0) {
                return -1;
            }
        }
        return length.flip().getLong();
    }

    private void receiveFile(SocketChannel socket, long size, ByteBuffer buffer) throws IOException {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long left = size; left > 0; ) {
                buffer.clear();
                while (buffer.position() < buffer.capacity() && left > 0) {
                    buffer.limit((int) Math.min(buffer.capacity(), buffer.position() + Math.min(readSize, left)));
                    int read = socket.read(buffer);
                    if (read < 0) {
                        throw new EOFException("the sender closed after " + (size - left) + " of " + size + " bytes");
                    }
                    left -= read;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        }
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            sender.write(bytes);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        sender.close(); // the receiver sees end of stream and returns
        receiver.join(5_000);
        server.close();
    }
}
