package dev.wrenn.control.e2b;

import dev.wrenn.control.hosts.HostAgentClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access token each sandbox's guest agent demands (made by the host agent, fixed for the sandbox's life), asked
 * of the host agent once per sandbox and remembered, so the proxy does not add an RPC to every request.
 */
public final class GuestTokens {
    private final HostAgentClient hostAgent;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    public GuestTokens(HostAgentClient hostAgent) {
        this.hostAgent = hostAgent;
    }

    /** The token, "" if the guest agent demands none. */
    String of(String sandboxId) {
        return tokens.computeIfAbsent(sandboxId, id -> hostAgent.getSandbox(id).getEnvdAccessToken());
    }

    void forget(String sandboxId) {
        tokens.remove(sandboxId);
    }
}
