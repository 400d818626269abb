package dev.wrenn.sdk.commands;

import com.google.protobuf.ByteString;
import dev.wrenn.sdk.NotFoundException;
import dev.wrenn.sdk.internal.Envd;
import dev.wrenn.sdk.internal.ServerStream;
import dev.wrenn.sdk.internal.envd.process.CloseStdinRequest;
import dev.wrenn.sdk.internal.envd.process.CloseStdinResponse;
import dev.wrenn.sdk.internal.envd.process.ConnectRequest;
import dev.wrenn.sdk.internal.envd.process.ConnectResponse;
import dev.wrenn.sdk.internal.envd.process.ListRequest;
import dev.wrenn.sdk.internal.envd.process.ListResponse;
import dev.wrenn.sdk.internal.envd.process.ProcessConfig;
import dev.wrenn.sdk.internal.envd.process.ProcessInput;
import dev.wrenn.sdk.internal.envd.process.ProcessSelector;
import dev.wrenn.sdk.internal.envd.process.SendInputRequest;
import dev.wrenn.sdk.internal.envd.process.SendInputResponse;
import dev.wrenn.sdk.internal.envd.process.SendSignalRequest;
import dev.wrenn.sdk.internal.envd.process.SendSignalResponse;
import dev.wrenn.sdk.internal.envd.process.Signal;
import dev.wrenn.sdk.internal.envd.process.StartRequest;
import dev.wrenn.sdk.internal.envd.process.StartResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Commands in one sandbox ({@code sandbox.commands()}): run to the end, start in the background, list, attach to,
 * write to and kill processes. A command string runs as E2B's SDKs run it: {@code /bin/bash -l -c <cmd>}.
 */
public final class Commands {
    private final Envd envd;

    /** @param envd the sandbox's envd (use {@code sandbox.commands()}) */
    public Commands(Envd envd) {
        this.envd = envd;
    }

    /** Runs {@code cmd} to its end with the default options; a non-zero exit is a {@link CommandExitException}. */
    public CommandResult run(String cmd) {
        return run(cmd, CommandOptions.DEFAULTS);
    }

    /**
     * Runs {@code cmd} to its end, streaming its output to the options' callbacks; a non-zero exit is a
     * {@link CommandExitException}, a passed deadline a {@link dev.wrenn.sdk.TimeoutException}.
     */
    public CommandResult run(String cmd, CommandOptions options) {
        try (CommandHandle handle = start(cmd, options)) {
            return handle.waitFor();
        }
    }

    /** Starts {@code cmd} in the background (E2B's {@code background: true}) and returns once it runs. */
    public CommandHandle start(String cmd, CommandOptions options) {
        return exec("/bin/bash", List.of("-l", "-c", cmd), options);
    }

    /** Starts a program with arguments as given, without a shell, in the background. */
    public CommandHandle exec(String program, List<String> args, CommandOptions options) {
        ProcessConfig.Builder config =
                ProcessConfig.newBuilder().setCmd(program).addAllArgs(args).putAllEnvs(options.envs());
        if (options.cwd() != null) {
            config.setCwd(options.cwd());
        }
        StartRequest request = StartRequest.newBuilder()
                .setProcess(config)
                .setStdin(options.stdin())
                .build();
        ServerStream<StartResponse> stream = envd.stream(
                "process.Process/Start",
                request,
                StartResponse.parser(),
                options.user(),
                options.timeout(),
                "start " + program);
        return new CommandHandle(
                this,
                stream,
                (StartResponse r) -> r.getEvent(),
                options.onStdout(),
                options.onStderr(),
                null,
                "start " + program);
    }

    /** Attaches to a running process by pid: its further output goes to the options' callbacks. */
    public CommandHandle connect(int pid, CommandOptions options) {
        ServerStream<ConnectResponse> stream = envd.stream(
                "process.Process/Connect",
                ConnectRequest.newBuilder().setProcess(selector(pid)).build(),
                ConnectResponse.parser(),
                options.user(),
                options.timeout(),
                "connect to process " + pid);
        return new CommandHandle(
                this,
                stream,
                (ConnectResponse r) -> r.getEvent(),
                options.onStdout(),
                options.onStderr(),
                null,
                "connect to process " + pid);
    }

    /** The processes running in the sandbox (commands and PTYs started through envd). */
    public List<ProcessInfo> list() {
        ListResponse response = envd.unary(
                "process.Process/List",
                ListRequest.getDefaultInstance(),
                ListResponse.parser(),
                null,
                "list processes");
        return response.getProcessesList().stream()
                .map(p -> new ProcessInfo(
                        p.getPid(),
                        p.hasTag() ? p.getTag() : null,
                        p.getConfig().getCmd(),
                        List.copyOf(p.getConfig().getArgsList()),
                        Map.copyOf(p.getConfig().getEnvsMap()),
                        p.getConfig().hasCwd() ? p.getConfig().getCwd() : null))
                .collect(Collectors.toList());
    }

    /** Kills a process (SIGKILL to its process group); false if there is no such process. */
    public boolean kill(int pid) {
        try {
            envd.unary(
                    "process.Process/SendSignal",
                    SendSignalRequest.newBuilder()
                            .setProcess(selector(pid))
                            .setSignal(Signal.SIGNAL_SIGKILL)
                            .build(),
                    SendSignalResponse.parser(),
                    null,
                    "kill process " + pid);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Writes text (UTF-8) to a process's stdin. */
    public void sendStdin(int pid, String data) {
        sendStdin(pid, data.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes to a process's stdin. */
    public void sendStdin(int pid, byte[] data) {
        sendInput(
                pid,
                ProcessInput.newBuilder().setStdin(ByteString.copyFrom(data)).build(),
                "write to stdin of " + pid);
    }

    void sendInput(int pid, ProcessInput input, String what) {
        envd.unary(
                "process.Process/SendInput",
                SendInputRequest.newBuilder()
                        .setProcess(selector(pid))
                        .setInput(input)
                        .build(),
                SendInputResponse.parser(),
                null,
                what);
    }

    /** Closes a process's stdin. */
    public void closeStdin(int pid) {
        envd.unary(
                "process.Process/CloseStdin",
                CloseStdinRequest.newBuilder().setProcess(selector(pid)).build(),
                CloseStdinResponse.parser(),
                null,
                "close stdin of " + pid);
    }

    Envd envd() {
        return envd;
    }

    static ProcessSelector selector(int pid) {
        return ProcessSelector.newBuilder().setPid(pid).build();
    }
}
