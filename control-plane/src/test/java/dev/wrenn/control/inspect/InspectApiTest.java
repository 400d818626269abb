package dev.wrenn.control.inspect;

import static dev.wrenn.control.testing.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.db.SandboxStatus;
import dev.wrenn.control.testing.ConsoleHostAgent;
import dev.wrenn.control.testing.ConsoleServer;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.TestServer.Reply;
import dev.wrenn.protocol.hostagent.v1.DirEntry;
import dev.wrenn.protocol.hostagent.v1.EntryType;
import dev.wrenn.protocol.hostagent.v1.GetMetricsResponse;
import dev.wrenn.protocol.hostagent.v1.ListDirResponse;

class InspectApiTest {
    private static final long MODIFIED_MS = 1_767_225_600_123L; // 2026-01-01T00:00:00.123Z

    @OnBothDatabases
    void aListingShowsEachEntryWithItsTypeSizeAndTime(Database database) {
        ConsoleHostAgent agent = new ConsoleHostAgent();
        agent.listing = ListDirResponse.newBuilder()
                .addEntries(entry("notes.txt", EntryType.ENTRY_TYPE_FILE, 12))
                .addEntries(entry("src", EntryType.ENTRY_TYPE_DIRECTORY, 4096))
                .addEntries(entry("latest", EntryType.ENTRY_TYPE_SYMLINK, 9))
                .build();
        try (ConsoleServer server = ConsoleServer.start(database, agent)) {
            JsonNode ada = server.signup("ada@example.com");
            server.sandbox(ada.get("team_id").asText(), "sb-00000001", SandboxStatus.RUNNING);

            Reply reply = server.get(
                    "/v1/sandboxes/sb-00000001/files/list?path=/home/user&depth=1", "Authorization", bearer(ada));

            assertThat(reply.status()).isEqualTo(200);
            JsonNode entries = reply.json().get("entries");
            assertThat(entries).hasSize(3);
            assertThat(entries.get(0).toString())
                    .isEqualTo(
                            "{\"name\":\"notes.txt\",\"path\":\"/home/user/notes.txt\",\"type\":\"file\",\"size\":12,"
                                    + "\"permissions\":\"-rw-r--r--\",\"modified_time\":\"2026-01-01T00:00:00.123Z\"}");
            assertThat(entries.get(1).get("type").asText()).isEqualTo("dir");
            assertThat(entries.get(2).get("type").asText()).isEqualTo("symlink");
            assertThat(agent.listRequests.getFirst().getPath()).isEqualTo("/home/user");
            assertThat(agent.listRequests.getFirst().getDepth()).isEqualTo(1);
        }
    }

    @OnBothDatabases
    void aListingWithoutDepthListsOneLevelAndABadDepthIsRefused(Database database) {
        ConsoleHostAgent agent = new ConsoleHostAgent();
        try (ConsoleServer server = ConsoleServer.start(database, agent)) {
            JsonNode ada = server.signup("ada@example.com");
            server.sandbox(ada.get("team_id").asText(), "sb-00000001", SandboxStatus.RUNNING);

            assertThat(server.get("/v1/sandboxes/sb-00000001/files/list?path=/tmp", "Authorization", bearer(ada))
                            .status())
                    .isEqualTo(200);
            Reply bad = server.get("/v1/sandboxes/sb-00000001/files/list?depth=zero", "Authorization", bearer(ada));

            assertThat(agent.listRequests.getFirst().getDepth()).isEqualTo(1);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.errorMessage()).isEqualTo("depth must be a whole number from 1 to 10 (got 'zero')");
        }
    }

    @OnBothDatabases
    void anotherTeamsSandboxIsNotFoundAndAPausedOneIsAConflict(Database database) {
        try (ConsoleServer server = ConsoleServer.start(database, new ConsoleHostAgent())) {
            JsonNode ada = server.signup("ada@example.com");
            JsonNode bob = server.signup("bob@example.com");
            server.sandbox(bob.get("team_id").asText(), "sb-0000000b", SandboxStatus.RUNNING);
            server.sandbox(ada.get("team_id").asText(), "sb-0000000a", SandboxStatus.PAUSED);

            Reply foreign = server.get("/v1/sandboxes/sb-0000000b/files/list", "Authorization", bearer(ada));
            Reply paused = server.get("/v1/sandboxes/sb-0000000a/metrics", "Authorization", bearer(ada));

            assertThat(foreign.status()).isEqualTo(404);
            assertThat(foreign.errorMessage()).isEqualTo("sandbox sb-0000000b not found");
            assertThat(paused.status()).isEqualTo(409);
            assertThat(paused.errorCode()).isEqualTo("invalid_state");
            assertThat(paused.errorMessage()).isEqualTo("sandbox sb-0000000a is not running (status: paused)");
        }
    }

    @OnBothDatabases
    void bothRoutesNeedCredentials(Database database) {
        try (ConsoleServer server = ConsoleServer.start(database, new ConsoleHostAgent())) {
            assertThat(server.get("/v1/sandboxes/sb-00000001/files/list").status())
                    .isEqualTo(401);
            assertThat(server.get("/v1/sandboxes/sb-00000001/metrics").status()).isEqualTo(401);
        }
    }

    @OnBothDatabases
    void metricsAreOneSampleWithMemoryInBytes(Database database) {
        ConsoleHostAgent agent = new ConsoleHostAgent();
        agent.metrics = GetMetricsResponse.newBuilder()
                .setTimestampUnixMs(MODIFIED_MS)
                .setCpuCount(2)
                .setCpuUsedPct(12.5)
                .setMemUsedBytes(100L << 20)
                .setMemTotalBytes(512L << 20)
                .build();
        try (ConsoleServer server = ConsoleServer.start(database, agent)) {
            JsonNode ada = server.signup("ada@example.com");
            server.sandbox(ada.get("team_id").asText(), "sb-00000001", SandboxStatus.RUNNING);

            Reply reply = server.get("/v1/sandboxes/sb-00000001/metrics", "Authorization", bearer(ada));

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().toString())
                    .isEqualTo("[{\"timestamp\":\"2026-01-01T00:00:00.123Z\",\"cpu_count\":2,\"cpu_used_pct\":12.5,"
                            + "\"mem_used\":104857600,\"mem_total\":536870912}]");
        }
    }

    private static DirEntry entry(String name, EntryType type, long size) {
        return DirEntry.newBuilder()
                .setName(name)
                .setPath("/home/user/" + name)
                .setType(type)
                .setSize(size)
                .setPermissions(type == EntryType.ENTRY_TYPE_DIRECTORY ? "drwxr-xr-x" : "-rw-r--r--")
                .setModifiedUnixMs(MODIFIED_MS)
                .build();
    }
}
