package dev.wrenn.guest.process;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import dev.wrenn.guest.state.AgentState;
import dev.wrenn.guest.user.GuestUser;
import dev.wrenn.protocol.envd.process.ProcessConfig;
import dev.wrenn.protocol.envd.process.StartRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a Start request and the calling user into a {@link LaunchPlan}, as envd does: the command runs through
 * {@code /bin/sh -c 'exec "$@"'} (so it is found on the PATH the process gets, not the agent's), as the user (via
 * util-linux setpriv, since Java cannot setuid), with PATH, HOME, USER, LOGNAME, then the global environment from
 * /init, then the request's variables; in the request's cwd, else the default workdir, else the user's home. When
 * the shell would only look the command up and exec it, the planner does that itself ({@link DirectExec}).
 */
final class LaunchPlanner {
    private static final String SHELL = "/bin/sh";
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final String DEFAULT_TERM = "xterm-256color";
    private static final int DEFAULT_COLS = 80;
    private static final int DEFAULT_ROWS = 24;

    private final AgentState state;
    private final int agentUid;
    private final Optional<Path> setpriv;
    private final String agentPath;

    LaunchPlanner(AgentState state, int agentUid, Optional<Path> setpriv, String agentPath) {
        this.state = state;
        this.agentUid = agentUid;
        this.setpriv = setpriv;
        this.agentPath = agentPath == null || agentPath.isEmpty() ? DEFAULT_PATH : agentPath;
    }

    LaunchPlan plan(StartRequest request, GuestUser user) {
        ProcessConfig config = request.getProcess();
        if (config.getCmd().isBlank()) {
            throw ConnectException.invalidArgument("starting a process: process.cmd is empty");
        }
        requireNoNul("process.cmd", config.getCmd());
        config.getArgsList().forEach(arg -> requireNoNul("process.args", arg));
        Optional<LaunchPlan.TerminalSize> pty =
                request.hasPty() ? Optional.of(terminalSize(request)) : Optional.empty();
        boolean stdin = !request.hasStdin() || request.getStdin();
        Map<String, String> env = environment(config, user, pty.isPresent());
        Path cwd = workingDirectory(config, user);
        List<String> userSwitch = userSwitch(user);
        Optional<Path> direct = userSwitch.isEmpty() ? DirectExec.program(config.getCmd(), env) : Optional.empty();
        Optional<String> pwd = direct.flatMap(program -> physical(cwd));
        List<String> argv = new ArrayList<>();
        String program;
        if (pwd.isPresent()) {
            // What the shell would exec, as the shell would: argv[0] as given, PWD set to the physical cwd.
            program = direct.get().toString();
            env.put("PWD", pwd.get());
        } else {
            argv.addAll(userSwitch);
            argv.addAll(List.of(SHELL, "-c", "exec \"$@\"", "--"));
            program = argv.getFirst();
        }
        argv.add(config.getCmd());
        argv.addAll(config.getArgsList());
        return new LaunchPlan(program, argv, toEntries(env), cwd, pty, stdin, user.uid());
    }

    private static Optional<String> physical(Path directory) {
        try {
            return Optional.of(directory.toRealPath().toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> toEntries(Map<String, String> env) {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** The setpriv prefix that switches to {@code user}; none when the agent already is that user. */
    private List<String> userSwitch(GuestUser user) {
        if (user.uid() == agentUid) {
            return List.of();
        }
        if (agentUid != 0) {
            throw new ConnectException(
                    Code.PERMISSION_DENIED,
                    "cannot run a process as user '" + user.name() + "': the agent runs as uid " + agentUid
                            + " and can only run processes as itself");
        }
        Path tool = setpriv.orElseThrow(() -> new ConnectException(
                Code.FAILED_PRECONDITION,
                "cannot run a process as user '" + user.name() + "': setpriv (util-linux) is not installed"));
        String groups = Stream.concat(Stream.of(user.gid()), user.supplementaryGids().stream())
                .distinct()
                .map(String::valueOf)
                .collect(Collectors.joining(","));
        return List.of(tool.toString(), "--reuid=" + user.uid(), "--regid=" + user.gid(), "--groups=" + groups, "--");
    }

    private Map<String, String> environment(ProcessConfig config, GuestUser user, boolean pty) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", agentPath);
        env.put("HOME", user.home().toString());
        env.put("USER", user.name());
        env.put("LOGNAME", user.name());
        if (pty) {
            env.put("TERM", DEFAULT_TERM);
        }
        env.putAll(state.envVars());
        env.putAll(config.getEnvsMap());
        env.forEach(LaunchPlanner::requireValidVariable);
        return env;
    }

    private Path workingDirectory(ProcessConfig config, GuestUser user) {
        String requested = config.hasCwd() ? config.getCwd() : "";
        Path cwd = requested.isEmpty()
                ? state.defaultWorkdir().map(dir -> resolve(dir, user)).orElse(user.home())
                : resolve(requested, user);
        if (!Files.isDirectory(cwd)) {
            throw ConnectException.invalidArgument("starting a process: cwd '" + cwd + "' does not exist");
        }
        return cwd;
    }

    /** Expands {@code ~} and resolves a relative path against the user's home. */
    private static Path resolve(String path, GuestUser user) {
        requireNoNul("process.cwd", path);
        try {
            if (path.equals("~") || path.startsWith("~/")) {
                return user.home()
                        .resolve(path.substring(1).replaceFirst("^/+", ""))
                        .normalize();
            }
            return user.home().resolve(path).normalize();
        } catch (InvalidPathException e) {
            throw ConnectException.invalidArgument("starting a process: cwd '" + path + "' is not a valid path");
        }
    }

    private static LaunchPlan.TerminalSize terminalSize(StartRequest request) {
        int cols = request.getPty().getSize().getCols();
        int rows = request.getPty().getSize().getRows();
        return new LaunchPlan.TerminalSize(cols > 0 ? cols : DEFAULT_COLS, rows > 0 ? rows : DEFAULT_ROWS);
    }

    private static void requireValidVariable(String name, String value) {
        if (name.isEmpty() || name.contains("=")) {
            throw ConnectException.invalidArgument(
                    "starting a process: environment variable name '" + name + "' is empty or contains '='");
        }
        requireNoNul("environment variable " + name, name + value);
    }

    private static void requireNoNul(String what, String value) {
        if (value.indexOf('\0') >= 0) {
            throw ConnectException.invalidArgument("starting a process: " + what + " contains a NUL character");
        }
    }
}
