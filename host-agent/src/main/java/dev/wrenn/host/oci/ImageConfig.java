package dev.wrenn.host.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an image's config E2B honours: Env (later entries of one name win, as in Docker), WorkingDir, User,
 * Entrypoint and Cmd. Architecture and OS are read to refuse an image that is not linux/amd64.
 */
public record ImageConfig(
        Map<String, String> env,
        String workdir,
        String user,
        List<String> entrypoint,
        List<String> cmd,
        String os,
        String architecture) {

    public ImageConfig {
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
    }

    static ImageConfig of(JsonNode root) {
        JsonNode config = root.path("config");
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode item : config.path("Env")) {
            String text = item.asText("");
            int equals = text.indexOf('=');
            if (equals > 0) {
                env.put(text.substring(0, equals), text.substring(equals + 1));
            }
        }
        return new ImageConfig(
                env,
                config.path("WorkingDir").asText(""),
                config.path("User").asText(""),
                strings(config.path("Entrypoint")),
                strings(config.path("Cmd")),
                root.path("os").asText(""),
                root.path("architecture").asText(""));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(item.asText(""));
        }
        return out;
    }
}
