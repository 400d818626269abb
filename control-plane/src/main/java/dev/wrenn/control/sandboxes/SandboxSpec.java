package dev.wrenn.control.sandboxes;

import dev.wrenn.control.error.ApiException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a user asks for when creating a sandbox, checked against the limits. A value left out takes its default; a
 * value given must be within the limits (the original silently replaced non-positive sizes by the defaults, which
 * hid client bugs).
 */
public record SandboxSpec(String template, int vcpus, int memoryMb, int timeoutSec, Map<String, String> metadata) {
    public static final String DEFAULT_TEMPLATE = "base";
    public static final int DEFAULT_VCPUS = 1;
    public static final int DEFAULT_MEMORY_MB = 512;
    public static final int MAX_VCPUS = 16;
    public static final int MIN_MEMORY_MB = 128;
    public static final int MAX_MEMORY_MB = 65_536;
    /** One day; a longer idle sandbox should be paused or snapshotted instead. */
    public static final int MAX_TIMEOUT_SEC = 86_400;

    static final int MAX_METADATA_ENTRIES = 64;
    static final int MAX_METADATA_KEY_LENGTH = 128;
    static final int MAX_METADATA_VALUE_LENGTH = 1024;
    /** A name that is safe as a file name on the host: no slashes, no leading dot, no "..". */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public SandboxSpec {
        metadata = Map.copyOf(metadata);
    }

    /** Applies the defaults to the fields left out ({@code null}) and checks every field; 400 naming the field. */
    public static SandboxSpec of(
            String template, Integer vcpus, Integer memoryMb, Integer timeoutSec, Map<String, String> metadata) {
        String name = template == null ? DEFAULT_TEMPLATE : requireSafeName(template);
        int cpus = within("vcpus", vcpus, DEFAULT_VCPUS, 1, MAX_VCPUS);
        int memory = within("memory_mb", memoryMb, DEFAULT_MEMORY_MB, MIN_MEMORY_MB, MAX_MEMORY_MB);
        int timeout = within("timeout_sec", timeoutSec, 0, 0, MAX_TIMEOUT_SEC);
        return new SandboxSpec(name, cpus, memory, timeout, checkedMetadata(metadata));
    }

    /** The same request with the sizes a snapshot template was frozen with. */
    SandboxSpec withSizes(Integer templateVcpus, Integer templateMemoryMb) {
        return new SandboxSpec(
                template,
                templateVcpus == null ? vcpus : templateVcpus,
                templateMemoryMb == null ? memoryMb : templateMemoryMb,
                timeoutSec,
                metadata);
    }

    /** The name itself; 400 unless it is safe as a file name on the host. */
    public static String requireSafeName(String name) {
        if (!SAFE_NAME.matcher(name).matches() || name.contains("..")) {
            throw ApiException.invalid("invalid template name '" + name + "': use 1 to 64 letters, digits, '.', '_'"
                    + " or '-', starting with a letter or digit");
        }
        return name;
    }

    private static int within(String field, Integer value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw ApiException.invalid(field + " must be between " + min + " and " + max + " (got " + value + ")");
        }
        return value;
    }

    private static Map<String, String> checkedMetadata(Map<String, String> metadata) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw ApiException.invalid("metadata may have at most " + MAX_METADATA_ENTRIES + " entries");
        }
        metadata.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > MAX_METADATA_KEY_LENGTH) {
                throw ApiException.invalid(
                        "metadata keys must be 1 to " + MAX_METADATA_KEY_LENGTH + " characters long");
            }
            if (value == null) {
                throw ApiException.invalid("metadata '" + key + "' must be a string, not null");
            }
            if (value.length() > MAX_METADATA_VALUE_LENGTH) {
                throw ApiException.invalid(
                        "metadata '" + key + "' is longer than " + MAX_METADATA_VALUE_LENGTH + " characters");
            }
        });
        return metadata;
    }
}
