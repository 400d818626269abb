package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.guest.http.auth.FileSignatures;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SignedUrlTest extends GuestServerFixture {
    private static final String TOKEN = "tok123";

    @BeforeEach
    void setToken() throws Exception {
        init("{\"accessToken\":\"" + TOKEN + "\"}");
        Files.writeString(userHome.resolve("a.txt"), "signed content");
    }

    @Test
    void theSignatureMatchesTheSdkFormula() {
        // sha256("a.txt:read::tok123"), base64 without padding, as the SDK computes it.
        assertThat(FileSignatures.sign("a.txt", "read", "", TOKEN, OptionalLong.empty()))
                .isEqualTo("v1_"
                        + java.util.Base64.getEncoder().withoutPadding().encodeToString(sha256("a.txt:read::tok123")));
        assertThat(FileSignatures.sign("a.txt", "write", "user", TOKEN, OptionalLong.of(1700000000)))
                .isEqualTo("v1_"
                        + java.util.Base64.getEncoder()
                                .withoutPadding()
                                .encodeToString(sha256("a.txt:write:user:tok123:1700000000")));
    }

    @Test
    void aValidSignedDownloadNeedsNoHeader() throws Exception {
        String signature = FileSignatures.sign("a.txt", "read", "", TOKEN, OptionalLong.empty());

        HttpResponse<String> response = get("/files?path=a.txt&signature=" + q(signature));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("signed content");
    }

    @Test
    void aSignatureWithAnExpirationInTheFutureIsAccepted() throws Exception {
        long expiration = Instant.now().getEpochSecond() + 3600;
        String signature = FileSignatures.sign("a.txt", "read", "user", TOKEN, OptionalLong.of(expiration));

        HttpResponse<String> response = get(
                "/files?path=a.txt&username=user&signature=" + q(signature) + "&signature_expiration=" + expiration);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredSignatureGetsTheExactExpiredBody() throws Exception {
        long expiration = Instant.now().getEpochSecond() - 60;
        String signature = FileSignatures.sign("a.txt", "read", "", TOKEN, OptionalLong.of(expiration));

        HttpResponse<String> response =
                get("/files?path=a.txt&signature=" + q(signature) + "&signature_expiration=" + expiration);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"code\":401,\"message\":\"signature is already expired\"}");
    }

    @Test
    void aSignatureForAnotherPathUserOrOperationIsRejected() throws Exception {
        String forOtherPath = FileSignatures.sign("b.txt", "read", "", TOKEN, OptionalLong.empty());
        String forOtherUser = FileSignatures.sign("a.txt", "read", "other", TOKEN, OptionalLong.empty());
        String forWrite = FileSignatures.sign("a.txt", "write", "", TOKEN, OptionalLong.empty());

        assertThat(get("/files?path=a.txt&signature=" + q(forOtherPath)).statusCode())
                .isEqualTo(401);
        assertThat(get("/files?path=a.txt&signature=" + q(forOtherUser)).statusCode())
                .isEqualTo(401);
        assertThat(get("/files?path=a.txt&signature=" + q(forWrite)).statusCode())
                .isEqualTo(401);
    }

    @Test
    void withoutSignatureOrHeaderFilesAre401() throws Exception {
        assertThat(get("/files?path=a.txt").statusCode()).isEqualTo(401);
        assertThat(post(
                                "/files?path=n.txt",
                                "x".getBytes(StandardCharsets.UTF_8),
                                "Content-Type",
                                "application/octet-stream")
                        .statusCode())
                .isEqualTo(401);
        assertThat(userHome.resolve("n.txt")).doesNotExist();
    }

    @Test
    void theHeaderAloneAuthorizesFiles() throws Exception {
        assertThat(get("/files?path=a.txt", "X-Access-Token", TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(get("/files?path=a.txt", "X-Access-Token", "wrong").statusCode())
                .isEqualTo(401);
    }

    @Test
    void aSignedUploadWritesTheFile() throws Exception {
        String signature = FileSignatures.sign("up.txt", "write", "", TOKEN, OptionalLong.empty());

        HttpResponse<String> response = post(
                "/files?path=up.txt&signature=" + q(signature),
                "uploaded".getBytes(StandardCharsets.UTF_8),
                "Content-Type",
                "application/octet-stream");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Files.readString(userHome.resolve("up.txt"))).isEqualTo("uploaded");
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
