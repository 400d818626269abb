package dev.wrenn.guest.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.guest.process.OutputPump.Channel;
import dev.wrenn.guest.process.OutputPump.ChildExit;
import dev.wrenn.guest.process.OutputPump.Source;
import dev.wrenn.guest.process.sys.ErrnoException;
import dev.wrenn.guest.process.sys.Posix;
import dev.wrenn.protocol.envd.process.ProcessEvent;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pump on its own, with pipes standing in for a child's stdout and a flag or a pipe for its exit. */
class OutputPumpTest {
    private final List<Integer> opened = new ArrayList<>();
    private final List<ProcessEvent> published = new ArrayList<>();

    @AfterEach
    void closePipes() {
        opened.forEach(Posix::closeQuietly);
    }

    @Test
    void withoutAPidfdThePumpStillEndsAGraceAfterTheExitWhileAGrandchildHoldsThePipe() throws Exception {
        int[] stdout = pipe();
        write(stdout[1], "before exit\n");
        AtomicBoolean exited = new AtomicBoolean(true);

        CompletableFuture<Void> pump = runPump(stdout[0], new ChildExit(OptionalInt.empty(), exited::get));

        pump.get(20, TimeUnit.SECONDS);
        assertThat(stdout()).isEqualTo("before exit\n");
    }

    @Test
    void anExitDescriptorThatBecomesReadableEndsThePumpAGraceLater() throws Exception {
        int[] stdout = pipe();
        int[] exit = pipe();
        AtomicBoolean exited = new AtomicBoolean();
        CompletableFuture<Void> pump = runPump(stdout[0], new ChildExit(OptionalInt.of(exit[0]), exited::get));
        write(stdout[1], "running\n");

        exited.set(true);
        write(exit[1], "x");

        pump.get(20, TimeUnit.SECONDS);
        assertThat(stdout()).isEqualTo("running\n");
    }

    @Test
    void outputThatReachesEndOfFileEndsThePumpWithoutAnyExit() throws Exception {
        int[] stdout = pipe();
        int[] neverReadable = pipe();
        CompletableFuture<Void> pump = runPump(stdout[0], new ChildExit(OptionalInt.of(neverReadable[0]), () -> false));

        write(stdout[1], "all of it\n");
        Posix.close(stdout[1]);
        opened.remove(Integer.valueOf(stdout[1]));

        pump.get(20, TimeUnit.SECONDS);
        assertThat(stdout()).isEqualTo("all of it\n");
    }

    private CompletableFuture<Void> runPump(int readEnd, ChildExit exit) {
        OutputPump pump =
                new OutputPump(List.of(new Source(readEnd, Channel.STDOUT)), this::publish, Duration.ofMillis(50));
        return CompletableFuture.runAsync(() -> {
            try {
                pump.run(exit);
            } catch (ErrnoException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private synchronized void publish(ProcessEvent event) {
        published.add(event);
    }

    private synchronized String stdout() {
        StringBuilder text = new StringBuilder();
        published.forEach(e -> text.append(e.getData().getStdout().toString(StandardCharsets.UTF_8)));
        return text.toString();
    }

    private int[] pipe() throws ErrnoException {
        int[] ends = Posix.pipe();
        opened.add(ends[0]);
        opened.add(ends[1]);
        Posix.setNonBlocking(ends[0]);
        return ends;
    }

    private static void write(int fd, String text) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            Posix.write(fd, arena.allocateFrom(text, StandardCharsets.UTF_8).asSlice(0, text.length()));
        }
    }
}
