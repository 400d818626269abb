package dev.wrenn.host.vmm.qemu;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.sys.Command;
import dev.wrenn.host.vmm.Accel;
import dev.wrenn.host.vmm.MemorySharing;
import dev.wrenn.host.vmm.StateFile;
import dev.wrenn.host.vmm.VmExit;
import dev.wrenn.host.vmm.VmSpec;
import dev.wrenn.host.vmm.Vmm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A QEMU {@code microvm} process, started inside the sandbox's network namespace and driven through QMP. */
public final class QemuMicrovm implements Vmm {
    private static final Logger log = LoggerFactory.getLogger(QemuMicrovm.class);
    private static final Duration SOCKET_WAIT = Duration.ofSeconds(10);
    private static final Duration SOCKET_POLL = Duration.ofMillis(10);

    private final VmSpec spec;
    private final Accel accel;
    private final long tscKhz;
    private final CompletableFuture<VmExit> exit = new CompletableFuture<>();
    private Process process;
    private QmpClient qmp;

    public QemuMicrovm(VmSpec spec, Accel accel, long tscKhz) {
        this.spec = spec;
        this.accel = accel;
        this.tscKhz = tscKhz;
    }

    /** The full argument vector, including the {@code ip netns exec} prefix when the VM has a namespace. */
    public List<String> argv() {
        Command qemu = Command.of(QemuCommandLine.build(spec, accel, tscKhz));
        // `ip netns exec` execs QEMU after setns, so the pid we hold is QEMU's own.
        return spec.netns() == null
                ? qemu.argv()
                : qemu.prefixedBy(List.of("ip", "netns", "exec", spec.netns())).argv();
    }

    @Override
    public synchronized void start() {
        if (process != null) {
            throw new IllegalStateException("VM " + spec.name() + " was already started");
        }
        prepareDirectory();
        process = Command.of(argv()).start(qemuLog());
        process.onExit().thenAccept(ended -> exit.complete(new VmExit(ended.exitValue())));
        log.debug("VM {}: started QEMU pid {} ({})", spec.name(), process.pid(), accel);
        qmp = connectQmp();
    }

    /** The QMP connection of the running VM. */
    public QmpClient qmp() {
        if (qmp == null) {
            throw new IllegalStateException("VM " + spec.name() + " is not started");
        }
        return qmp;
    }

    @Override
    public synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
        requestQuit();
        if (!waitForExit(grace)) {
            process.destroy();
            if (!waitForExit(grace)) {
                process.destroyForcibly();
                waitForExit(grace);
            }
        }
        if (qmp != null) {
            qmp.close();
        }
        deleteQuietly(spec.qmpSocket());
    }

    @Override
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public CompletableFuture<VmExit> onExit() {
        return exit.copy();
    }

    @Override
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    @Override
    public void pause() {
        qmp().execute("stop");
    }

    @Override
    public void resume() {
        qmp().execute("cont");
    }

    @Override
    public StateFile saveState(Path target, Duration timeout) {
        boolean ramShared = spec.ramSharing() == MemorySharing.SHARED;
        try {
            return QemuMigration.save(qmp(), target, spec.vmDir().resolve("migrate.sock"), ramShared, timeout);
        } catch (TimeoutException e) {
            throw new HostAgentException(
                    ErrorCode.DEADLINE_EXCEEDED, "VM %s: %s".formatted(spec.name(), e.getMessage()), e);
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL,
                    "VM %s: writing state to %s: %s".formatted(spec.name(), target, e.getMessage()),
                    e);
        }
    }

    @Override
    public void loadState(StateFile state, Duration timeout) {
        if (!spec.incoming()) {
            throw new IllegalStateException("VM " + spec.name() + " was not started to receive a state");
        }
        try {
            QemuMigration.load(qmp(), state, timeout);
        } catch (TimeoutException e) {
            throw new HostAgentException(
                    ErrorCode.DEADLINE_EXCEEDED, "VM %s: %s".formatted(spec.name(), e.getMessage()), e);
        }
    }

    public VmSpec spec() {
        return spec;
    }

    /** QEMU's own stdout and stderr (the guest's serial console goes to {@link VmSpec#consoleLog()}). */
    public Path qemuLog() {
        return spec.vmDir().resolve("qemu.log");
    }

    private void prepareDirectory() {
        try {
            Files.createDirectories(spec.vmDir());
            Files.deleteIfExists(spec.qmpSocket());
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.INTERNAL, "preparing VM directory " + spec.vmDir() + ": " + e.getMessage(), e);
        }
    }

    private QmpClient connectQmp() {
        long deadline = System.nanoTime() + SOCKET_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw startFailure("QEMU exited with " + process.exitValue());
            }
            if (Files.exists(spec.qmpSocket())) {
                try {
                    return QmpClient.connect(spec.qmpSocket(), QmpClient.DEFAULT_TIMEOUT);
                } catch (QmpException e) {
                    // QEMU binds the socket file before it listens: refused until then, so try again.
                    if (!(e.getCause() instanceof java.io.IOException)) {
                        throw e;
                    }
                }
            }
            sleep(SOCKET_POLL);
        }
        process.destroyForcibly();
        throw startFailure("no QMP socket after " + SOCKET_WAIT);
    }

    private HostAgentException startFailure(String why) {
        return new HostAgentException(
                ErrorCode.INTERNAL, "starting VM %s: %s; QEMU said: %s".formatted(spec.name(), why, tail(qemuLog())));
    }

    private void requestQuit() {
        if (qmp != null && qmp.isOpen() && process.isAlive()) {
            try {
                qmp.execute("quit", java.util.Map.of(), Duration.ofSeconds(2));
            } catch (QmpException e) {
                log.debug("VM {}: QMP quit failed, will signal: {}", spec.name(), e.getMessage());
            }
        }
    }

    private boolean waitForExit(Duration grace) {
        try {
            return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String tail(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "";
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text.strip();
        } catch (IOException e) {
            return "(unreadable " + file + ")";
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // The sweeper removes whatever is left under the sandboxes directory.
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostAgentException(ErrorCode.INTERNAL, "interrupted while waiting for QEMU", e);
        }
    }
}
