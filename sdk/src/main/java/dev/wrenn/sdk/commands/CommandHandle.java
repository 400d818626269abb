package dev.wrenn.sdk.commands;

import com.google.protobuf.MessageLite;
import dev.wrenn.sdk.SandboxException;
import dev.wrenn.sdk.TimeoutException;
import dev.wrenn.sdk.internal.ServerStream;
import dev.wrenn.sdk.internal.Transport;
import dev.wrenn.sdk.internal.envd.process.ProcessEvent;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A started command (or PTY) in the sandbox: its pid, its output so far, and {@link #waitFor()} for its end. Output
 * is read on a background thread and handed to the callbacks as it arrives. {@link #close()} (or
 * {@link #disconnect()}) stops receiving; the process keeps running, and {@link Commands#connect} attaches again.
 */
public final class CommandHandle implements AutoCloseable {
    private final Commands commands;
    private final ServerStream<? extends MessageLite> stream;
    private final Function<MessageLite, ProcessEvent> eventOf;
    private final int pid;
    private final Consumer<String> onStdout;
    private final Consumer<String> onStderr;
    private final Consumer<byte[]> onPty;
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private final Utf8Chunks stdoutText = new Utf8Chunks();
    private final Utf8Chunks stderrText = new Utf8Chunks();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile CommandResult result;
    private volatile SandboxException failure;
    private volatile boolean disconnected;

    @SuppressWarnings("unchecked")
    CommandHandle(
            Commands commands,
            ServerStream<? extends MessageLite> stream,
            Function<? extends MessageLite, ProcessEvent> eventOf,
            Consumer<String> onStdout,
            Consumer<String> onStderr,
            Consumer<byte[]> onPty,
            String what) {
        this.commands = commands;
        this.stream = stream;
        this.eventOf = (Function<MessageLite, ProcessEvent>) eventOf;
        this.onStdout = onStdout;
        this.onStderr = onStderr;
        this.onPty = onPty;
        // envd's first message on Start and Connect is the start event with the pid (E2B's SDKs demand it too).
        ProcessEvent first = nextEvent();
        while (first != null && first.hasKeepalive()) {
            first = nextEvent();
        }
        if (first == null || !first.hasStart()) {
            stream.close();
            throw new SandboxException(what + ": envd did not start the process (no start event)");
        }
        this.pid = first.getStart().getPid();
        Transport.STREAMS.execute(this::pump);
    }

    private ProcessEvent nextEvent() {
        MessageLite m = stream.next();
        return m == null ? null : eventOf.apply(m);
    }

    private void pump() {
        try {
            ProcessEvent event;
            while ((event = nextEvent()) != null) {
                if (event.hasData()) {
                    data(event.getData());
                } else if (event.hasEnd()) {
                    ProcessEvent.EndEvent end = event.getEnd();
                    String out;
                    String err;
                    synchronized (this) {
                        out = stdout.toString();
                        err = stderr.toString();
                    }
                    result = new CommandResult(
                            out,
                            err,
                            end.getExitCode(),
                            end.hasError() && !end.getError().isEmpty() ? end.getError() : null);
                }
            }
            if (result == null && !disconnected) {
                failure = new SandboxException("process " + pid + " ended without a result");
            }
        } catch (SandboxException e) {
            if (!disconnected) {
                failure = e instanceof TimeoutException
                        ? new TimeoutException("process " + pid + ": " + e.getMessage(), 0, e)
                        : e;
            }
        } catch (RuntimeException e) {
            failure = new SandboxException("process " + pid + ": a callback failed: " + e, 0, e);
            stream.close();
        } finally {
            ended.countDown();
        }
    }

    private void data(ProcessEvent.DataEvent data) {
        if (data.hasPty()) {
            if (onPty != null) {
                onPty.accept(data.getPty().toByteArray());
            }
        } else if (data.hasStdout()) {
            String text = stdoutText.decode(data.getStdout().asReadOnlyByteBuffer());
            synchronized (this) {
                stdout.append(text);
            }
            if (onStdout != null && !text.isEmpty()) {
                onStdout.accept(text);
            }
        } else if (data.hasStderr()) {
            String text = stderrText.decode(data.getStderr().asReadOnlyByteBuffer());
            synchronized (this) {
                stderr.append(text);
            }
            if (onStderr != null && !text.isEmpty()) {
                onStderr.accept(text);
            }
        }
    }

    /** The process id in the sandbox. */
    public int pid() {
        return pid;
    }

    /** Standard output received so far. */
    public synchronized String stdout() {
        return stdout.toString();
    }

    /** Standard error received so far. */
    public synchronized String stderr() {
        return stderr.toString();
    }

    /** The exit code, or null while the process runs (or after a disconnect before its end). */
    public Integer exitCode() {
        CommandResult r = result;
        return r == null ? null : r.exitCode();
    }

    /**
     * Waits for the end and returns how the command ended; a non-zero exit code is a {@link CommandExitException}
     * (holding the same result). Bounded by the command's own deadline.
     */
    public CommandResult waitFor() {
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for process " + pid, 0, e);
        }
        return outcome();
    }

    /** As {@link #waitFor()}, giving up with a {@link TimeoutException} after {@code timeout} (the process runs on). */
    public CommandResult waitFor(Duration timeout) {
        try {
            if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException("process " + pid + " did not end within " + timeout, 0, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for process " + pid, 0, e);
        }
        return outcome();
    }

    private CommandResult outcome() {
        if (failure != null) {
            throw failure;
        }
        CommandResult r = result;
        if (r == null) {
            throw new SandboxException("disconnected from process " + pid + " before it ended");
        }
        if (r.exitCode() != 0) {
            throw new CommandExitException(r);
        }
        return r;
    }

    /** Kills the process (SIGKILL); false if it had already ended. */
    public boolean kill() {
        return commands.kill(pid);
    }

    /** Writes to the process's stdin (started with {@link CommandOptions.Builder#stdin(boolean)}). */
    public void sendStdin(String data) {
        commands.sendStdin(pid, data);
    }

    /** Writes bytes to the process's stdin. */
    public void sendStdin(byte[] data) {
        commands.sendStdin(pid, data);
    }

    /** Closes the process's stdin (it reads end of file). */
    public void closeStdin() {
        commands.closeStdin(pid);
    }

    /** Stops receiving output; the process keeps running. */
    public void disconnect() {
        disconnected = true;
        stream.close();
    }

    /** Same as {@link #disconnect()}. */
    @Override
    public void close() {
        disconnect();
    }
}
