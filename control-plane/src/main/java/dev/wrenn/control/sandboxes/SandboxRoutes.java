package dev.wrenn.control.sandboxes;

import dev.wrenn.control.api.Authenticator;
import dev.wrenn.control.api.JsonBodies;
import dev.wrenn.control.api.Principal;
import dev.wrenn.control.db.Sandbox;
import dev.wrenn.control.db.SandboxOperation;
import dev.wrenn.control.hosts.HostAgentClient;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code POST|GET /v1/sandboxes}, {@code GET|DELETE /v1/sandboxes/{id}} and {@code POST /v1/sandboxes/{id}/ping},
 * {@code /pause} and {@code /resume},
 * for an API key or a user token, always within the caller's team.
 */
public final class SandboxRoutes {
    private static final CreateRequest EMPTY = new CreateRequest(null, null, null, null, null, null, null);

    private final SandboxService sandboxes;
    private final HostAgentClient hostAgent;
    private final Authenticator auth;

    public SandboxRoutes(SandboxService sandboxes, HostAgentClient hostAgent, Authenticator auth) {
        this.sandboxes = sandboxes;
        this.hostAgent = hostAgent;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.post("/v1/sandboxes", auth.apiKeyOrJwt(this::create));
        routes.get("/v1/sandboxes", auth.apiKeyOrJwt(this::list));
        routes.get("/v1/sandboxes/{id}", auth.apiKeyOrJwt(this::get));
        routes.delete("/v1/sandboxes/{id}", auth.apiKeyOrJwt(this::destroy));
        routes.post("/v1/sandboxes/{id}/ping", auth.apiKeyOrJwt(this::ping));
        routes.post("/v1/sandboxes/{id}/pause", auth.apiKeyOrJwt(this::pause));
        routes.post("/v1/sandboxes/{id}/resume", auth.apiKeyOrJwt(this::resume));
        routes.put("/v1/sandboxes/{id}/network", auth.apiKeyOrJwt(this::updateNetwork));
    }

    private void create(Context ctx, Principal caller) {
        CreateRequest body = JsonBodies.readOptional(ctx, CreateRequest.class, EMPTY);
        SandboxSpec spec =
                SandboxSpec.of(body.template(), body.vcpus(), body.memoryMb(), body.timeoutSec(), body.metadata());
        NetworkBody network = body.network() == null ? new NetworkBody(null, null) : body.network();
        NetworkRules rules = NetworkRules.of(
                body.allowInternetAccess(),
                network.allowOut(),
                network.denyOut(),
                "network.allow_out",
                "network.deny_out");
        Sandbox created = sandboxes.create(caller.teamId(), spec, Map.of(), rules, (h, pending) -> {});
        ctx.status(201).json(SandboxView.of(created, rules));
    }

    private void list(Context ctx, Principal caller) {
        ctx.json(sandboxes.listLive(caller.teamId()).stream()
                .map(SandboxView::of)
                .toList());
    }

    private void get(Context ctx, Principal caller) {
        Sandbox sandbox = sandboxes.get(caller.teamId(), ctx.pathParam("id"));
        ctx.json(SandboxView.of(sandbox, sandboxes.networkRules(sandbox.id())));
    }

    /** Replaces every egress rule; a field left out is cleared, as in E2B's PUT. */
    private void updateNetwork(Context ctx, Principal caller) {
        UpdateNetworkRequest body = JsonBodies.readOptional(ctx, UpdateNetworkRequest.class, EMPTY_NETWORK);
        NetworkRules rules =
                NetworkRules.of(body.allowInternetAccess(), body.allowOut(), body.denyOut(), "allow_out", "deny_out");
        sandboxes.updateNetwork(caller.teamId(), ctx.pathParam("id"), rules);
        Sandbox sandbox = sandboxes.get(caller.teamId(), ctx.pathParam("id"));
        ctx.json(SandboxView.of(sandbox, rules));
    }

    private void destroy(Context ctx, Principal caller) {
        sandboxes.destroy(caller.teamId(), ctx.pathParam("id"));
        ctx.status(204);
    }

    private void ping(Context ctx, Principal caller) {
        Sandbox sandbox = sandboxes.require(caller.teamId(), ctx.pathParam("id"), SandboxOperation.PING);
        hostAgent.pingSandbox(sandbox.id());
        sandboxes.touch(sandbox);
        ctx.status(204);
    }

    private void pause(Context ctx, Principal caller) {
        ctx.json(SandboxView.of(sandboxes.pause(caller.teamId(), ctx.pathParam("id"))));
    }

    private void resume(Context ctx, Principal caller) {
        ctx.json(SandboxView.of(sandboxes.resume(caller.teamId(), ctx.pathParam("id"))));
    }

    record CreateRequest(
            String template,
            Integer vcpus,
            Integer memoryMb,
            Integer timeoutSec,
            Map<String, String> metadata,
            Boolean allowInternetAccess,
            NetworkBody network) {}

    record NetworkBody(List<String> allowOut, List<String> denyOut) {}

    record UpdateNetworkRequest(Boolean allowInternetAccess, List<String> allowOut, List<String> denyOut) {}

    private static final UpdateNetworkRequest EMPTY_NETWORK = new UpdateNetworkRequest(null, null, null);
}
