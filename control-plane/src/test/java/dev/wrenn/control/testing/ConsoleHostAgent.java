package dev.wrenn.control.testing;

import com.google.protobuf.ByteString;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.protocol.hostagent.v1.ExecEnd;
import dev.wrenn.protocol.hostagent.v1.ExecStart;
import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import dev.wrenn.protocol.hostagent.v1.ListDirRequest;
import dev.wrenn.protocol.hostagent.v1.ListDirResponse;
import dev.wrenn.protocol.hostagent.v1.PtyStartRequest;
import dev.wrenn.protocol.hostagent.v1.PtyStartResponse;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A host agent for the console's routes: a listing and a metrics sample set by the test, and an "echo terminal"
 * that reports every input back as output and records, in order, what the control plane asked of it.
 */
public class ConsoleHostAgent extends FakeHostAgent {
    public static final int PID = 4242;
    private static final PtyStartResponse CLOSED = PtyStartResponse.getDefaultInstance();

    public volatile ListDirResponse listing = ListDirResponse.getDefaultInstance();
    public volatile GetMetricsResponse metrics = GetMetricsResponse.getDefaultInstance();
    public final List<ListDirRequest> listRequests = new CopyOnWriteArrayList<>();
    public final List<PtyStartRequest> ptyStarts = new CopyOnWriteArrayList<>();
    /** What reached the terminal, in order: {@code input:<text>}, {@code resize:<cols>x<rows>}, {@code kill}, {@code closed}. */
    public final List<String> ptyCalls = new CopyOnWriteArrayList<>();

    private final BlockingQueue<PtyStartResponse> ptyEvents = new LinkedBlockingQueue<>();

    @Override
    public ListDirResponse listDir(ListDirRequest request) {
        listRequests.add(request);
        return listing;
    }

    @Override
    public GetMetricsResponse getMetrics(String sandboxId) {
        return metrics;
    }

    @Override
    public Stream<PtyStartResponse> ptyStart(PtyStartRequest request) {
        ptyStarts.add(request);
        ptyEvents.add(PtyStartResponse.newBuilder()
                .setStarted(ExecStart.newBuilder().setPid(PID))
                .build());
        Iterator<PtyStartResponse> events = new Iterator<>() {
            private PtyStartResponse next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = take();
                }
                return next != CLOSED;
            }

            @Override
            public PtyStartResponse next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                PtyStartResponse event = next;
                next = null;
                return event;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(events, Spliterator.ORDERED), false)
                .onClose(() -> {
                    ptyCalls.add("closed");
                    ptyEvents.add(CLOSED);
                });
    }

    @Override
    public void ptyInput(String sandboxId, int pid, ByteString data) {
        requirePid(pid);
        ptyCalls.add("input:" + data.toStringUtf8());
        ptyEvents.add(PtyStartResponse.newBuilder().setOutput(data).build());
    }

    @Override
    public void ptyResize(String sandboxId, int pid, int cols, int rows) {
        requirePid(pid);
        ptyCalls.add("resize:" + cols + "x" + rows);
    }

    @Override
    public void ptyKill(String sandboxId, int pid) {
        requirePid(pid);
        ptyCalls.add("kill");
    }

    /** Ends the terminal as a shell that exits with {@code code} would. */
    public void exit(int code) {
        ptyEvents.add(PtyStartResponse.newBuilder()
                .setExit(ExecEnd.newBuilder().setExitCode(code))
                .build());
    }

    private static void requirePid(int pid) {
        if (pid != PID) {
            throw ApiException.notFound("no terminal with pid " + pid);
        }
    }

    private PtyStartResponse take() {
        try {
            return ptyEvents.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CLOSED;
        }
    }
}
