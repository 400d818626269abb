package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wrenn.guest.EnvdVersion;
import dev.wrenn.guest.http.init.EntropySink;
import dev.wrenn.guest.http.init.LinuxSystemClock;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class InitTest extends GuestServerFixture {

    @Test
    void initAnswersNoContentWithTheEnvdVersion() throws Exception {
        HttpResponse<String> response = postJson("/init", "{}");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("X-Envd-Version")).hasValue(EnvdVersion.VALUE);
        assertThat(EnvdVersion.VALUE).isEqualTo("0.6.13");
    }

    @Test
    void envVarsBecomeVisibleOnEnvs() throws Exception {
        init("{\"envVars\":{\"FOO\":\"bar\",\"EQ\":\"a=b<c\"},\"somethingNew\":{\"x\":1}}");

        HttpResponse<String> response = get("/envs");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).contains("\"FOO\":\"bar\"", "\"EQ\":\"a=b<c\"");
    }

    @Test
    void theDefaultUserDecidesWhereRelativeUploadsLand() throws Exception {
        init("{\"defaultUser\":\"other\"}");

        post("/files?path=rel.txt", "x".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/octet-stream");

        assertThat(otherHome.resolve("rel.txt")).exists();
        assertThat(Files.getAttribute(otherHome.resolve("rel.txt"), "unix:uid")).isEqualTo(OTHER_UID);
        assertThat(userHome.resolve("rel.txt")).doesNotExist();
    }

    @Test
    void theDefaultWorkdirIsStored() throws Exception {
        init("{\"defaultWorkdir\":\"/srv/app\"}");

        assertThat(state.defaultWorkdir()).hasValue("/srv/app");
    }

    @Test
    void anUnknownDefaultUserIs400AndChangesNothing() throws Exception {
        HttpResponse<String> response = postJson("/init", "{\"defaultUser\":\"ghost\",\"envVars\":{\"A\":\"1\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"code\":400,").contains("ghost");
        assertThat(state.defaultUser()).isEqualTo("user");
        assertThat(state.envVars()).isEmpty();
    }

    @Test
    void malformedJsonIs400() throws Exception {
        HttpResponse<String> broken = postJson("/init", "{\"envVars\":");
        HttpResponse<String> notAnObject = postJson("/init", "[1,2]");
        HttpResponse<String> wrongType = postJson("/init", "{\"envVars\":\"FOO=bar\"}");

        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).startsWith("{\"code\":400,\"message\":\"malformed JSON");
        assertThat(notAnObject.statusCode()).isEqualTo(400);
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body()).contains("envVars");
    }

    @Test
    void aTimestampFarFromNowSetsTheClock() throws Exception {
        Instant hostTime = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

        init("{\"timestamp\":\"" + hostTime + "\"}");

        assertThat(clockSets).containsExactly(hostTime);
    }

    @Test
    void aTimestampCloseToNowLeavesTheClockAlone() throws Exception {
        init("{\"timestamp\":\"" + Instant.now() + "\"}");

        assertThat(clockSets).isEmpty();
    }

    @Test
    void aTimestampWithAnOffsetIsUnderstood() throws Exception {
        init("{\"timestamp\":\"2020-01-01T02:00:00+02:00\"}");

        assertThat(clockSets).containsExactly(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void anUnparseableTimestampIs400() throws Exception {
        assertThat(postJson("/init", "{\"timestamp\":\"yesterday\"}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void aRandomSeedReachesTheKernelsGenerator() throws Exception {
        init("{\"randomSeed\":\"AQIDBA==\"}");

        assertThat(seeds).singleElement().isEqualTo(new byte[] {1, 2, 3, 4});
    }

    @Test
    void aSeedThatIsNotBase64Is400AndReachesNothing() throws Exception {
        HttpResponse<String> response = postJson("/init", "{\"randomSeed\":\"not base64!\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("randomSeed is not base64");
        assertThat(seeds).isEmpty();
    }

    @Test
    void theRealGeneratorTakesASeed() throws Exception {
        // Mixing bytes into /dev/urandom is allowed to anyone; the re-key itself runs only as root.
        EntropySink.linux().reseed(new byte[] {9, 8, 7, 6, 5, 4, 3, 2});
    }

    @Test
    void theRealClockBindingKnowsWhetherItRunsAsRoot() {
        assertThat(LinuxSystemClock.runningAsRoot()).isEqualTo("root".equals(System.getProperty("user.name")));
    }
}
