package dev.wrenn.guest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class FileDownloadTest extends GuestServerFixture {

    @Test
    void aFileIsStreamedAsOctetStreamWithItsName() throws Exception {
        Files.writeString(userHome.resolve("a.txt"), "hello");

        HttpResponse<String> response = get("/files?path=a.txt");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("inline; filename=a.txt");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(5);
    }

    @Test
    void anAbsolutePathAndAnExplicitUserAreHonoured() throws Exception {
        Path file = Files.writeString(otherHome.resolve("b.txt"), "other's");

        assertThat(get("/files?path=" + q(file.toString())).body()).isEqualTo("other's");
        assertThat(get("/files?path=b.txt&username=other").body()).isEqualTo("other's");
    }

    @Test
    void aLargeFileArrivesIntact() throws Exception {
        byte[] content = new byte[12 * 1024 * 1024 + 7];
        new Random(42).nextBytes(content);
        Files.write(userHome.resolve("big.bin"), content);

        HttpResponse<byte[]> response = getBytes("/files?path=big.bin");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(response.body()).isEqualTo(content);
    }

    @Test
    void aRangeSpanningSeveralMegabytesStartsAndEndsAtTheRightBytes() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(content);
        Files.write(userHome.resolve("big.bin"), content);
        int first = 1_000_001;
        int last = 4_500_000;

        HttpResponse<byte[]> response = getBytes("/files?path=big.bin", "Range", "bytes=" + first + "-" + last);

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, first, last + 1));
    }

    @Test
    void aLargeFileSurvivesAGzipRoundTrip() throws Exception {
        byte[] content =
                ("line of text " + "x".repeat(50) + "\n").repeat(100_000).getBytes(StandardCharsets.UTF_8);
        Files.write(userHome.resolve("big.txt"), content);

        HttpResponse<byte[]> response = getBytes("/files?path=big.txt", "Accept-Encoding", "gzip");

        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (var gunzip = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(gunzip.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void anEmptyFileHasContentLengthZero() throws Exception {
        Files.createFile(userHome.resolve("empty"));

        HttpResponse<String> response = get("/files?path=empty");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(0);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aSingleRangeIsServedAsPartialContent() throws Exception {
        Files.writeString(userHome.resolve("r.txt"), "0123456789");

        HttpResponse<String> middle = get("/files?path=r.txt", "Range", "bytes=2-5");
        HttpResponse<String> open = get("/files?path=r.txt", "Range", "bytes=7-");
        HttpResponse<String> suffix = get("/files?path=r.txt", "Range", "bytes=-3");

        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo("2345");
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 2-5/10");
        assertThat(open.body()).isEqualTo("789");
        assertThat(suffix.body()).isEqualTo("789");
        assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes 7-9/10");
    }

    @Test
    void aRangeBeyondTheEndIs416() throws Exception {
        Files.writeString(userHome.resolve("r.txt"), "0123456789");

        HttpResponse<String> response = get("/files?path=r.txt", "Range", "bytes=10-20");

        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */10");
        assertThat(response.body()).startsWith("{\"code\":416,");
    }

    @Test
    void gzipIsUsedWhenAccepted() throws Exception {
        String text = "compress me ".repeat(1000);
        Files.writeString(userHome.resolve("z.txt"), text);

        HttpResponse<byte[]> response = getBytes("/files?path=z.txt", "Accept-Encoding", "gzip");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.body().length).isLessThan(text.length());
        try (var gunzip = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(new String(gunzip.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(text);
        }
    }

    @Test
    void noAcceptableEncodingIs406() throws Exception {
        Files.writeString(userHome.resolve("z.txt"), "x");

        HttpResponse<String> response = get("/files?path=z.txt", "Accept-Encoding", "br, identity;q=0");

        assertThat(response.statusCode()).isEqualTo(406);
    }

    @Test
    void aMissingFileIs404() throws Exception {
        HttpResponse<String> response = get("/files?path=missing.txt");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).startsWith("{\"code\":404,\"message\":").contains("missing.txt");
    }

    @Test
    void aDirectoryIs400() throws Exception {
        HttpResponse<String> response = get("/files?path=" + q(userHome.toString()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"code\":400,").contains("directory");
    }

    @Test
    void anUnknownUserIs401() throws Exception {
        Files.writeString(userHome.resolve("a.txt"), "hello");

        HttpResponse<String> response = get("/files?path=a.txt&username=ghost");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("ghost");
    }

    @Test
    void aNonAsciiNameIsEncodedInContentDisposition() throws Exception {
        Files.writeString(userHome.resolve("résumé.txt"), "cv");

        HttpResponse<String> response = get("/files?path=" + q("résumé.txt"));

        assertThat(response.body()).isEqualTo("cv");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("inline; filename*=utf-8''r%C3%A9sum%C3%A9.txt");
    }
}
