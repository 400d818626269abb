package dev.wrenn.host.sys;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One external command as an argument vector (never a shell string, so no argument is ever re-parsed). Its stdin
 * is /dev/null unless input is given, so no child can ever read the agent's terminal.
 */
public record Command(List<String> argv, Duration timeout, String input, Path directory) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final File DEV_NULL = new File("/dev/null");
    // Output readers may be blocked by a grandchild that kept the pipe; past this we stop waiting for them.
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(2);

    public Command {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least a program name");
        }
        argv = List.copyOf(argv);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), DEFAULT_TIMEOUT, null, null);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, DEFAULT_TIMEOUT, null, null);
    }

    public Command withTimeout(Duration newTimeout) {
        return new Command(argv, newTimeout, input, directory);
    }

    public Command withInput(String newInput) {
        return new Command(argv, timeout, newInput, directory);
    }

    /** Runs the command in this working directory instead of the agent's. */
    public Command in(Path newDirectory) {
        return new Command(argv, timeout, input, newDirectory);
    }

    /** This command run by another one, e.g. {@code ip netns exec <ns>} in front of it. */
    public Command prefixedBy(List<String> prefix) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(argv);
        return new Command(all, timeout, input, directory);
    }

    /** Runs to completion; a non-zero exit is a {@link CommandException} quoting stderr. */
    public CommandResult run() {
        CommandResult result = runAllowingFailure();
        if (!result.succeeded()) {
            throw CommandException.failed(result);
        }
        return result;
    }

    /** Runs to completion and returns the result whatever the exit code. */
    public CommandResult runAllowingFailure() {
        Process process = launch(processBuilder());
        try {
            writeInput(process);
            CompletableFuture<String> stdout = drain(process.getInputStream());
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw CommandException.timedOut(argv, timeout);
            }
            return new CommandResult(argv, process.exitValue(), collect(stdout), collect(stderr));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw CommandException.couldNotStart(argv, e);
        }
    }

    /**
     * Starts a long-running program (a VMM) with stdin from /dev/null and stdout and stderr appended to a log file.
     */
    public Process start(Path log) {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        return launch(builder);
    }

    /** The command as a reader would type it, for messages and logs only. */
    public static String render(List<String> argv) {
        return argv.stream().map(Command::quote).collect(Collectors.joining(" "));
    }

    @Override
    public String toString() {
        return render(argv);
    }

    private ProcessBuilder processBuilder() {
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("LC_ALL", "C");
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        }
        return builder;
    }

    private Process launch(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw CommandException.couldNotStart(argv, e);
        }
    }

    private void writeInput(Process process) {
        if (input == null) {
            return;
        }
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("writing stdin of `%s`".formatted(this), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }

    private static String collect(CompletableFuture<String> text) throws InterruptedException {
        try {
            return text.get(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "";
        }
    }

    private static String quote(String arg) {
        return arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
