package dev.wrenn.control.templates;

import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.Template;
import dev.wrenn.control.db.TemplateBuild;
import dev.wrenn.control.db.TemplateRepository;
import dev.wrenn.control.db.TemplateType;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.quota.QuotaChecks;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.control.sandboxes.SandboxSpec;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateProgress;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateRequest;
import dev.wrenn.protocol.hostagent.v1.BuildImageTemplateResult;
import dev.wrenn.protocol.hostagent.v1.CreateSnapshotResponse;
import dev.wrenn.protocol.hostagent.v1.ExecRequest;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import dev.wrenn.protocol.hostagent.v1.ExecStreamRequest;
import dev.wrenn.protocol.hostagent.v1.ExecStreamResponse;
import dev.wrenn.protocol.hostagent.v1.WriteFileMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one build: the base (an image the host agent turns into a template, or a template the team may use), a sandbox
 * booted from it, each step in that sandbox through the guest agent with its output in the build's log, the start
 * command and the ready check, then a snapshot published as the template (replacing the previous build's atomically
 * on the host, so it serves until this one is durable). The sandbox and any intermediate image template are removed
 * whatever happens.
 */
final class BuildRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BuildRunner.class);
    /** What {@code fromBaseImage()} asks for: Wrenn's own base image. */
    static final String E2B_BASE_IMAGE = "e2bdev/base";

    static final String BASE_STEP = "base";
    static final String FINALIZE_STEP = "finalize";
    static final int STEP_TIMEOUT_SEC = 3600;
    static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    /** Where the template's environment is kept for the login shells E2B's SDK runs commands in. */
    static final String PROFILE = "/etc/profile.d/wrenn-template.sh";

    private final HostAgentClient host;
    private final SandboxService sandboxes;
    private final TemplateRepository templates;
    private final ContextFiles files;
    private final QuotaChecks quotas;
    private final Clock clock;

    BuildRunner(
            HostAgentClient host,
            SandboxService sandboxes,
            TemplateRepository templates,
            ContextFiles files,
            QuotaChecks quotas,
            Clock clock) {
        this.host = host;
        this.sandboxes = sandboxes;
        this.templates = templates;
        this.files = files;
        this.quotas = quotas;
        this.clock = clock;
    }

    /** The environment, directory and user later steps and the start command run with. */
    private static final class State {
        final Map<String, String> env = new LinkedHashMap<>();
        String workdir = "";
        String user = "root";
    }

    /** Runs the build; {@code onSandbox} records the build sandbox's id. Throws {@link BuildFailure} on failure. */
    void run(TemplateBuild build, BuildSpec spec, BuildLog log, java.util.function.Consumer<String> onSandbox) {
        State state = new State();
        String intermediate = null;
        Sandbox sandbox = null;
        try {
            String boot;
            if (spec.fromTemplate() != null) {
                boot = spec.fromTemplate();
                log.info(BASE_STEP, "FROM template " + boot);
            } else {
                intermediate = "img-" + build.id();
                boot = imageBase(build, spec, intermediate, state, log);
                if (!boot.equals(intermediate)) {
                    intermediate = null;
                }
            }
            try {
                sandbox = sandboxes.create(
                        build.teamId(),
                        SandboxSpec.of(boot, build.vcpus(), build.memoryMb(), 0, Map.of("wrenn.build", build.id())));
            } catch (ApiException e) {
                throw new BuildFailure(
                        BASE_STEP, "starting the build sandbox from " + boot + " failed: " + e.getMessage());
            }
            onSandbox.accept(sandbox.id());
            log.info(BASE_STEP, "build sandbox " + sandbox.id() + " is running");
            int total = spec.steps().size();
            for (BuildSpec.Step step : spec.steps()) {
                log.info(String.valueOf(step.number()), "[" + step.number() + "/" + total + "] " + step.describe());
                runStep(sandbox, build, step, state, log);
            }
            finish(sandbox, spec, state, log);
            publish(build, sandbox, log);
        } finally {
            if (sandbox != null) {
                destroyQuietly(build.teamId(), sandbox.id());
            }
            if (intermediate != null) {
                deleteQuietly(intermediate);
            }
        }
    }

    /**
     * Asks the host agent for the image as a template ({@code BuildImageTemplate}) and returns what to boot. A host agent
     * without image support (gRPC UNIMPLEMENTED) can still serve {@code e2bdev/base}: Wrenn's built-in {@code base}.
     */
    private String imageBase(TemplateBuild build, BuildSpec spec, String intermediate, State state, BuildLog log) {
        String image = spec.fromImage();
        log.info(BASE_STEP, "FROM image " + image);
        if (isBaseImage(image)) {
            // e2bdev/base is Wrenn's own base image, which every host already holds as the built-in `base` template:
            // nothing to pull or boot. (Building it through BuildImageTemplate failed at its snapshot in the E2B tier
            // in session 6; the host-side path stays tested by the host agent's RealImageTemplateTest.)
            log.info(
                    BASE_STEP, E2B_BASE_IMAGE + " is Wrenn's built-in template '" + SandboxSpec.DEFAULT_TEMPLATE + "'");
            return SandboxSpec.DEFAULT_TEMPLATE;
        }
        BuildImageTemplateRequest.Builder request = BuildImageTemplateRequest.newBuilder()
                .setTemplateId(intermediate)
                .setImage(image)
                .setVcpus(build.vcpus())
                .setMemoryMb(build.memoryMb());
        if (spec.registryUsername() != null) {
            request.setRegistryUsername(spec.registryUsername()).setRegistryPassword(spec.registryPassword());
        }
        try (Stream<BuildImageTemplateProgress> events = host.buildImageTemplate(request.build())) {
            Iterator<BuildImageTemplateProgress> it = events.iterator();
            boolean done = false;
            while (it.hasNext()) {
                BuildImageTemplateProgress event = it.next();
                if (event.hasLog()) {
                    String level = event.getLog().getLevel();
                    log.append(
                            level.isEmpty() ? "info" : level,
                            BASE_STEP,
                            event.getLog().getMessage());
                } else if (event.hasResult()) {
                    apply(event.getResult(), state, log);
                    done = true;
                }
            }
            if (!done) {
                throw new BuildFailure(
                        BASE_STEP, "image " + image + ": the host agent ended the build without a result");
            }
            return intermediate;
        } catch (UnsupportedOperationException e) {
            if (isBaseImage(image)) {
                log.warn(
                        BASE_STEP,
                        "this host agent does not implement BuildImageTemplate (container images); " + E2B_BASE_IMAGE
                                + " falls back to Wrenn's built-in template '" + SandboxSpec.DEFAULT_TEMPLATE + "'");
                return SandboxSpec.DEFAULT_TEMPLATE;
            }
            throw new BuildFailure(
                    BASE_STEP,
                    "fromImage('" + image + "'): this host agent cannot build templates from container images (it does"
                            + " not implement the BuildImageTemplate RPC); use fromBaseImage() or fromTemplate()");
        } catch (ApiException e) {
            throw new BuildFailure(BASE_STEP, "image " + image + ": " + e.getMessage());
        }
    }

    static boolean isBaseImage(String image) {
        return image.equals(E2B_BASE_IMAGE) || image.equals(E2B_BASE_IMAGE + ":latest");
    }

    /** The image's Env, WorkingDir and User, as E2B honours them for later steps and the start command. */
    private static void apply(BuildImageTemplateResult result, State state, BuildLog log) {
        state.env.putAll(result.getEnvMap());
        if (!result.getWorkdir().isEmpty()) {
            state.workdir = result.getWorkdir();
        }
        if (!result.getUser().isEmpty()) {
            state.user = result.getUser();
        }
        log.info(BASE_STEP, "image " + result.getImageDigest() + " is ready");
    }

    private void runStep(Sandbox sandbox, TemplateBuild build, BuildSpec.Step step, State state, BuildLog log) {
        String name = String.valueOf(step.number());
        List<String> args = step.args();
        switch (step.type()) {
            case "RUN" -> shell(sandbox, name, args.get(0), args.size() > 1 ? args.get(1) : state.user, state, log);
            case "ENV" -> {
                for (int i = 0; i < args.size(); i += 2) {
                    state.env.put(args.get(i), args.get(i + 1));
                }
            }
            case "WORKDIR" -> {
                String dir = absolute(args.get(0), state);
                shell(sandbox, name, "mkdir -p " + quote(dir) + owned(dir, state.user), "root", state, log);
                state.workdir = dir;
            }
            case "USER" -> {
                String user = args.get(0);
                shell(
                        sandbox,
                        name,
                        "id -u " + quote(user) + " >/dev/null 2>&1 || useradd -m -s /bin/bash " + quote(user),
                        "root",
                        state,
                        log);
                state.user = user;
            }
            case "COPY" -> copy(sandbox, build, step, state, log);
            default -> throw new BuildFailure(name, "step type " + step.type() + " is not supported");
        }
    }

    /**
     * COPY: the uploaded archive goes into the VM and is unpacked there (never on the control plane), then copied with
     * Docker's rules: a directory's contents into the destination; a file into it when it ends in {@code /} or is a
     * directory, else to that path. Owners are the step's user (or the build's current one), modes the step's.
     */
    private void copy(Sandbox sandbox, TemplateBuild build, BuildSpec.Step step, State state, BuildLog log) {
        String name = String.valueOf(step.number());
        List<String> args = step.args();
        String owner = args.size() > 2 && !args.get(2).isEmpty() ? args.get(2) : state.user;
        String mode = args.size() > 3 ? args.get(3) : "";
        String archive = "/tmp/wrenn-context-" + step.filesHash() + ".tar";
        try (InputStream in = Files.newInputStream(files.path(build.teamId(), step.filesHash()))) {
            host.writeFileStream(
                    WriteFileMeta.newBuilder()
                            .setSandboxId(sandbox.id())
                            .setPath(archive)
                            .setUser("root")
                            .build(),
                    in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ApiException e) {
            throw new BuildFailure(name, "COPY: sending the build context into the sandbox failed: " + e.getMessage());
        }
        String dest = absolute(args.get(1), state);
        String script = "set -e\n"
                + "ctx=$(mktemp -d /tmp/wrenn-copy.XXXXXX)\n"
                + "tar --no-same-owner -xf " + quote(archive) + " -C \"$ctx\"\n"
                + "cd \"$ctx\"\n"
                + "dest=" + quote(dest) + "\n"
                + "found=0\n"
                + "for s in " + globQuote(args.get(0)) + "; do\n"
                + "  [ -e \"$s\" ] || [ -L \"$s\" ] || continue\n"
                + "  found=1\n"
                + "  if [ -d \"$s\" ] && [ ! -L \"$s\" ]; then\n"
                + "    mkdir -p \"$dest\"; cp -a \"$s\"/. \"$dest\"/; t=\"$dest\"\n"
                + "  else\n"
                + "    case \"$dest\" in */) mkdir -p \"$dest\"; t=\"$dest$(basename \"$s\")\" ;;\n"
                + "      *) if [ -d \"$dest\" ]; then t=\"$dest/$(basename \"$s\")\"; else mkdir -p \"$(dirname \"$dest\")\";"
                + " t=\"$dest\"; fi ;; esac\n"
                + "    cp -a \"$s\" \"$t\"\n"
                + "  fi\n"
                + "  chown -hR " + quote(owner) + ": \"$t\"\n"
                + (mode.isEmpty() ? "" : "  chmod -R " + quote(mode) + " \"$t\"\n")
                + "done\n"
                + "cd /; rm -rf \"$ctx\" " + quote(archive) + "\n"
                + "[ \"$found\" = 1 ] || { echo 'COPY: nothing in the uploaded context matches "
                + args.get(0).replace("'", "") + "' >&2; exit 1; }\n";
        shell(sandbox, name, script, "root", state, log);
    }

    /** The start command left running (in its own session, so no exec's end kills it), then the ready check. */
    private void finish(Sandbox sandbox, BuildSpec spec, State state, BuildLog log) {
        writeProfile(sandbox, state);
        if (spec.startCmd() != null) {
            log.info(FINALIZE_STEP, "start command: " + spec.startCmd());
            shell(
                    sandbox,
                    FINALIZE_STEP,
                    "setsid /bin/sh -c " + quote(spec.startCmd()) + " </dev/null >/tmp/wrenn-start.log 2>&1 &",
                    state.user,
                    state,
                    log);
        }
        if (spec.readyCmd() != null) {
            log.info(FINALIZE_STEP, "waiting for the ready command: " + spec.readyCmd());
            Instant deadline = clock.instant().plus(READY_TIMEOUT);
            for (; ; ) {
                ExecResponse ready = host.exec(ExecRequest.newBuilder()
                        .setSandboxId(sandbox.id())
                        .setCmd("/bin/sh")
                        .addArgs("-c")
                        .addArgs(spec.readyCmd())
                        .setTimeoutSec(30)
                        .putAllEnvs(state.env)
                        .setCwd(state.workdir)
                        .setUser(state.user)
                        .build());
                if (ready.getExitCode() == 0) {
                    log.info(FINALIZE_STEP, "ready");
                    break;
                }
                if (clock.instant().isAfter(deadline)) {
                    throw new BuildFailure(
                            FINALIZE_STEP,
                            "the ready command did not succeed within " + READY_TIMEOUT.toMinutes() + " minutes (last"
                                    + " exit code " + ready.getExitCode() + ")");
                }
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    /** ENV steps and the image's Env, for the login shells the SDK runs commands in. */
    private void writeProfile(Sandbox sandbox, State state) {
        if (state.env.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder("# Written by a Wrenn template build: the template's ENV.\n");
        state.env.forEach((k, v) ->
                text.append("export ").append(k).append('=').append(quote(v)).append('\n'));
        host.writeFileStream(
                WriteFileMeta.newBuilder()
                        .setSandboxId(sandbox.id())
                        .setPath(PROFILE)
                        .setUser("root")
                        .build(),
                new java.io.ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private void publish(TemplateBuild build, Sandbox sandbox, BuildLog log) {
        log.info(FINALIZE_STEP, "snapshotting the build sandbox as template " + build.name());
        Optional<Template> existing = templates.findById(build.templateId());
        try (QuotaChecks.Reservation held =
                existing.isPresent() ? QuotaChecks.Reservation.NONE : quotas.reserveTemplate(build.teamId())) {
            CreateSnapshotResponse made = host.createSnapshot(sandbox.id(), build.templateId(), existing.isPresent());
            Template template = new Template(
                    build.templateId(),
                    build.teamId(),
                    build.name(),
                    TemplateType.SNAPSHOT,
                    build.vcpus(),
                    build.memoryMb(),
                    made.getSizeBytes(),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS),
                    existing.map(Template::isPublic).orElse(false));
            if (existing.isPresent()) {
                templates.replace(template);
            } else {
                try {
                    templates.insert(template);
                } catch (RuntimeException e) {
                    deleteQuietly(build.templateId());
                    throw e;
                }
            }
        } catch (ApiException e) {
            throw new BuildFailure(FINALIZE_STEP, "publishing the template failed: " + e.getMessage());
        }
    }

    /** Runs a shell script in the build sandbox, its output into the log; a non-zero exit fails the step. */
    private void shell(Sandbox sandbox, String step, String script, String user, State state, BuildLog log) {
        BuildLog.Lines out = log.new Lines("info", step);
        BuildLog.Lines err = log.new Lines("info", step);
        Integer exit = null;
        String why = "";
        try (Stream<ExecStreamResponse> events = host.execStream(ExecStreamRequest.newBuilder()
                .setSandboxId(sandbox.id())
                .setCmd("/bin/sh")
                .addArgs("-c")
                .addArgs(script)
                .setTimeoutSec(STEP_TIMEOUT_SEC)
                .putAllEnvs(state.env)
                .setCwd(state.workdir)
                .setUser(user)
                .build())) {
            Iterator<ExecStreamResponse> it = events.iterator();
            while (it.hasNext()) {
                ExecStreamResponse event = it.next();
                if (event.hasData()) {
                    if (event.getData().hasStdout()) {
                        out.add(event.getData().getStdout().toString(StandardCharsets.UTF_8));
                    } else {
                        err.add(event.getData().getStderr().toString(StandardCharsets.UTF_8));
                    }
                } else if (event.hasEnd()) {
                    exit = event.getEnd().getExitCode();
                    why = event.getEnd().getError();
                }
            }
        } catch (ApiException e) {
            throw new BuildFailure(step, "step " + step + " could not run: " + e.getMessage());
        } finally {
            out.flush();
            err.flush();
        }
        if (exit == null || exit != 0) {
            String lines = String.join("\n", log.tail());
            throw new BuildFailure(
                    step,
                    "step " + step + " failed with exit code " + exit + (why.isEmpty() ? "" : " (" + why + ")")
                            + "; last output:\n" + lines);
        }
    }

    private static String absolute(String path, State state) {
        if (path.startsWith("/")) {
            return path;
        }
        String base =
                state.workdir.isEmpty() ? (state.user.equals("root") ? "/root" : "/home/" + state.user) : state.workdir;
        return base + "/" + path;
    }

    private static String owned(String dir, String user) {
        return user.equals("root") ? "" : " && chown " + quote(user) + ": " + quote(dir);
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** A source pattern for the shell: its glob characters stay active, everything else is quoted. */
    static String globQuote(String pattern) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']') {
                if (!literal.isEmpty()) {
                    out.append(quote(literal.toString()));
                    literal.setLength(0);
                }
                out.append(c);
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            out.append(quote(literal.toString()));
        }
        String stripped = out.toString();
        return stripped.startsWith("'./") ? "'" + stripped.substring(3) : stripped;
    }

    private void destroyQuietly(String teamId, String sandboxId) {
        try {
            sandboxes.destroy(teamId, sandboxId);
        } catch (RuntimeException e) {
            LOG.warn("removing build sandbox {} failed: {}", sandboxId, e.getMessage());
        }
    }

    private void deleteQuietly(String template) {
        try {
            host.deleteSnapshot(template);
        } catch (RuntimeException e) {
            LOG.warn("removing the intermediate template {} failed: {}", template, e.getMessage());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailure(FINALIZE_STEP, "the build was interrupted");
        }
    }
}
