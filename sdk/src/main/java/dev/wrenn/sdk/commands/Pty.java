package dev.wrenn.sdk.commands;

import com.google.protobuf.ByteString;
import dev.wrenn.sdk.internal.ServerStream;
import dev.wrenn.sdk.internal.envd.process.ConnectRequest;
import dev.wrenn.sdk.internal.envd.process.ConnectResponse;
import dev.wrenn.sdk.internal.envd.process.PTY;
import dev.wrenn.sdk.internal.envd.process.ProcessConfig;
import dev.wrenn.sdk.internal.envd.process.ProcessInput;
import dev.wrenn.sdk.internal.envd.process.StartRequest;
import dev.wrenn.sdk.internal.envd.process.StartResponse;
import dev.wrenn.sdk.internal.envd.process.UpdateRequest;
import dev.wrenn.sdk.internal.envd.process.UpdateResponse;
import java.util.List;
import java.util.function.Consumer;

/**
 * Interactive terminals in one sandbox ({@code sandbox.pty()}): a login shell on a pseudo-terminal, its input,
 * resizes and kill. The handle's {@link CommandHandle#waitFor()} returns when the shell exits.
 */
public final class Pty {
    private final Commands commands;

    /** @param commands the sandbox's commands (use {@code sandbox.pty()}) */
    public Pty(Commands commands) {
        this.commands = commands;
    }

    /** Starts {@code /bin/bash -i -l} on a new terminal, as E2B's SDKs do. */
    public CommandHandle create(PtyOptions options) {
        ProcessConfig.Builder config = ProcessConfig.newBuilder()
                .setCmd("/bin/bash")
                .addAllArgs(List.of("-i", "-l"))
                .putEnvs("TERM", "xterm-256color")
                .putEnvs("LANG", "C.UTF-8")
                .putEnvs("LC_ALL", "C.UTF-8")
                .putAllEnvs(options.envs());
        if (options.cwd() != null) {
            config.setCwd(options.cwd());
        }
        StartRequest request = StartRequest.newBuilder()
                .setProcess(config)
                .setPty(size(options.cols(), options.rows()))
                .build();
        ServerStream<StartResponse> stream = commands.envd().stream(
                "process.Process/Start",
                request,
                StartResponse.parser(),
                options.user(),
                options.timeout(),
                "start a terminal");
        return new CommandHandle(
                commands, stream, (StartResponse r) -> r.getEvent(), null, null, options.onData(), "start a terminal");
    }

    /** Attaches to a running terminal by pid. */
    public CommandHandle connect(int pid, Consumer<byte[]> onData) {
        ServerStream<ConnectResponse> stream = commands.envd().stream(
                "process.Process/Connect",
                ConnectRequest.newBuilder().setProcess(Commands.selector(pid)).build(),
                ConnectResponse.parser(),
                null,
                java.time.Duration.ZERO,
                "connect to terminal " + pid);
        return new CommandHandle(
                commands,
                stream,
                (ConnectResponse r) -> r.getEvent(),
                null,
                null,
                onData,
                "connect to terminal " + pid);
    }

    /** Types into the terminal (keystrokes as bytes). */
    public void sendInput(int pid, byte[] data) {
        commands.sendInput(
                pid, ProcessInput.newBuilder().setPty(ByteString.copyFrom(data)).build(), "input to terminal " + pid);
    }

    /** Resizes the terminal (the shell gets SIGWINCH). */
    public void resize(int pid, int cols, int rows) {
        commands.envd()
                .unary(
                        "process.Process/Update",
                        UpdateRequest.newBuilder()
                                .setProcess(Commands.selector(pid))
                                .setPty(size(cols, rows))
                                .build(),
                        UpdateResponse.parser(),
                        null,
                        "resize terminal " + pid);
    }

    /** Kills the terminal's shell; false if it had already ended. */
    public boolean kill(int pid) {
        return commands.kill(pid);
    }

    private static PTY size(int cols, int rows) {
        return PTY.newBuilder()
                .setSize(PTY.Size.newBuilder().setCols(cols).setRows(rows))
                .build();
    }
}
