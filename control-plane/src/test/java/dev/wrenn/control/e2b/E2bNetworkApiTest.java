package dev.wrenn.control.e2b;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import dev.wrenn.protocol.hostagent.v1.EgressRules;

/**
 * E2B's network fields over the API (the host agent a test double that records the rules; RealEgressTest and the
 * e2b-api-compat tier enforce them on real VMs): what create, PUT and resume hand the host, what GET shows, and the
 * 400s for bad or unimplemented input.
 */
class E2bNetworkApiTest {

    @OnBothDatabases
    void createHandsTheHostTheRulesAndGetShowsThem(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = create(
                    f,
                    "{\"templateID\":\"base\",\"allow_internet_access\":false,"
                            + "\"network\":{\"allowOut\":[\"8.8.8.8\",\"1.1.0.0/16\"],\"denyOut\":[\"9.9.9.9\"]}}");

            EgressRules sent = f.agent.vm(id).request.getEgress();
            assertThat(sent.hasAllowInternet()).isTrue();
            assertThat(sent.getAllowInternet()).isFalse();
            assertThat(sent.getAllowOutList()).containsExactly("8.8.8.8", "1.1.0.0/16");
            assertThat(sent.getDenyOutList()).containsExactly("9.9.9.9");
            JsonNode info = f.server.get("/sandboxes/" + id, f.adaByKey()).json();
            assertThat(info.get("allowInternetAccess").asBoolean(true)).isFalse();
            assertThat(info.get("network").get("allowOut").toString()).isEqualTo("[\"8.8.8.8\",\"1.1.0.0/16\"]");
            assertThat(info.get("network").get("denyOut").toString()).isEqualTo("[\"9.9.9.9\"]");
        }
    }

    @OnBothDatabases
    void aSandboxThatSaysNothingLeavesItToTheOperator(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = create(f, "{\"templateID\":\"base\"}");

            assertThat(f.agent.vm(id).request.hasEgress()).isFalse();
            JsonNode info = f.server.get("/sandboxes/" + id, f.adaByKey()).json();
            assertThat(info.has("allowInternetAccess")).isFalse();
            assertThat(info.has("network")).isFalse();
        }
    }

    @OnBothDatabases
    void putReplacesEveryRuleAndResumeHandsTheStoredOnesBack(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            String id = create(f, "{\"templateID\":\"base\",\"network\":{\"denyOut\":[\"9.9.9.9\"]}}");

            Reply put =
                    f.server.send("PUT", "/sandboxes/" + id + "/network", "{\"allowOut\":[\"1.2.3.4\"]}", f.adaByKey());

            assertThat(put.status()).as(put.body()).isEqualTo(204);
            EgressRules now = f.agent.vm(id).egress;
            assertThat(now.getAllowOutList()).containsExactly("1.2.3.4");
            assertThat(now.getDenyOutList()).as("omitted: cleared").isEmpty();
            assertThat(now.hasAllowInternet()).isFalse();

            assertThat(f.server
                            .post("/sandboxes/" + id + "/pause", "{}", f.adaByKey())
                            .status())
                    .isEqualTo(204);
            f.agent.vm(id).egress = EgressRules.getDefaultInstance(); // as a restarted agent would have forgotten
            assertThat(f.server
                            .post("/sandboxes/" + id + "/connect", "{}", f.adaByKey())
                            .status())
                    .isEqualTo(201);
            assertThat(f.agent.vm(id).egress.getAllowOutList()).containsExactly("1.2.3.4");
            assertThat(f.server
                            .get("/sandboxes/" + id, f.adaByKey())
                            .json()
                            .get("network")
                            .get("allowOut")
                            .get(0)
                            .asText())
                    .isEqualTo("1.2.3.4");
        }
    }

    @OnBothDatabases
    void badEntriesAre400sNamingTheField(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            assertRefused(f, "{\"network\":{\"allowOut\":[\"8.8.8.8\",\"999.1.1.1\"]}}", "network.allowOut[1]");
            assertRefused(f, "{\"network\":{\"denyOut\":[\"10.0.0.0/33\"]}}", "network.denyOut[0]");
            assertRefused(f, "{\"network\":{\"denyOut\":[\"example.com\"]}}", "domain names are not allowed here");
            assertRefused(f, "{\"network\":{\"allowOut\":[\"::1\"]}}", "IPv6 is not supported");
            assertRefused(f, "{\"network\":{\"allowOut\":\"8.8.8.8\"}}", "'network.allowOut' must be an array");
            assertRefused(f, "{\"allow_internet_access\":\"yes\"}", "'allow_internet_access' must be true or false");
            String id = create(f, "{\"templateID\":\"base\"}");
            Reply put = f.server.send("PUT", "/sandboxes/" + id + "/network", "{\"denyOut\":[\"x\"]}", f.adaByKey());
            assertThat(put.status()).isEqualTo(400);
            assertThat(put.json().get("message").asText()).contains("denyOut[0]");
        }
    }

    @OnBothDatabases
    void unimplementedFieldsAre400sThatSaySoNotSilentlyIgnored(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            assertRefused(
                    f, "{\"volumeMounts\":[{\"name\":\"v\",\"path\":\"/data\"}]}", "'volumeMounts' (volume mounts)");
            assertRefused(f, "{\"mcp\":{\"x\":{}}}", "'mcp' (MCP gateways)");
            assertRefused(f, "{\"iam\":{\"tokens\":{}}}", "'iam'");
            assertRefused(f, "{\"network\":{\"egressProxy\":{\"address\":\"p:1080\"}}}", "'network.egressProxy'");
            assertRefused(f, "{\"network\":{\"rules\":{}}}", "'network.rules'");
            assertRefused(f, "{\"network\":{\"allowPublicTraffic\":false}}", "'network.allowPublicTraffic'");
            assertRefused(
                    f,
                    "{\"network\":{\"allowOut\":[\"*.example.com\"],\"denyOut\":[\"0.0.0.0/0\"]}}",
                    "domain names are not supported by this server yet");
            assertRefused(f, "{\"autoResume\":{\"enabled\":true}}", "'autoResume'");
            assertThat(f.agent.vms).as("nothing was booted").isEmpty();
        }
    }

    @OnBothDatabases
    void v1HasTheSameFieldsInItsOwnSpelling(Database database) {
        try (SandboxFixture f = SandboxFixture.start(database)) {
            Reply created = f.server.post(
                    "/v1/sandboxes",
                    "{\"allow_internet_access\":true,\"network\":{\"deny_out\":[\"9.9.9.0/24\"]}}",
                    f.adaByKey());
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("id").asText();
            assertThat(f.agent.vm(id).request.getEgress().getDenyOutList()).containsExactly("9.9.9.0/24");

            Reply put = f.server.send(
                    "PUT", "/v1/sandboxes/" + id + "/network", "{\"allow_out\":[\"1.2.3.4\"]}", f.adaByKey());
            assertThat(put.status()).as(put.body()).isEqualTo(200);
            JsonNode shown = f.get(id);
            assertThat(shown.get("network").get("allow_out").get(0).asText()).isEqualTo("1.2.3.4");
            assertThat(shown.get("network").get("deny_out"))
                    .as("replaced: cleared")
                    .isEmpty();
            assertThat(shown.has("allow_internet_access")).isFalse();

            Reply bad = f.server.send(
                    "PUT", "/v1/sandboxes/" + id + "/network", "{\"allow_out\":[\"1.2.3\"]}", f.adaByKey());
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("allow_out[0]");
        }
    }

    private static void assertRefused(SandboxFixture f, String body, String message) {
        Reply reply = f.server.post("/v2/sandboxes", body, f.adaByKey());
        assertThat(reply.status()).as(body + " → " + reply.body()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).contains(message);
    }

    private static String create(SandboxFixture f, String body) {
        Reply reply = f.server.post("/v2/sandboxes", body, f.adaByKey());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("sandboxID").asText();
    }
}
