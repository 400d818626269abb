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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads a process's output descriptors (stdout and stderr pipes, or a PTY master) and publishes each chunk as a
 * data event. Runs on a platform thread because poll and read are blocking native calls. Stops when every
 * descriptor reaches end of file, or a grace period after the child exited: a background grandchild may hold the
 * pipe open for ever, and the process's stream must still end.
 */
final class OutputPump {
    private static final int CHUNK = 32 * 1024;
    private static final int POLL_MILLIS = 100;
    private static final int MAX_DRAIN_READS = 64;

    enum Channel {
        STDOUT,
        STDERR,
        PTY
    }

    /** One descriptor to read (non-blocking) and where its bytes go. */
    record Source(int fd, Channel channel) {}

    private final List<Source> open;
    private final Consumer<ProcessEvent> publish;
    private final long graceNanos;

    OutputPump(List<Source> sources, Consumer<ProcessEvent> publish, Duration grace) {
        this.open = new ArrayList<>(sources);
        this.publish = publish;
        this.graceNanos = grace.toNanos();
    }

    /** Pumps until done; {@code childExited} is polled to start the grace period. */
    void run(BooleanSupplier childExited) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(CHUNK);
            Long graceEnds = null; // when reading stops, once the child has exited
            while (!open.isEmpty()) {
                readReady(buffer);
                if (graceEnds == null && childExited.getAsBoolean()) {
                    graceEnds = System.nanoTime() + graceNanos;
                }
                if (graceEnds != null && System.nanoTime() - graceEnds >= 0) {
                    drain(buffer);
                    return;
                }
            }
        }
    }

    private void readReady(MemorySegment buffer) throws ErrnoException {
        int[] fds = open.stream().mapToInt(Source::fd).toArray();
        short[] ready = new short[fds.length];
        if (Posix.poll(fds, Posix.POLLIN, ready, POLL_MILLIS) == 0) {
            return;
        }
        List<Source> polled = List.copyOf(open);
        for (int i = 0; i < polled.size(); i++) {
            if (ready[i] != 0) {
                readOnce(polled.get(i), buffer);
            }
        }
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
