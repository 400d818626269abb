package dev.wrenn.host.oci;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Docker-style image reference, read as Docker reads one: {@code python:3.12} is {@code library/python} on Docker
 * Hub ({@code docker.io}); a first component with a dot or a colon, or {@code localhost}, names the registry; the
 * tag defaults to {@code latest}; {@code @sha256:...} pins the manifest (and wins over a tag).
 */
public record ImageReference(String registry, String repository, String tag, Optional<String> digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern REGISTRY =
            Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+](?::[0-9]{1,5})?");
    static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    public static ImageReference parse(String text) {
        if (text == null
                || text.isBlank()
                || text.length() > 512
                || !text.strip().equals(text)) {
            throw invalid(text, "an image reference is 1 to 512 characters without surrounding spaces");
        }
        String rest = text;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            String d = rest.substring(at + 1);
            if (!DIGEST.matcher(d).matches()) {
                throw invalid(text, "the digest after @ must be sha256: and 64 lowercase hex digits");
            }
            digest = Optional.of(d);
            rest = rest.substring(0, at);
        }
        String tag = "latest";
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "tag `" + tag + "` is not a valid tag");
            }
        }
        String registry = DOCKER_HUB;
        int first = rest.indexOf('/');
        if (first > 0) {
            String head = rest.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
                if (!REGISTRY.matcher(head).matches()) {
                    throw invalid(text, "registry `" + head + "` is not a host name with an optional port");
                }
                registry = head;
                rest = rest.substring(first + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(
                        text, "repository `" + rest + "` must be lowercase letters, digits and . _ - separated by /");
            }
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** What the manifest is fetched by: the digest when pinned, else the tag. */
    public String manifestReference() {
        return digest.orElse(tag);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + digest.map(d -> "@" + d).orElse(":" + tag);
    }

    private static HostAgentException invalid(String text, String why) {
        return new HostAgentException(
                ErrorCode.INVALID_ARGUMENT, "image `%s` is not a valid image reference: %s".formatted(text, why));
    }
}
