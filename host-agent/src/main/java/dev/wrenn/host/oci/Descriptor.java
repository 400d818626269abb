package dev.wrenn.host.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;

/** A content descriptor of a manifest: what a blob is, its digest and its exact size (both checked on download). */
public record Descriptor(String mediaType, String digest, long size) {
    static Descriptor of(JsonNode node, String what) {
        String digest = node.path("digest").asText("");
        long size = node.path("size").asLong(-1);
        if (!ImageReference.DIGEST.matcher(digest).matches() || size < 0) {
            throw new HostAgentException(
                    ErrorCode.FAILED_PRECONDITION,
                    "the registry's manifest has a %s without a sha256 digest and size".formatted(what));
        }
        return new Descriptor(node.path("mediaType").asText(""), digest, size);
    }

    String hex() {
        return digest.substring("sha256:".length());
    }
}
