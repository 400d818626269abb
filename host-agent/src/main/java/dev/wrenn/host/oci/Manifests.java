package dev.wrenn.host.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads manifests: an OCI image index or a Docker manifest list (the linux/amd64 entry is taken), an OCI image
 * manifest or a Docker v2 schema 2 manifest (config and layers). Schema 1 manifests (signed, deprecated since 2019)
 * are refused by name.
 */
final class Manifests {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String ACCEPT = String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);
    static final int MAX_LAYERS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {}

    /** An image manifest: its config blob and its layers, bottom first. */
    record Image(Descriptor config, List<Descriptor> layers) {}

    static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(byte[] body, String what) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IOException("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION, "%s is not valid JSON: %s".formatted(what, e.getMessage()), e);
        }
    }

    /** The media type: the body's own field, else the response's Content-Type. */
    static String mediaType(JsonNode manifest, String contentType) {
        String own = manifest.path("mediaType").asText("");
        if (!own.isEmpty()) {
            return own;
        }
        if (manifest.has("manifests")) {
            return OCI_INDEX;
        }
        if (manifest.path("schemaVersion").asInt() == 1) {
            return "schema1";
        }
        return contentType.isEmpty() ? OCI_MANIFEST : contentType.split(";")[0].strip();
    }

    static boolean isIndex(String mediaType) {
        return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST);
    }

    /** The linux/amd64 manifest of an index; fails listing the platforms it has. */
    static Descriptor pickAmd64(JsonNode index, String image) {
        List<String> seen = new ArrayList<>();
        for (JsonNode entry : index.path("manifests")) {
            JsonNode platform = entry.path("platform");
            String os = platform.path("os").asText("");
            String arch = platform.path("architecture").asText("");
            if (os.equals("linux") && arch.equals("amd64")) {
                return Descriptor.of(entry, "manifest entry");
            }
            if (!os.isEmpty() && !os.equals("unknown")) { // attestation entries say unknown/unknown
                seen.add(os + "/" + arch
                        + (platform.has("variant")
                                ? "/" + platform.path("variant").asText()
                                : ""));
            }
        }
        throw new HostAgentException(
                ErrorCode.FAILED_PRECONDITION,
                "image %s has no linux/amd64 variant (it has: %s); Wrenn's sandboxes are amd64"
                        .formatted(image, seen.isEmpty() ? "none" : String.join(", ", seen)));
    }

    static Image image(JsonNode manifest, String mediaType, String image) {
        if (mediaType.equals("schema1") || mediaType.startsWith("application/vnd.docker.distribution.manifest.v1+")) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "image %s has a Docker schema 1 manifest, which is not supported; push it again with a current tool"
                            .formatted(image));
        }
        if (!mediaType.equals(OCI_MANIFEST) && !mediaType.equals(DOCKER_MANIFEST)) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "image %s: unsupported manifest type `%s`".formatted(image, mediaType));
        }
        Descriptor config = Descriptor.of(manifest.path("config"), "config");
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            layers.add(Descriptor.of(layer, "layer"));
        }
        if (layers.isEmpty() || layers.size() > MAX_LAYERS) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "image %s has %d layers; 1 to %d are accepted".formatted(image, layers.size(), MAX_LAYERS));
        }
        return new Image(config, layers);
    }
}
