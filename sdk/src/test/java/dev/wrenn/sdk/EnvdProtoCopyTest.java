package dev.wrenn.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SDK compiles its own copy of envd's .proto files (its own Java package, so it needs nothing of the server
 * side). The copy must say the same as the server's files: only the leading comment and {@code java_package} differ.
 */
class EnvdProtoCopyTest {
    private static final Path SERVER = Path.of("../protocol/src/main/proto/envd");
    private static final Path COPY = Path.of("src/main/proto/envd");

    @Test
    void theSdksEnvdProtosMatchTheServersButForTheirJavaPackage() throws IOException {
        for (String file : List.of("filesystem.proto", "process.proto")) {
            assertThat(wire(COPY.resolve(file))).as(file).isEqualTo(wire(SERVER.resolve(file)));
        }
    }

    /** A file's lines without comments and the java_package option: what defines the wire. */
    private static List<String> wire(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .filter(line -> !line.startsWith("//") && !line.startsWith("option java_package"))
                .toList();
    }
}
