package dev.wrenn.cli;

import dev.wrenn.sdk.ConnectionConfig;
import dev.wrenn.sdk.InvalidArgumentException;
import dev.wrenn.sdk.Sandbox;
import dev.wrenn.sdk.SandboxOptions;
import dev.wrenn.sdk.TemplateInfo;
import dev.wrenn.sdk.Templates;
import dev.wrenn.sdk.commands.CommandOptions;
import dev.wrenn.sdk.internal.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wrenn template build}: until Wrenn serves E2B's Template API (issue 14), a Dockerfile is built by running
 * its steps in a sandbox started from its {@code FROM} template and snapshotting that sandbox as the new template.
 * Supported: FROM (a Wrenn template, not a container image), RUN, ENV, WORKDIR, USER, COPY/ADD of local files;
 * CMD, ENTRYPOINT, EXPOSE, LABEL, ARG are reported and ignored. The build log (each step and its output) is live.
 */
final class DockerfileBuild {
    private final ConnectionConfig config;
    private final PrintStream out;
    private final PrintStream err;

    DockerfileBuild(ConnectionConfig config, PrintStream out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
    }

    /** The Dockerfile's instructions, continuation lines joined, comments and blank lines left out. */
    static List<String[]> parse(String text) {
        List<String[]> steps = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (current.length() == 0 && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String step = current.toString().strip();
            current.setLength(0);
            int space = step.indexOf(' ');
            String op = (space < 0 ? step : step.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
            steps.add(
                    new String[] {op, space < 0 ? "" : step.substring(space + 1).strip()});
        }
        return steps;
    }

    void build(Path dockerfile, Path context, String name) {
        String text;
        try {
            text = Files.readString(dockerfile);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + dockerfile, e);
        }
        List<String[]> steps = parse(text);
        if (steps.isEmpty() || !steps.get(0)[0].equals("FROM")) {
            throw new UsageException(dockerfile + ": the first instruction must be FROM");
        }
        String from = steps.get(0)[1].split("\\s+")[0];
        boolean known = Templates.list(config).stream().map(TemplateInfo::name).anyMatch(from::equals);
        if (!known) {
            throw new InvalidArgumentException(
                    "FROM " + from + ": building from a container image needs E2B's Template API, which Wrenn does not"
                            + " serve yet (issue 14); FROM must name a Wrenn template (`./wrenn template ls`)",
                    0,
                    null);
        }
        String cwd = null;
        String user = null;
        Map<String, String> envs = new LinkedHashMap<>();
        Sandbox sandbox = Sandbox.create(SandboxOptions.builder()
                .config(config.withRequestTimeout(Duration.ofMinutes(5)))
                .template(from)
                .timeout(Duration.ofHours(1))
                .build());
        try {
            int n = 0;
            for (String[] step : steps) {
                n++;
                out.printf("Step %d/%d : %s %s%n", n, steps.size(), step[0], step[1]);
                out.flush();
                switch (step[0]) {
                    case "FROM":
                        if (n > 1) {
                            throw new UsageException("multi-stage builds (a second FROM) are not supported");
                        }
                        break;
                    case "RUN":
                        run(sandbox, shellForm(step[1]), cwd, user, envs);
                        break;
                    case "ENV":
                        Map<String, String> set = env(step[1]);
                        envs.putAll(set);
                        StringBuilder script = new StringBuilder();
                        set.forEach((k, v) -> script.append("export ")
                                .append(k)
                                .append("=")
                                .append(quote(v))
                                .append('\n'));
                        appendAsRoot(sandbox, script.toString());
                        break;
                    case "WORKDIR":
                        cwd = step[1];
                        sandbox.files().asUser("root").makeDir(cwd);
                        break;
                    case "USER":
                        user = step[1];
                        break;
                    case "COPY":
                    case "ADD":
                        copy(sandbox, context, step[1], cwd, user);
                        break;
                    default:
                        out.println(" ---> ignored: a Wrenn template keeps no " + step[0] + " yet");
                }
            }
            out.println(" ---> snapshotting the sandbox as template " + name);
            sandbox.createSnapshot(name);
        } finally {
            sandbox.kill();
        }
    }

    private void appendAsRoot(Sandbox sandbox, String text) {
        String existing = sandbox.files().exists("/etc/profile.d/wrenn-template.sh")
                ? sandbox.files().asUser("root").read("/etc/profile.d/wrenn-template.sh")
                : "";
        sandbox.files().asUser("root").write("/etc/profile.d/wrenn-template.sh", existing + text);
    }

    private void run(Sandbox sandbox, String cmd, String cwd, String user, Map<String, String> envs) {
        sandbox.commands()
                .run(
                        cmd,
                        CommandOptions.builder()
                                .cwd(cwd)
                                .user(user == null ? "root" : user)
                                .envs(envs)
                                .timeout(Duration.ofMinutes(30))
                                .onStdout(s -> {
                                    out.print(s);
                                    out.flush();
                                })
                                .onStderr(s -> {
                                    err.print(s);
                                    err.flush();
                                })
                                .build());
    }

    private void copy(Sandbox sandbox, Path context, String args, String cwd, String user) {
        List<String> parts = new ArrayList<>(List.of(shellForm(args).split("\\s+")));
        parts.removeIf(p -> p.startsWith("--"));
        if (parts.size() < 2) {
            throw new UsageException("COPY needs a source and a destination");
        }
        String dest = parts.get(parts.size() - 1);
        if (!dest.startsWith("/")) {
            dest = (cwd == null ? "/home/user" : cwd) + "/" + dest;
        }
        for (String src : parts.subList(0, parts.size() - 1)) {
            Path local = context.resolve(src).normalize();
            if (!local.startsWith(context.normalize())) {
                throw new UsageException("COPY " + src + " is outside the build context");
            }
            String target = dest.endsWith("/") || parts.size() > 2 ? dest + "/" + local.getFileName() : dest;
            new Copy(config, err).run(local.toString(), sandbox.sandboxId() + ":" + target);
        }
        if (user != null) {
            sandbox.commands()
                    .run(
                            "chown -R " + user + " " + quote(dest),
                            CommandOptions.builder().user("root").build());
        }
    }

    /** A JSON exec form ({@code ["a","b"]}) as a shell command line; the shell form as it is. */
    static String shellForm(String arg) {
        if (arg.startsWith("[")) {
            List<Object> words = Json.parseArray(arg);
            StringBuilder s = new StringBuilder();
            for (Object w : words) {
                s.append(s.length() == 0 ? "" : " ").append(quote(String.valueOf(w)));
            }
            return s.toString();
        }
        return arg;
    }

    /** {@code ENV K=V K2="v 2"} or the old {@code ENV K V}. */
    static Map<String, String> env(String arg) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!arg.contains("=") || arg.indexOf(' ') < arg.indexOf('=')) {
            int space = arg.indexOf(' ');
            if (space > 0) {
                m.put(arg.substring(0, space), arg.substring(space + 1).strip());
                return m;
            }
        }
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)")
                .matcher(arg);
        while (matcher.find()) {
            String v = matcher.group(2);
            m.put(matcher.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
        }
        return m;
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
