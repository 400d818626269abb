package dev.wrenn.control.e2b;

import dev.wrenn.control.hosts.HostAgentClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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

    /**
     * Whether {@code given} is the sandbox's token, compared in constant time so the answer's timing says nothing
     * about how much of a guess was right. No token never passes, and neither does a sandbox without one.
     */
    boolean matches(String sandboxId, String given) {
        String token = of(sandboxId);
        if (given == null || given.isEmpty() || token.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** Drops the sandbox's token (it stopped, paused or moved: a resumed guest may be given another). */
    void forget(String sandboxId) {
        tokens.remove(sandboxId);
    }

    /** How many tokens are remembered; the proxy's release of stopped sandboxes keeps this bounded. */
    int size() {
        return tokens.size();
    }
}
