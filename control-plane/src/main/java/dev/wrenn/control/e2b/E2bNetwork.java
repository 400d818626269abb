package dev.wrenn.control.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.sandboxes.NetworkRules;
import java.util.ArrayList;
import java.util.List;

/**
 * E2B's network fields: {@code allow_internet_access} and {@code network} ({@code SandboxNetworkConfig}) on create,
 * {@code SandboxNetworkUpdateConfig} on {@code PUT /sandboxes/{id}/network}. Fields Wrenn does not implement are a
 * 400 that says so, never silently dropped: a user who asked for them must not get a sandbox without them.
 */
final class E2bNetwork {
    /** Keys of E2B's create body Wrenn does not implement, with what to tell the user. */
    private static final List<String[]> UNSUPPORTED_CREATE = List.of(
            new String[] {"volumeMounts", "volume mounts"},
            new String[] {"mcp", "MCP gateways"},
            new String[] {"iam", "IAM workload tokens"},
            new String[] {"secrets", "secrets"});

    private static final List<String[]> UNSUPPORTED_NETWORK = List.of(
            new String[] {"egressProxy", "egress proxy chaining"},
            new String[] {"rules", "per-domain transform rules"},
            new String[] {"maskRequestHost", "request host masking"},
            new String[] {"httpsPorts", "HTTPS ports on the sandbox proxy"});

    private E2bNetwork() {}

    /** The egress rules of a create body; 400 for anything malformed or not implemented. */
    static NetworkRules fromCreate(JsonNode body) {
        for (String[] field : UNSUPPORTED_CREATE) {
            if (present(body, field[0])) {
                throw unsupported(field[0], field[1]);
            }
        }
        JsonNode autoResume = body.get("autoResume");
        if (autoResume != null
                && autoResume.isObject()
                && autoResume.path("enabled").asBoolean(false)) {
            throw unsupported("autoResume", "resuming a paused sandbox on proxy traffic");
        }
        Boolean internet = E2bJson.optionalBoolean(body, "allow_internet_access");
        JsonNode network = body.get("network");
        if (network == null || network.isNull()) {
            return NetworkRules.of(internet, List.of(), List.of(), "network.allowOut", "network.denyOut");
        }
        if (!network.isObject()) {
            throw ApiException.invalid("field 'network' must be an object");
        }
        rejectUnsupportedNetwork(network, "network.");
        JsonNode publicTraffic = network.get("allowPublicTraffic");
        if (publicTraffic != null && !publicTraffic.isNull()) {
            if (!publicTraffic.isBoolean()) {
                throw ApiException.invalid("field 'network.allowPublicTraffic' must be true or false");
            }
            if (!publicTraffic.booleanValue()) {
                throw unsupported(
                        "network.allowPublicTraffic", "private sandbox traffic (a traffic access token on the proxy)");
            }
        }
        return NetworkRules.of(
                internet,
                strings(network, "allowOut", "network.allowOut"),
                strings(network, "denyOut", "network.denyOut"),
                "network.allowOut",
                "network.denyOut");
    }

    /** The body of {@code PUT /sandboxes/{id}/network}: replaces every rule; an omitted field is cleared. */
    static NetworkRules fromUpdate(JsonNode body) {
        rejectUnsupportedNetwork(body, "");
        if (present(body, "allowPublicTraffic")) {
            throw ApiException.invalid("field 'allowPublicTraffic' cannot be changed on a running sandbox");
        }
        return NetworkRules.of(
                E2bJson.optionalBoolean(body, "allow_internet_access"),
                strings(body, "allowOut", "allowOut"),
                strings(body, "denyOut", "denyOut"),
                "allowOut",
                "denyOut");
    }

    /** E2B's {@code network} in {@code SandboxDetail}: null when the owner set no rules (E2B omits it then). */
    static E2bViews.Network view(NetworkRules rules) {
        if (rules.allowOut().isEmpty() && rules.denyOut().isEmpty()) {
            return null;
        }
        return new E2bViews.Network(rules.allowOut(), rules.denyOut(), true);
    }

    private static void rejectUnsupportedNetwork(JsonNode network, String prefix) {
        for (String[] field : UNSUPPORTED_NETWORK) {
            if (present(network, field[0])) {
                throw unsupported(prefix + field[0], field[1]);
            }
        }
    }

    private static boolean present(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && !value.isNull();
    }

    private static ApiException unsupported(String field, String what) {
        return ApiException.invalid(
                "field '" + field + "' (" + what + ") is not supported by this server; leave it" + " out");
    }

    private static List<String> strings(JsonNode body, String key, String field) {
        JsonNode value = body.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiException.invalid("field '" + field + "' must be an array of strings");
        }
        if (value.size() > NetworkRules.MAX_ENTRIES) {
            throw ApiException.invalid(
                    "field '" + field + "' may hold at most " + NetworkRules.MAX_ENTRIES + " entries");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw ApiException.invalid("field '" + field + "[" + i + "]' must be a string");
            }
            out.add(value.get(i).textValue());
        }
        return out;
    }
}
