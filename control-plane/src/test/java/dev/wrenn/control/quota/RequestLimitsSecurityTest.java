package dev.wrenn.control.quota;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.wrenn.control.db.Database;
import dev.wrenn.control.testing.OnBothDatabases;
import dev.wrenn.control.testing.SandboxFixture;
import dev.wrenn.control.testing.TestServer.Reply;
import dev.wrenn.protocol.hostagent.v1.ExecResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;

/**
 * Issue 12 item 8: a client cannot make the control plane hold what it sends or what a command prints. A JSON body
 * declared at 100 MiB is refused with 413 before it is sent (the server does not wait to buffer it), and exec output
 * is cut at 1 MiB per stream and marked truncated.
 */
@Tag("security")
class RequestLimitsSecurityTest {

    @OnBothDatabases
    void aHugeJsonBodyIsRefusedBeforeItIsRead(Database database) throws IOException {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            for (String path : new String[] {"/v1/sandboxes", "/v2/sandboxes"}) {
                String answer = sendOnlyTheStart(api, path);

                assertThat(answer).as(path).startsWith("HTTP/1.1 413");
            }
            assertThat(api.agent.vms).isEmpty();
        }
    }

    @OnBothDatabases
    void execOutputIsCappedAndMarkedTruncated(Database database) {
        try (SandboxFixture api = SandboxFixture.start(database)) {
            String id = api.createRunningForAda();
            byte[] endless = new byte[3 * 1024 * 1024];
            Arrays.fill(endless, (byte) 'y');
            api.agent.execHandler = request -> ExecResponse.newBuilder()
                    .setStdout(ByteString.copyFrom(endless))
                    .setStderr(ByteString.copyFromUtf8("short"))
                    .build();

            Reply reply = api.server.post("/v1/sandboxes/" + id + "/exec", "{\"cmd\":\"yes\"}", api.adaByKey());

            assertThat(reply.status()).as(reply.body().substring(0, 200)).isEqualTo(200);
            assertThat(reply.json().get("stdout").asText()).hasSize(1024 * 1024);
            assertThat(reply.json().get("stderr").asText()).isEqualTo("short");
            assertThat(reply.json().get("truncated").asBoolean()).isTrue();
        }
    }

    /** Headers announcing 100 MiB and 1 KiB of it; the answer must come without the rest. */
    private static String sendOnlyTheStart(SandboxFixture api, String path) throws IOException {
        var uri = api.server.uri(path);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + api.adaKey
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + (100L << 20) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(("{\"metadata\":{\"k\":\"" + "x".repeat(1024)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII);
        }
    }
}
