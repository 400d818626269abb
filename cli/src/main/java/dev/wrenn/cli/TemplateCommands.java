package dev.wrenn.cli;

import dev.wrenn.sdk.ConnectionConfig;
import dev.wrenn.sdk.NotFoundException;
import dev.wrenn.sdk.Sandbox;
import dev.wrenn.sdk.SnapshotInfo;
import dev.wrenn.sdk.TemplateInfo;
import dev.wrenn.sdk.Templates;
import dev.wrenn.sdk.internal.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code wrenn template ls | rm | build} and {@code wrenn snapshot ls | create | rm}. */
final class TemplateCommands {
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    TemplateCommands(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    private ConnectionConfig config() {
        return CliConfig.connection(env);
    }

    int run(List<String> argv) {
        if (argv.isEmpty()) {
            throw new UsageException("template needs a subcommand");
        }
        List<String> rest = argv.subList(1, argv.size());
        switch (argv.get(0)) {
            case "ls":
            case "list": {
                Args a = Args.parse(rest, Set.of("--json"), Set.of());
                a.atMost(0);
                List<TemplateInfo> all = Templates.list(config());
                if (a.flag("--json")) {
                    List<Object> json = new ArrayList<>();
                    for (TemplateInfo t : all) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("name", t.name());
                        m.put("type", t.type());
                        m.put("vcpus", t.vcpus());
                        m.put("memoryMB", t.memoryMb());
                        m.put("sizeBytes", t.sizeBytes());
                        m.put(
                                "createdAt",
                                t.createdAt() == null ? null : t.createdAt().toString());
                        json.add(m);
                    }
                    out.println(Json.write(json));
                    return 0;
                }
                Table t = new Table("NAME", "TYPE", "CPUS", "MEMORY", "SIZE", "CREATED");
                for (TemplateInfo i : all) {
                    t.row(
                            i.name(),
                            i.type(),
                            i.vcpus() == 0 ? null : i.vcpus(),
                            i.memoryMb() == 0 ? null : i.memoryMb() + " MiB",
                            i.sizeBytes() == 0 ? null : Copy.bytes(i.sizeBytes()),
                            i.createdAt());
                }
                t.print(out);
                return 0;
            }
            case "rm":
                return remove(rest, "template");
            case "build": {
                Args a = Args.parse(rest, Set.of(), Set.of("--name", "-f", "--file", "--timeout"));
                a.atMost(1);
                String name = a.value("--name");
                if (name == null) {
                    throw new UsageException("template build needs --name NAME");
                }
                Path context = Path.of(a.positionals.isEmpty() ? "." : a.positionals.get(0));
                String file = a.value("-f") != null ? a.value("-f") : a.value("--file");
                Path dockerfile = file != null ? Path.of(file) : context.resolve("Dockerfile");
                new DockerfileBuild(config(), out, err).build(dockerfile, context, name);
                out.println(name);
                return 0;
            }
            default:
                throw new UsageException("unknown template subcommand " + argv.get(0));
        }
    }

    int snapshot(List<String> argv) {
        if (argv.isEmpty()) {
            throw new UsageException("snapshot needs a subcommand");
        }
        List<String> rest = argv.subList(1, argv.size());
        switch (argv.get(0)) {
            case "ls":
            case "list": {
                Args a = Args.parse(rest, Set.of("--json"), Set.of());
                a.atMost(0);
                List<SnapshotInfo> all = Sandbox.listSnapshots(config()).all();
                if (a.flag("--json")) {
                    List<Object> json = new ArrayList<>();
                    for (SnapshotInfo s : all) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("snapshotID", s.snapshotId());
                        m.put("names", s.names());
                        json.add(m);
                    }
                    out.println(Json.write(json));
                    return 0;
                }
                Table t = new Table("ID", "NAMES");
                all.forEach(s -> t.row(s.snapshotId(), String.join(",", s.names())));
                t.print(out);
                return 0;
            }
            case "create": {
                Args a = Args.parse(rest, Set.of(), Set.of("--name"));
                a.atMost(1);
                SnapshotInfo s =
                        Sandbox.connect(a.positional(0, "sandbox ID"), config()).createSnapshot(a.value("--name"));
                out.println(s.snapshotId());
                return 0;
            }
            case "rm":
                return remove(rest, "snapshot");
            default:
                throw new UsageException("unknown snapshot subcommand " + argv.get(0));
        }
    }

    private int remove(List<String> rest, String what) {
        Args a = Args.parse(rest, Set.of(), Set.of());
        if (a.positionals.isEmpty()) {
            throw new UsageException("missing " + what + " name");
        }
        for (String name : a.positionals) {
            if (!Templates.delete(name, config())) {
                throw new NotFoundException(what + " " + name + " not found", 404, null);
            }
            out.println(name);
        }
        return 0;
    }
}
