package dev.wrenn.control.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.error.ApiException;
import dev.wrenn.control.error.ErrorCode;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import java.time.Instant;
import java.util.Base64;

class ExecApiTest {

    @OnBothDatabases
    void aCommandsOutputAndExitCodeAreAnsweredAsText(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();

            Reply reply = api.server.post(
                    "/v1/sandboxes/" + id + "/exec",
                    "{\"cmd\":\"echo\",\"args\":[\"hello\",\"wörld\"],\"timeout_sec\":5}",
                    api.adaByToken());

            assertThat(reply.status()).isEqualTo(200);
            JsonNode result = reply.json();
            assertThat(result.get("sandbox_id").asText()).isEqualTo(id);
            assertThat(result.get("cmd").asText()).isEqualTo("echo");
            assertThat(result.get("stdout").asText()).isEqualTo("hello wörld\n");
            assertThat(result.get("stderr").asText()).isEmpty();
            assertThat(result.get("exit_code").asInt()).isZero();
            assertThat(result.get("duration_ms").isIntegralNumber()).isTrue();
            assertThat(result.get("encoding").asText()).isEqualTo("utf-8");
            assertThat(api.agent.execs.getFirst().getTimeoutSec()).isEqualTo(5);

            JsonNode failed = api.server
                    .post("/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"nope\"}", api.adaByKey())
                    .json();
            assertThat(failed.get("exit_code").asInt()).isEqualTo(127);
            assertThat(failed.get("stderr").asText()).isEqualTo("nope: not found\n");
        }
    }

    @OnBothDatabases
    void outputThatIsNotUtf8IsAnsweredInBase64ForBothStreams(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();

            JsonNode result = api.server
                    .post("/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"binary\"}", api.adaByKey())
                    .json();

            assertThat(result.get("encoding").asText()).isEqualTo("base64");
            assertThat(Base64.getDecoder().decode(result.get("stdout").asText()))
                    .containsExactly(0xff, 0xfe, 0x00, 0x41);
            assertThat(Base64.getDecoder().decode(result.get("stderr").asText()))
                    .containsExactly('o', 'k');
        }
    }

    @OnBothDatabases
    void checksComeInTheOriginalsOrderNotFoundThenStateThenBody(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            String stopped = api.createRunningForAda();
            api.server.delete("/v1/sandboxes/" + stopped, api.adaByKey());

            Reply missing = api.server.post("/v1/sandboxes/sb-00000000/exec", "not json", api.adaByKey());
            Reply notRunning = api.server.post("/v1/sandboxes/" + stopped + "/exec", "not json", api.adaByKey());
            Reply badJson = api.server.post("/v1/sandboxes/" + id + "/exec", "not json", api.adaByKey());
            Reply noCmd = api.server.post("/v1/sandboxes/" + id + "/exec", "{\"args\":[\"x\"]}", api.adaByKey());
            Reply badArgs = api.server.post(
                    "/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"echo\",\"args\":\"x\"}", api.adaByKey());
            Reply badTimeout = api.server.post(
                    "/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"echo\",\"timeout_sec\":-1}", api.adaByKey());

            assertThat(missing.status()).isEqualTo(404);
            assertThat(notRunning.status()).isEqualTo(409);
            assertThat(notRunning.errorCode()).isEqualTo("invalid_state");
            assertThat(badJson.status()).isEqualTo(400);
            assertThat(badJson.errorMessage()).startsWith("invalid JSON body");
            assertThat(noCmd.status()).isEqualTo(400);
            assertThat(noCmd.errorMessage()).isEqualTo("cmd is required");
            assertThat(badArgs.status()).isEqualTo(400);
            assertThat(badArgs.errorMessage()).contains("'args' must be an array");
            assertThat(badTimeout.status()).isEqualTo(400);
            assertThat(api.agent.execs).isEmpty();
        }
    }

    @OnBothDatabases
    void anExecRecordsActivityAndAnAgentFailureIsABadGateway(Database database) throws Exception {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            Instant before = Instant.parse(api.get(id).get("last_active_at").asText());
            Thread.sleep(5);

            api.server.post("/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"echo\"}", api.adaByKey());
            assertThat(Instant.parse(api.get(id).get("last_active_at").asText()))
                    .isAfter(before);

            api.agent.execHandler = request -> {
                throw new ApiException(ErrorCode.AGENT_ERROR, "Exec sandbox " + id + ": guest agent unreachable");
            };
            Reply failed = api.server.post("/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"echo\"}", api.adaByKey());
            assertThat(failed.status()).isEqualTo(502);
            assertThat(failed.errorCode()).isEqualTo("agent_error");
            assertThat(failed.errorMessage()).contains("guest agent unreachable");
        }
    }
}
