package dev.wrenn.host.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import dev.wrenn.host.sys.Command;
import java.nio.file.Path;

/** A typed client over {@code qemu-img}: copy-on-write overlays over read-only base images. */
public final class QemuImg {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Creates a qcow2 overlay whose reads fall through to {@code base} and whose writes stay in the overlay, so
     * the base image is never modified and can be shared by every sandbox.
     */
    public void createOverlay(Path base, String baseFormat, Path overlay) {
        Command.of(
                        "qemu-img",
                        "create",
                        "-q",
                        "-f",
                        "qcow2",
                        "-b",
                        base.toAbsolutePath().toString(),
                        "-F",
                        baseFormat,
                        overlay.toString())
                .run();
    }

    public ImageInfo info(Path image) {
        // -U: the image may be open in a running VM, which holds a write lock on it.
        String json = Command.of("qemu-img", "info", "-U", "--output=json", image.toString())
                .run()
                .stdout();
        try {
            JsonNode node = JSON.readTree(json);
            return new ImageInfo(
                    node.path("format").asText(),
                    node.path("virtual-size").asLong(),
                    node.hasNonNull("backing-filename")
                            ? node.get("backing-filename").asText()
                            : null,
                    node.hasNonNull("backing-filename-format")
                            ? node.get("backing-filename-format").asText()
                            : null);
        } catch (JsonProcessingException e) {
            throw new HostAgentException(ErrorCode.INTERNAL, "parsing `qemu-img info` of " + image, e);
        }
    }
}
