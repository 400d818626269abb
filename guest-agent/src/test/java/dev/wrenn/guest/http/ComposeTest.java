package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ComposeTest extends GuestServerFixture {

    @Test
    void sourcesAreConcatenatedIntoTheDestinationAndRemoved() throws Exception {
        Files.writeString(userHome.resolve("p1"), "hello ");
        Files.writeString(userHome.resolve("p2"), "world");

        HttpResponse<String> response =
                postJson("/files/compose", "{\"source_paths\":[\"p1\",\"p2\"],\"destination\":\"out/joined.txt\"}");

        Path joined = userHome.resolve("out/joined.txt");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Files.readString(joined)).isEqualTo("hello world");
        assertThat(Files.getAttribute(joined, "unix:uid")).isEqualTo(USER_UID);
        assertThat(userHome.resolve("p1")).doesNotExist();
        assertThat(userHome.resolve("p2")).doesNotExist();
        assertThat(response.body())
                .contains("\"name\": \"joined.txt\"", "\"path\": \"" + joined + "\"", "\"type\": \"FILE_TYPE_FILE\"");
    }

    @Test
    void anExistingDestinationIsReplaced() throws Exception {
        Files.writeString(userHome.resolve("p1"), "new");
        Files.writeString(userHome.resolve("dest"), "old and longer");

        postJson("/files/compose", "{\"source_paths\":[\"p1\"],\"destination\":\"dest\"}");

        assertThat(Files.readString(userHome.resolve("dest"))).isEqualTo("new");
    }

    @Test
    void invalidComposeRequestsAreRejected() throws Exception {
        Files.writeString(userHome.resolve("p1"), "x");

        assertThat(postJson("/files/compose", "{\"source_paths\":[],\"destination\":\"d\"}")
                        .statusCode())
                .as("no sources")
                .isEqualTo(400);
        assertThat(postJson("/files/compose", "{\"source_paths\":[\"p1\"]}").statusCode())
                .as("no destination")
                .isEqualTo(400);
        assertThat(postJson("/files/compose", "{\"source_paths\":[\"missing\"],\"destination\":\"d\"}")
                        .statusCode())
                .as("missing source")
                .isEqualTo(404);
        assertThat(postJson("/files/compose", "{\"source_paths\":[\"p1\"],\"destination\":\"p1\"}")
                        .statusCode())
                .as("source is destination")
                .isEqualTo(400);
        assertThat(postJson(
                                "/files/compose",
                                "{\"source_paths\":[\"p1\"],\"destination\":\"d\",\"username\":\"ghost\"}")
                        .statusCode())
                .as("unknown user")
                .isEqualTo(401);
        assertThat(userHome.resolve("p1")).exists();
    }

    @Test
    void composeNeedsTheAccessToken() throws Exception {
        init("{\"accessToken\":\"secret\"}");
        Files.writeString(userHome.resolve("p1"), "x");

        assertThat(postJson("/files/compose", "{\"source_paths\":[\"p1\"],\"destination\":\"d\"}")
                        .statusCode())
                .isEqualTo(401);
    }
}
