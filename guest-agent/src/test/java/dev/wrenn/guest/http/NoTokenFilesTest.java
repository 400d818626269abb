package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class NoTokenFilesTest extends GuestServerFixture {

    @Test
    void withoutATokenFilesNeedNoSignatureAndIgnoreABogusOne() throws Exception {
        Files.writeString(userHome.resolve("a.txt"), "open");

        assertThat(get("/files?path=a.txt").body()).isEqualTo("open");
        assertThat(get("/files?path=a.txt&signature=v1_bogus").body()).isEqualTo("open");
    }
}
