package dev.wrenn.cli;

import dev.wrenn.sdk.ConnectionConfig;
import dev.wrenn.sdk.Sandbox;
import dev.wrenn.sdk.SandboxInfo;
import dev.wrenn.sdk.SandboxOptions;
import dev.wrenn.sdk.SandboxQuery;
import dev.wrenn.sdk.commands.CommandExitException;
import dev.wrenn.sdk.commands.CommandOptions;
import dev.wrenn.sdk.commands.CommandResult;
import dev.wrenn.sdk.internal.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code wrenn sandbox ls | create | info | exec | shell | cp | pause | resume | kill}. */
final class SandboxCommands {
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    SandboxCommands(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    private ConnectionConfig config() {
        return CliConfig.connection(env);
    }

    int run(List<String> argv) {
        if (argv.isEmpty()) {
            throw new UsageException("sandbox needs a subcommand");
        }
        List<String> rest = argv.subList(1, argv.size());
        switch (argv.get(0)) {
            case "ls":
            case "list":
                return ls(Args.parse(rest, Set.of("--json"), Set.of("--metadata")));
            case "create":
                return create(
                        Args.parse(rest, Set.of("--json"), Set.of("--template", "--timeout", "--env", "--metadata")));
            case "info":
                return info(Args.parse(rest, Set.of("--json"), Set.of()));
            case "exec":
                return exec(Args.parse(rest, Set.of(), Set.of("--user", "--cwd", "--env", "--timeout")));
            case "shell":
                Args s = Args.parse(rest, Set.of(), Set.of("--user"));
                s.atMost(1);
                return Shell.run(connect(s.positional(0, "sandbox ID")), s.value("--user"), err);
            case "cp":
                Args c = Args.parse(rest, Set.of(), Set.of());
                c.atMost(2);
                return new Copy(config(), err).run(c.positional(0, "SRC"), c.positional(1, "DST"));
            case "pause":
                return byId(rest, id -> {
                    if (!Sandbox.pause(id, config())) {
                        err.println("wrenn: " + id + " was already paused");
                    }
                });
            case "resume":
                return byId(rest, id -> Sandbox.connect(id, config()));
            case "kill":
                return byId(rest, id -> {
                    if (!Sandbox.kill(id, config())) {
                        throw new dev.wrenn.sdk.NotFoundException("sandbox " + id + " not found", 404, null);
                    }
                });
            default:
                throw new UsageException("unknown sandbox subcommand " + argv.get(0));
        }
    }

    private int byId(List<String> rest, java.util.function.Consumer<String> action) {
        Args a = Args.parse(rest, Set.of(), Set.of());
        if (a.positionals.isEmpty()) {
            throw new UsageException("missing sandbox ID");
        }
        for (String id : a.positionals) {
            action.accept(id);
            out.println(id);
        }
        return 0;
    }

    private Sandbox connect(String id) {
        return Sandbox.connect(id, config());
    }

    private int ls(Args a) {
        a.atMost(0);
        SandboxQuery.Builder q = SandboxQuery.builder().config(config());
        a.pairs("--metadata").forEach(q::metadata);
        List<SandboxInfo> all = Sandbox.list(q.build()).all();
        if (a.flag("--json")) {
            List<Object> json = new ArrayList<>();
            all.forEach(s -> json.add(json(s)));
            out.println(Json.write(json));
            return 0;
        }
        Table t = new Table("ID", "TEMPLATE", "STATE", "CPUS", "MEMORY", "STARTED", "ENDS");
        for (SandboxInfo s : all) {
            t.row(
                    s.sandboxId(),
                    s.templateId(),
                    s.state().wireName(),
                    s.cpuCount(),
                    s.memoryMb() + " MiB",
                    s.startedAt(),
                    s.endAt());
        }
        t.print(out);
        return 0;
    }

    static Map<String, Object> json(SandboxInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sandboxID", s.sandboxId());
        m.put("templateID", s.templateId());
        m.put("state", s.state().wireName());
        m.put("cpuCount", s.cpuCount());
        m.put("memoryMB", s.memoryMb());
        m.put("startedAt", s.startedAt() == null ? null : s.startedAt().toString());
        m.put("endAt", s.endAt() == null ? null : s.endAt().toString());
        m.put("metadata", s.metadata());
        return m;
    }

    private int create(Args a) {
        a.atMost(0);
        SandboxOptions.Builder o =
                SandboxOptions.builder().config(config()).envs(a.pairs("--env")).metadata(a.pairs("--metadata"));
        if (a.value("--template") != null) {
            o.template(a.value("--template"));
        }
        if (a.value("--timeout") != null) {
            o.timeout(Duration.ofSeconds(Math.max(1, a.seconds("--timeout", 300))));
        }
        Sandbox sandbox = Sandbox.create(o.build());
        if (a.flag("--json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sandboxID", sandbox.sandboxId());
            m.put("templateID", sandbox.templateId());
            out.println(Json.write(m));
        } else {
            out.println(sandbox.sandboxId());
        }
        return 0;
    }

    private int info(Args a) {
        a.atMost(1);
        SandboxInfo s = Sandbox.getInfo(a.positional(0, "sandbox ID"), config());
        if (a.flag("--json")) {
            out.println(Json.write(json(s)));
            return 0;
        }
        out.println("ID        " + s.sandboxId());
        out.println("template  " + s.templateId());
        out.println("state     " + s.state().wireName());
        out.println("cpus      " + s.cpuCount());
        out.println("memory    " + s.memoryMb() + " MiB");
        out.println("started   " + s.startedAt());
        out.println("ends      " + s.endAt());
        s.metadata().forEach((k, v) -> out.println("metadata  " + k + "=" + v));
        return 0;
    }

    /** Runs CMD ARGS... as given (no shell), output streamed as it comes; exits with the command's exit code. */
    private int exec(Args a) {
        a.atMost(1);
        String id = a.positional(0, "sandbox ID");
        if (!a.sawDoubleDash || a.rest.isEmpty()) {
            throw new UsageException("exec needs -- CMD ARGS...");
        }
        Sandbox sandbox = connect(id);
        CommandOptions.Builder o = CommandOptions.builder()
                .envs(a.pairs("--env"))
                .cwd(a.value("--cwd"))
                .user(a.value("--user"))
                .timeout(Duration.ofSeconds(a.seconds("--timeout", 0)))
                .onStdout(s -> {
                    out.print(s);
                    out.flush();
                })
                .onStderr(s -> {
                    err.print(s);
                    err.flush();
                });
        try {
            CommandResult r = sandbox.commands()
                    .exec(a.rest.get(0), a.rest.subList(1, a.rest.size()), o.build())
                    .waitFor();
            return r.exitCode();
        } catch (CommandExitException e) {
            int code = e.exitCode();
            return code < 0 ? 137 : code;
        }
    }
}
