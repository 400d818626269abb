package dev.wrenn.sdk;

import dev.wrenn.sdk.commands.Commands;
import dev.wrenn.sdk.commands.Pty;
import dev.wrenn.sdk.files.Files;
import dev.wrenn.sdk.internal.Envd;
import dev.wrenn.sdk.internal.Json;
import dev.wrenn.sdk.internal.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A sandbox: a microVM running code you do not trust. The same concepts and names as E2B's SDKs, in Java style:
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.create()) {
 *     sandbox.files().write("/tmp/hello.py", "print('hello')");
 *     System.out.println(sandbox.commands().run("python3 /tmp/hello.py").stdout());
 * }
 * }</pre>
 *
 * <p>{@link #close()} kills the sandbox (as E2B's Python SDK does on leaving a {@code with} block); call
 * {@link #disconnect()} instead to leave it running. Every call is bounded by the configuration's request timeout
 * (commands and watches by their own), and every failure is a {@link SandboxException}.
 */
public final class Sandbox implements AutoCloseable {
    private final Transport transport;
    private final String sandboxId;
    private final String templateId;
    private final String envdVersion;
    private final Envd envd;
    private final Commands commands;
    private final Files files;
    private final Pty pty;

    private Sandbox(Transport transport, Map<String, Object> created) {
        this.transport = transport;
        this.sandboxId = Json.string(created, "sandboxID");
        if (sandboxId == null || sandboxId.isEmpty()) {
            throw new SandboxException("the API answered without a sandboxID");
        }
        this.templateId = Json.string(created, "templateID");
        this.envdVersion = Json.string(created, "envdVersion");
        this.envd = new Envd(
                transport,
                sandboxId,
                transport.config().sandboxUrl(sandboxId, Json.string(created, "domain")),
                Json.string(created, "envdAccessToken"));
        this.commands = new Commands(envd);
        this.files = new Files(envd);
        this.pty = new Pty(commands);
    }

    /** A sandbox from the {@code base} template, configured from the environment. */
    public static Sandbox create() {
        return create(SandboxOptions.builder().build());
    }

    /** A sandbox from {@code template} (a name, an id or a snapshot id), configured from the environment. */
    public static Sandbox create(String template) {
        return create(SandboxOptions.builder().template(template).build());
    }

    /** A sandbox as {@code options} say; returns once its envd serves. */
    public static Sandbox create(SandboxOptions options) {
        Transport transport = transport(options.config());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("templateID", options.template());
        body.put("timeout", seconds(options.timeout()));
        if (!options.metadata().isEmpty()) {
            body.put("metadata", options.metadata());
        }
        if (!options.envs().isEmpty()) {
            body.put("envVars", options.envs());
        }
        if (options.autoPause()) {
            body.put("autoPause", true);
        }
        Transport.Answer a = transport.api("POST", "/v2/sandboxes", body, "create sandbox from " + options.template());
        return new Sandbox(transport, a.object());
    }

    /** Connects to an existing sandbox, resuming it if paused; configured from the environment. */
    public static Sandbox connect(String sandboxId) {
        return connect(sandboxId, null);
    }

    /** Connects to an existing sandbox, resuming it if paused. {@code config} null: from the environment. */
    public static Sandbox connect(String sandboxId, ConnectionConfig config) {
        return connect(sandboxId, null, config);
    }

    /**
     * Connects to an existing sandbox, resuming it if paused, and extends its lifetime to at least {@code timeout}
     * from now (null: the server's default).
     */
    public static Sandbox connect(String sandboxId, Duration timeout, ConnectionConfig config) {
        Transport transport = transport(config);
        Map<String, Object> body = new LinkedHashMap<>();
        if (timeout != null) {
            body.put("timeout", seconds(timeout));
        }
        Transport.Answer a = transport.api(
                "POST", "/v2/sandboxes/" + Transport.encode(sandboxId) + "/connect", body, "connect to " + sandboxId);
        return new Sandbox(transport, a.object());
    }

    /** Running and paused sandboxes of the caller's team, page by page; configured from the environment. */
    public static Paginator<SandboxInfo> list() {
        return list(SandboxQuery.builder().build());
    }

    /** The sandboxes {@code query} selects, page by page. */
    public static Paginator<SandboxInfo> list(SandboxQuery query) {
        Transport transport = transport(query.config());
        return new Paginator<>(token -> {
            Map<String, String> params = new LinkedHashMap<>();
            if (!query.metadata().isEmpty()) {
                // E2B's encoding: a URL-encoded query string of the pairs, itself sent as one value.
                params.put(
                        "metadata",
                        query.metadata().entrySet().stream()
                                .map(e -> Transport.encode(e.getKey()) + "=" + Transport.encode(e.getValue()))
                                .collect(Collectors.joining("&")));
            }
            params.put(
                    "state",
                    query.states().stream().map(SandboxState::wireName).sorted().collect(Collectors.joining(",")));
            params.put("limit", Integer.toString(query.limit()));
            params.put("nextToken", token);
            Transport.Answer a =
                    transport.api("GET", "/v2/sandboxes" + Transport.query(params), null, "list sandboxes");
            List<SandboxInfo> items = new ArrayList<>();
            for (Object o : a.array()) {
                items.add(SandboxInfo.fromJson(object(o)));
            }
            return new Paginator.Page<>(
                    items, a.headers.firstValue("x-next-token").orElse(null));
        });
    }

    /** What the API says about a sandbox. */
    public static SandboxInfo getInfo(String sandboxId, ConnectionConfig config) {
        return SandboxInfo.fromJson(transport(config)
                .api("GET", "/sandboxes/" + Transport.encode(sandboxId), null, "get sandbox " + sandboxId)
                .object());
    }

    /** Kills a sandbox by id; false if there was none. */
    public static boolean kill(String sandboxId, ConnectionConfig config) {
        Transport.Answer a = transport(config)
                .api("DELETE", "/sandboxes/" + Transport.encode(sandboxId), null, "kill sandbox " + sandboxId, 404);
        return a.status != 404;
    }

    /** Pauses a sandbox by id; false if it was already paused. */
    public static boolean pause(String sandboxId, ConnectionConfig config) {
        Transport.Answer a = transport(config)
                .api(
                        "POST",
                        "/sandboxes/" + Transport.encode(sandboxId) + "/pause",
                        Map.of(),
                        "pause sandbox " + sandboxId,
                        409);
        return a.status != 409;
    }

    /** The caller's snapshots, page by page. */
    public static Paginator<SnapshotInfo> listSnapshots(ConnectionConfig config) {
        Transport transport = transport(config);
        return new Paginator<>(token -> {
            Transport.Answer a = transport.api(
                    "GET",
                    "/snapshots" + Transport.query(Transport.params("limit", "100", "nextToken", token)),
                    null,
                    "list snapshots");
            List<SnapshotInfo> items = new ArrayList<>();
            for (Object o : a.array()) {
                items.add(SnapshotInfo.fromJson(object(o)));
            }
            return new Paginator.Page<>(
                    items, a.headers.firstValue("x-next-token").orElse(null));
        });
    }

    /** Deletes a snapshot; false if there was none. Refused while sandboxes started from it exist. */
    public static boolean deleteSnapshot(String snapshotId, ConnectionConfig config) {
        Transport.Answer a = transport(config)
                .api(
                        "DELETE",
                        "/templates/" + Transport.encode(snapshotId),
                        null,
                        "delete snapshot " + snapshotId,
                        404);
        return a.status != 404;
    }

    /** The sandbox's id. */
    public String sandboxId() {
        return sandboxId;
    }

    /** The template it was created from (as the API reported at create or connect). */
    public String templateId() {
        return templateId;
    }

    /** Its envd's version. */
    public String envdVersion() {
        return envdVersion;
    }

    /** The configuration this sandbox's calls use. */
    public ConnectionConfig config() {
        return transport.config();
    }

    /** Its commands. */
    public Commands commands() {
        return commands;
    }

    /** Its filesystem. */
    public Files files() {
        return files;
    }

    /** Its terminals. */
    public Pty pty() {
        return pty;
    }

    /** What the API says about it now. */
    public SandboxInfo getInfo() {
        return getInfo(sandboxId, transport.config());
    }

    /** Whether its envd answers (false once it was killed, paused or expired). */
    public boolean isRunning() {
        return envd.health();
    }

    /** Ends it {@code timeout} from now (shorter or longer than before). */
    public void setTimeout(Duration timeout) {
        transport.api(
                "POST",
                "/sandboxes/" + Transport.encode(sandboxId) + "/timeout",
                Map.of("timeout", seconds(timeout)),
                "set timeout of " + sandboxId);
    }

    /** Kills it; false if it was already gone. */
    public boolean kill() {
        return kill(sandboxId, transport.config());
    }

    /** Pauses it (memory and disk kept); false if it was already paused. Resume with {@link #resume()}. */
    public boolean pause() {
        return pause(sandboxId, transport.config());
    }

    /** Resumes it if paused (E2B's connect) and returns it, ready for calls. */
    public Sandbox resume() {
        return connect(sandboxId, transport.config());
    }

    /** Its resource use (the samples the API has; at least the latest). */
    public List<SandboxMetrics> getMetrics() {
        Transport.Answer a = transport.api(
                "GET", "/sandboxes/" + Transport.encode(sandboxId) + "/metrics", null, "metrics of " + sandboxId);
        List<SandboxMetrics> out = new ArrayList<>();
        for (Object o : a.array()) {
            out.add(SandboxMetrics.fromJson(object(o)));
        }
        return out;
    }

    /**
     * Snapshots it: its memory and disk become a template that {@link #create(String)} starts copies of (by the
     * returned id). The sandbox keeps running. {@code name} null: the server picks one.
     */
    public SnapshotInfo createSnapshot(String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (name != null) {
            body.put("name", name);
        }
        return SnapshotInfo.fromJson(transport
                .api("POST", "/sandboxes/" + Transport.encode(sandboxId) + "/snapshots", body, "snapshot " + sandboxId)
                .object());
    }

    /**
     * {@code count} copies of it as it is now (memory and disk), each a new running sandbox with {@code timeout}.
     * If any copy fails the others are killed and the failure is thrown.
     */
    public List<Sandbox> fork(int count, Duration timeout) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", count);
        if (timeout != null) {
            body.put("timeout", seconds(timeout));
        }
        Transport.Answer a =
                transport.api("POST", "/sandboxes/" + Transport.encode(sandboxId) + "/fork", body, "fork " + sandboxId);
        List<Sandbox> copies = new ArrayList<>();
        SandboxException failure = null;
        for (Object o : a.array()) {
            Map<String, Object> entry = object(o);
            if (entry.get("sandbox") instanceof Map) {
                copies.add(new Sandbox(transport, object(entry.get("sandbox"))));
            } else if (failure == null) {
                Map<String, Object> error = entry.get("error") instanceof Map ? object(entry.get("error")) : Map.of();
                failure = dev.wrenn.sdk.internal.Errors.fromHttp(
                        (int) Json.number(error, "code", 500), Json.write(error), "fork " + sandboxId);
            }
        }
        if (failure != null) {
            copies.forEach(Sandbox::kill);
            throw failure;
        }
        return copies;
    }

    /** Stops using this object; the sandbox keeps running (reach it again with {@link #connect(String)}). */
    public void disconnect() {
        // Nothing is held per sandbox: connections are pooled by the shared HTTP client.
    }

    /** Kills the sandbox (try-with-resources ends it); already gone is fine. */
    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return "Sandbox[" + sandboxId + ", template " + templateId + "]";
    }

    static Transport transport(ConnectionConfig config) {
        return new Transport(config == null ? ConnectionConfig.fromEnvironment() : config);
    }

    static long seconds(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        if (s < 1) {
            throw new IllegalArgumentException("a timeout must be at least one second (got " + d + ")");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        if (!(o instanceof Map)) {
            throw new SandboxException("the API answered an unexpected shape");
        }
        return (Map<String, Object>) o;
    }
}
