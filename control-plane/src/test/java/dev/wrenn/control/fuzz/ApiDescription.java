package dev.wrenn.control.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations of the served OpenAPI description, as the fuzzer needs them: method, path template, query
 * parameter names and the JSON schema of the body. Read from the same file the server serves at /openapi.yaml, so
 * a route added to the description is fuzzed without touching this test.
 */
record ApiDescription(List<Operation> operations, JsonNode root) {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    record Operation(String method, String path, List<String> queryParameters, JsonNode bodySchema) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static ApiDescription load() {
        try (InputStream in = ApiDescription.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is not on the test class path");
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            return new ApiDescription(operations(root), root);
        } catch (IOException e) {
            throw new UncheckedIOException("reading openapi.yaml", e);
        }
    }

    private static List<Operation> operations(JsonNode root) {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<String> shared = queryNames(root, path.getValue().path("parameters"));
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                List<String> query = new ArrayList<>(shared);
                query.addAll(queryNames(root, op.getValue().path("parameters")));
                JsonNode schema = op.getValue()
                        .path("requestBody")
                        .path("content")
                        .path("application/json")
                        .path("schema");
                operations.add(new Operation(
                        op.getKey().toUpperCase(), path.getKey(), query, schema.isMissingNode() ? null : schema));
            }
        }
        return operations;
    }

    private static List<String> queryNames(JsonNode root, JsonNode parameters) {
        List<String> names = new ArrayList<>();
        for (JsonNode parameter : parameters) {
            JsonNode resolved = resolve(root, parameter);
            if ("query".equals(resolved.path("in").asText())) {
                names.add(resolved.path("name").asText());
            }
        }
        return names;
    }

    /** Follows a local {@code $ref} ("#/components/..."); anything else is returned as it is. */
    static JsonNode resolve(JsonNode root, JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; depth < 16 && current.has("$ref"); depth++) {
            current = root.at(current.get("$ref").asText().substring(1));
        }
        return current;
    }
}
