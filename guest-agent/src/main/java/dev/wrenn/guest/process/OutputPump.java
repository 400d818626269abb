package dev.wrenn.guest.process;

import com.google.protobuf.ByteString;
import dev.wrenn.guest.process.sys.ErrnoException;
import dev.wrenn.guest.process.sys.Posix;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads a process's output descriptors (stdout and stderr pipes, or a PTY master) and publishes each chunk as a
 * data event. Runs on a platform thread because poll and read are blocking native calls. One poll without a
 * timeout waits for output and, through the child's pidfd, for its exit, so the stream ends as soon as the child
 * has exited and its output reached end of file. Stops when every descriptor reaches end of file, or a grace period
 * after the child exited: a background grandchild may hold the pipe open for ever, and the process's stream must
 * still end. Without a pidfd (kernels before 5.3) the exit is checked every 100 ms.
 */
final class OutputPump {
    private static final int CHUNK = 32 * 1024;
    private static final int EXIT_CHECK_MILLIS = 100;
    private static final int MAX_DRAIN_READS = 64;
    private static final int FOREVER = -1;

    enum Channel {
        STDOUT,
        STDERR,
        PTY
    }

    /** One descriptor to read (non-blocking) and where its bytes go. */
    record Source(int fd, Channel channel) {}

    /**
     * How the pump learns that the child exited: {@code exitFd}, when present, becomes readable at the exit (a
     * pidfd); {@code exited} reaps the child without blocking and says whether it has exited.
     */
    record ChildExit(OptionalInt exitFd, BooleanSupplier exited) {}

    private final List<Source> open;
    private final Consumer<ProcessEvent> publish;
    private final long graceNanos;

    OutputPump(List<Source> sources, Consumer<ProcessEvent> publish, Duration grace) {
        this.open = new ArrayList<>(sources);
        this.publish = publish;
        this.graceNanos = grace.toNanos();
    }

    /** Pumps until done. */
    void run(ChildExit child) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(CHUNK);
            OptionalInt exitFd = child.exitFd();
            Long graceEnds = null; // when reading stops, once the child has exited
            while (!open.isEmpty()) {
                int timeout = graceEnds != null
                        ? remainingMillis(graceEnds)
                        : exitFd.isPresent() ? FOREVER : EXIT_CHECK_MILLIS;
                if (readReady(buffer, exitFd, timeout)) {
                    exitFd = OptionalInt.empty(); // it stays readable: polling it again would spin
                }
                if (graceEnds == null && exitFd.isEmpty() && child.exited().getAsBoolean()) {
                    graceEnds = System.nanoTime() + graceNanos;
                }
                if (graceEnds != null && System.nanoTime() - graceEnds >= 0) {
                    drain(buffer);
                    return;
                }
            }
        }
    }

    private static int remainingMillis(long deadline) {
        long nanos = deadline - System.nanoTime();
        return nanos <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }

    /** Waits for output or the exit, reads every ready source once; true when {@code exitFd} became readable. */
    private boolean readReady(MemorySegment buffer, OptionalInt exitFd, int timeout) throws ErrnoException {
        List<Source> polled = List.copyOf(open);
        int[] fds = new int[polled.size() + (exitFd.isPresent() ? 1 : 0)];
        for (int i = 0; i < polled.size(); i++) {
            fds[i] = polled.get(i).fd();
        }
        exitFd.ifPresent(fd -> fds[fds.length - 1] = fd);
        short[] ready = new short[fds.length];
        if (Posix.poll(fds, Posix.POLLIN, ready, timeout) == 0) {
            return false;
        }
        for (int i = 0; i < polled.size(); i++) {
            if (ready[i] != 0) {
                readOnce(polled.get(i), buffer);
            }
        }
        return exitFd.isPresent() && ready[fds.length - 1] != 0;
    }

    /** Reads what is already buffered without waiting for more. */
    private void drain(MemorySegment buffer) {
        for (Source source : List.copyOf(open)) {
            for (int i = 0; i < MAX_DRAIN_READS && open.contains(source); i++) {
                if (readOnce(source, buffer) == Posix.WOULD_BLOCK) {
                    break;
                }
            }
        }
    }

    /** One read: publishes the bytes, or forgets the source at end of file or on error (EIO on a PTY). */
    private int readOnce(Source source, MemorySegment buffer) {
        int count;
        try {
            count = Posix.read(source.fd(), buffer);
        } catch (ErrnoException e) {
            count = 0; // EIO: the PTY slave was closed by every process that had it
        }
        if (count == 0) {
            open.remove(source);
        } else if (count > 0) {
            publish.accept(dataEvent(source.channel(), buffer.asSlice(0, count).toArray(ValueLayout.JAVA_BYTE)));
        }
        return count;
    }

    private static ProcessEvent dataEvent(Channel channel, byte[] bytes) {
        ByteString data = ByteString.copyFrom(bytes);
        ProcessEvent.DataEvent.Builder event = ProcessEvent.DataEvent.newBuilder();
        switch (channel) {
            case STDOUT -> event.setStdout(data);
            case STDERR -> event.setStderr(data);
            case PTY -> event.setPty(data);
        }
        return ProcessEvent.newBuilder().setData(event).build();
    }
}
