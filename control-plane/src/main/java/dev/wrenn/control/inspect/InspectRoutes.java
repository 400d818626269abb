package dev.wrenn.control.inspect;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxOperation;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.hosts.HostAgentClient;
import dev.wrenn.control.sandboxes.SandboxService;
import dev.wrenn.protocol.hostagent.v1.DirEntry;
import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import dev.wrenn.protocol.hostagent.v1.ListDirRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * What the web console's file browser and charts read: {@code GET /v1/sandboxes/{id}/files/list} and
 * {@code GET /v1/sandboxes/{id}/metrics} (one sample per call; the console keeps its own rolling window).
 */
public final class InspectRoutes {
    static final int MAX_DEPTH = 10;

    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;
    private final Authenticator auth;

    public InspectRoutes(SandboxService sandboxes, HostAgentClient hostAgent, Authenticator auth) {
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/v1/sandboxes/{id}/files/list", auth.apiKeyOrJwt(this::list));
        routes.get("/v1/sandboxes/{id}/metrics", auth.apiKeyOrJwt(this::metrics));
    }

    private void list(Context ctx, Principal caller) {
        Sandbox sandbox = sandboxes.require(caller.teamId(), ctx.pathParam("id"), SandboxOperation.INSPECT);
        String path = ctx.queryParam("path") == null ? "" : ctx.queryParam("path");
        if (path.indexOf('\0') >= 0) {
            throw ApiException.invalid("path must not contain a NUL byte");
        }
        List<EntryView> entries = hostAgent
                .listDir(ListDirRequest.newBuilder()
                        .setSandboxId(sandbox.id())
                        .setPath(path)
                        .setDepth(depth(ctx.queryParam("depth")))
                        .build())
                .getEntriesList()
                .stream()
                .map(EntryView::of)
                .toList();
        sandboxes.touch(sandbox);
        ctx.json(new Listing(entries));
    }

    private void metrics(Context ctx, Principal caller) {
        Sandbox sandbox = sandboxes.require(caller.teamId(), ctx.pathParam("id"), SandboxOperation.INSPECT);
        ctx.json(List.of(Sample.of(hostAgent.getMetrics(sandbox.id()))));
    }

    static int depth(String text) {
        if (text == null || text.isEmpty()) {
            return 1;
        }
        try {
            int depth = Integer.parseInt(text);
            if (depth >= 1 && depth <= MAX_DEPTH) {
                return depth;
            }
        } catch (NumberFormatException notANumber) {
            // answered below with the same message as an out-of-range number
        }
        throw ApiException.invalid("depth must be a whole number from 1 to " + MAX_DEPTH + " (got '" + text + "')");
    }

    record Listing(List<EntryView> entries) {}

    /** One entry; {@code type} is {@code file}, {@code dir} or {@code symlink}. */
    record EntryView(String name, String path, String type, long size, String permissions, Instant modifiedTime) {
        static EntryView of(DirEntry entry) {
            return new EntryView(
                    entry.getName(),
                    entry.getPath(),
                    switch (entry.getType()) {
                        case ENTRY_TYPE_DIRECTORY -> "dir";
                        case ENTRY_TYPE_SYMLINK -> "symlink";
                        default -> "file";
                    },
                    entry.getSize(),
                    entry.getPermissions(),
                    entry.getModifiedUnixMs() == 0 ? null : Instant.ofEpochMilli(entry.getModifiedUnixMs()));
        }
    }

    /** Memory in bytes, CPU use 0–100 over all CPUs. */
    record Sample(Instant timestamp, int cpuCount, double cpuUsedPct, long memUsed, long memTotal) {
        static Sample of(GetMetricsResponse metrics) {
            return new Sample(
                    Instant.ofEpochMilli(metrics.getTimestampUnixMs()),
                    metrics.getCpuCount(),
                    metrics.getCpuUsedPct(),
                    metrics.getMemUsedBytes(),
                    metrics.getMemTotalBytes());
        }
    }
}
