package dev.wrenn.guest.http.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
    private static final String B = "xYz";

    @Test
    void partsAreReadWithNamesFileNamesAndBodies() throws Exception {
        String body = "--xYz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/0/a b.txt\"\r\n\r\n"
                + "first\r\n--xYz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rel/\\\"q\\\".txt\"\r\n\r\n"
                + "second\r\nline\r\n--xYz--\r\n";

        List<String[]> parts = readAll(new ByteArrayInputStream(bytes(body)));

        assertThat(parts).hasSize(2);
        assertThat(parts.get(0)).containsExactly("file", "/0/a b.txt", "first");
        assertThat(parts.get(1)).containsExactly("file", "rel/\"q\".txt", "second\r\nline");
    }

    @Test
    void aPreambleAndAnEpilogueAreIgnored() throws Exception {
        String body = "preamble text\r\n--xYz\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n"
                + "data\r\n--xYz--\r\nepilogue";

        List<String[]> parts = readAll(new ByteArrayInputStream(bytes(body)));

        assertThat(parts).hasSize(1);
        assertThat(parts.get(0)[2]).isEqualTo("data");
    }

    @Test
    void boundariesSplitAcrossTinyReadsAreFound() throws Exception {
        byte[] content = new byte[200_000];
        new Random(1).nextBytes(content);
        byte[] body = new MultipartBody()
                .file("r.bin", content)
                .file("s.bin", bytes("tail"))
                .build();
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        };

        MultipartReader reader = new MultipartReader(trickle, MultipartBody.BOUNDARY);
        MultipartReader.Part first = reader.next().orElseThrow();
        byte[] firstBody = first.body().readAllBytes();
        MultipartReader.Part second = reader.next().orElseThrow();

        assertThat(firstBody).isEqualTo(content);
        assertThat(second.fileName()).hasValue("s.bin");
        assertThat(second.body().readAllBytes()).isEqualTo(bytes("tail"));
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void contentFullOfAlmostBoundariesIsKeptIntact() throws Exception {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        String delimiter = "\r\n--" + MultipartBody.BOUNDARY;
        // Proper prefixes and suffixes of the delimiter, each cut off by a byte the delimiter does not contain.
        for (int i = 0; content.size() < 300_000; i++) {
            String piece = i % 2 == 0
                    ? delimiter.substring(0, i % delimiter.length())
                    : delimiter.substring(1 + i % (delimiter.length() - 1));
            content.writeBytes(bytes(piece + "#"));
        }
        byte[] body =
                new MultipartBody().file("near.bin", content.toByteArray()).build();

        for (int readSize : new int[] {1, 13, 8192, 1 << 20}) {
            MultipartReader reader = new MultipartReader(limitedReads(body, readSize), MultipartBody.BOUNDARY);
            assertThat(reader.next().orElseThrow().body().readAllBytes())
                    .as("read %d bytes at a time", readSize)
                    .isEqualTo(content.toByteArray());
            assertThat(reader.next()).isEmpty();
        }
    }

    @Test
    void anUnreadPartIsSkippedByTheNextCall() throws Exception {
        byte[] body = new MultipartBody()
                .file("a", bytes("skipped"))
                .file("b", bytes("kept"))
                .build();

        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), MultipartBody.BOUNDARY);
        MultipartReader.Part a = reader.next().orElseThrow();
        MultipartReader.Part b = reader.next().orElseThrow();

        assertThat(b.body().readAllBytes()).isEqualTo(bytes("kept"));
        assertThat(a.body().read()).as("an earlier part reads as ended").isEqualTo(-1);
    }

    @Test
    void aBodyCutBeforeTheClosingBoundaryFails() {
        String body = "--xYz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nunfinished";

        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(bytes(body))))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("closing boundary");
    }

    private static List<String[]> readAll(InputStream in) throws IOException {
        MultipartReader reader = new MultipartReader(in, B);
        List<String[]> parts = new ArrayList<>();
        for (var part = reader.next(); part.isPresent(); part = reader.next()) {
            parts.add(new String[] {
                part.get().name(),
                part.get().fileName().orElse(null),
                new String(part.get().body().readAllBytes(), StandardCharsets.UTF_8)
            });
        }
        return parts;
    }

    private static InputStream limitedReads(byte[] body, int readSize) {
        return new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, readSize));
            }
        };
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
