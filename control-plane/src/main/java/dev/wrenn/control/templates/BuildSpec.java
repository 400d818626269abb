package dev.wrenn.control.templates;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.error.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The body of E2B's {@code POST /v2/templates/{id}/builds/{buildID}} ({@code TemplateBuildStartV2}), checked: a base
 * ({@code fromImage} or {@code fromTemplate}), optional registry credentials, the steps, the start and ready commands
 * and {@code force}. Every refusal is a 400 naming the field or the step (1-based, as E2B's SDK numbers them: its
 * stack trace 0 is the {@code from…} call).
 */
record BuildSpec(
        String fromImage,
        String fromTemplate,
        String registryUsername,
        String registryPassword,
        List<Step> steps,
        String startCmd,
        String readyCmd,
        boolean force) {

    static final int MAX_STEPS = 500;
    static final int MAX_ARG_CHARS = 64 * 1024;
    static final Pattern FILES_HASH = Pattern.compile("[0-9a-f]{64}");
    static final List<String> TYPES = List.of("RUN", "COPY", "ENV", "WORKDIR", "USER");

    /** One step: its 1-based number (E2B's step name), type, arguments and, for COPY, the files hash. */
    record Step(int number, String type, List<String> args, String filesHash, boolean force) {
        String describe() {
            return type + " " + String.join(" ", args).strip();
        }
    }

    /** Where the build's log and errors name the step. */
    @Override
    public String toString() {
        return "BuildSpec[" + (fromImage != null ? "fromImage=" + fromImage : "fromTemplate=" + fromTemplate) + ", "
                + steps.size() + " steps]";
    }

    static BuildSpec parse(JsonNode body) {
        String fromImage = text(body, "fromImage");
        String fromTemplate = text(body, "fromTemplate");
        if ((fromImage == null) == (fromTemplate == null)) {
            throw ApiException.invalid("exactly one of 'fromImage' and 'fromTemplate' is required");
        }
        String user = null;
        String password = null;
        JsonNode registry = body.get("fromImageRegistry");
        if (registry != null && !registry.isNull()) {
            String type = text(registry, "type");
            if (!"registry".equals(type)) {
                throw ApiException.invalid("fromImageRegistry.type '" + type
                        + "' is not supported: Wrenn takes 'registry' credentials (username and password) only");
            }
            user = text(registry, "username");
            password = text(registry, "password");
            if (user == null || password == null) {
                throw ApiException.invalid("fromImageRegistry needs 'username' and 'password'");
            }
        }
        JsonNode rawSteps = body.get("steps");
        List<Step> steps = new ArrayList<>();
        if (rawSteps != null && !rawSteps.isNull()) {
            if (!rawSteps.isArray()) {
                throw ApiException.invalid("'steps' must be an array");
            }
            if (rawSteps.size() > MAX_STEPS) {
                throw ApiException.invalid(
                        "a build may have at most " + MAX_STEPS + " steps (got " + rawSteps.size() + ")");
            }
            for (int i = 0; i < rawSteps.size(); i++) {
                steps.add(step(i + 1, rawSteps.get(i)));
            }
        }
        return new BuildSpec(
                fromImage,
                fromTemplate,
                user,
                password,
                List.copyOf(steps),
                text(body, "startCmd"),
                text(body, "readyCmd"),
                bool(body, "force"));
    }

    private static Step step(int number, JsonNode node) {
        String where = "step " + number;
        if (!node.isObject()) {
            throw ApiException.invalid(where + " must be an object");
        }
        String type = text(node, "type");
        if (type == null) {
            throw ApiException.invalid(where + ": 'type' is required");
        }
        type = type.toUpperCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw ApiException.invalid(where + ": step type '" + type + "' is not supported (supported: "
                    + String.join(", ", TYPES) + ")");
        }
        List<String> args = new ArrayList<>();
        JsonNode rawArgs = node.get("args");
        if (rawArgs != null && !rawArgs.isNull()) {
            if (!rawArgs.isArray()) {
                throw ApiException.invalid(where + ": 'args' must be an array of strings");
            }
            for (JsonNode a : rawArgs) {
                if (!a.isTextual()) {
                    throw ApiException.invalid(where + ": 'args' must be an array of strings");
                }
                if (a.asText().length() > MAX_ARG_CHARS) {
                    throw ApiException.invalid(where + ": an argument is longer than " + MAX_ARG_CHARS + " characters");
                }
                args.add(a.asText());
            }
        }
        String hash = text(node, "filesHash");
        switch (type) {
            case "RUN" -> need(where, type, args, 1, 2);
            case "WORKDIR", "USER" -> need(where, type, args, 1, 1);
            case "ENV" -> {
                if (args.isEmpty() || args.size() % 2 != 0) {
                    throw ApiException.invalid(where + ": ENV needs key and value pairs");
                }
                for (int i = 0; i < args.size(); i += 2) {
                    if (!args.get(i).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                        throw ApiException.invalid(where + ": '" + args.get(i) + "' is not a valid variable name");
                    }
                }
            }
            case "COPY" -> {
                need(where, type, args, 2, 4);
                if (hash == null || !FILES_HASH.matcher(hash).matches()) {
                    throw ApiException.invalid(where + ": COPY needs 'filesHash' (64 lowercase hex characters)");
                }
                if (!args.get(1).startsWith("/") && args.get(1).isBlank()) {
                    throw ApiException.invalid(where + ": COPY needs a destination");
                }
                if (args.size() > 3 && !args.get(3).isEmpty() && !args.get(3).matches("[0-7]{3,4}")) {
                    throw ApiException.invalid(where + ": COPY mode '" + args.get(3) + "' is not an octal mode");
                }
            }
            default -> throw new IllegalStateException(type);
        }
        if (args.get(0).isBlank()) {
            throw ApiException.invalid(where + ": " + type + " needs a non-empty first argument");
        }
        return new Step(number, type, List.copyOf(args), hash, bool(node, "force"));
    }

    private static void need(String where, String type, List<String> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw ApiException.invalid(where + ": " + type + " takes " + (min == max ? min : min + " to " + max)
                    + " arguments (got " + args.size() + ")");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("field '" + field + "' must be a string");
        }
        if (value.asText().length() > MAX_ARG_CHARS) {
            throw ApiException.invalid("field '" + field + "' is longer than " + MAX_ARG_CHARS + " characters");
        }
        return value.asText().isEmpty() ? null : value.asText();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid("field '" + field + "' must be true or false");
        }
        return value.asBoolean();
    }
}
