package dev.wrenn.control.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

class E2bSnapshotApiTest {

    @OnBothDatabases
    void aSnapshotKeepsTheSourceRunningIsListedBootsAndIsDeleted(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String source = create(f, "{\"templateID\":\"base\"}");
            f.agent.vm(source).files.put("/home/user/a.txt", "kept".getBytes(StandardCharsets.UTF_8));

            Reply made = f.server.post("/sandboxes/" + source + "/snapshots", "{\"name\":\"snap-one\"}", f.adaByKey());
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            String snapshotId = made.json().get("snapshotID").asText();
            assertThat(made.json().get("names").get(0).asText()).isEqualTo("snap-one");
            assertThat(f.server
                            .get("/sandboxes/" + source, f.adaByKey())
                            .json()
                            .get("state")
                            .asText())
                    .isEqualTo("running");

            assertThat(snapshotIds(f.server.get("/snapshots", f.adaByKey()))).containsExactly(snapshotId);
            assertThat(snapshotIds(f.server.get("/snapshots", f.bobByToken()))).isEmpty();
            assertThat(f.server
                            .get("/templates/aliases/" + snapshotId, f.adaByKey())
                            .status())
                    .isEqualTo(200);

            String clone = create(f, "{\"templateID\":\"" + snapshotId + "\"}");
            assertThat(f.agent.fileText(clone, "/home/user/a.txt")).isEqualTo("kept");

            f.server.delete("/sandboxes/" + clone, f.adaByKey());
            assertThat(f.server.delete("/templates/" + snapshotId, f.adaByKey()).status())
                    .isEqualTo(204);
            Reply again = f.server.delete("/templates/" + snapshotId, f.adaByKey());
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.json().get("code").asInt()).isEqualTo(404);
            assertThat(f.server
                            .get("/templates/aliases/" + snapshotId, f.adaByKey())
                            .status())
                    .isEqualTo(404);
        }
    }

    @OnBothDatabases
    void snapshottingAnUnknownSandboxIsA404Body(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            Reply reply = f.server.post("/sandboxes/sb-00000000/snapshots", "{}", f.adaByKey());

            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.json().get("code").asInt()).isEqualTo(404);
        }
    }

    private static String create(SandboxFixture f, String body) {
        Reply reply = f.server.post("/v2/sandboxes", body, f.adaByKey());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("sandboxID").asText();
    }

    private static List<String> snapshotIds(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.json().forEach(s -> ids.add(s.get("snapshotID").asText()));
        return ids;
    }
}
