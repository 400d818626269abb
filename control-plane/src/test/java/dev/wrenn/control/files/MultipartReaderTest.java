package dev.wrenn.control.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.control.error.ApiException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
    private static final String TYPE = "multipart/form-data; boundary=" + FileApiTest.BOUNDARY;

    @Test
    void partsAreReadWhenTheBodyArrivesOneByteAtATime() throws IOException {
        byte[] content = FileApiTest.randomBytes(200_000);
        MultipartReader reader = MultipartReader.of(TYPE, trickle(FileApiTest.form("/tmp/a b", content)));

        MultipartReader.Part path = reader.next();
        assertThat(path.name()).isEqualTo("path");
        assertThat(path.filename()).isNull();
        assertThat(new String(path.content().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("/tmp/a b");
        MultipartReader.Part file = reader.next();
        assertThat(file.name()).isEqualTo("file");
        assertThat(file.filename()).isEqualTo("data.bin");
        assertThat(file.content().readAllBytes()).isEqualTo(content);
        assertThat(reader.next()).isNull();
    }

    @Test
    void anUnreadPartIsSkippedByTheNextCall() throws IOException {
        MultipartReader reader = MultipartReader.of(
                TYPE, new ByteArrayInputStream(FileApiTest.form("/x", FileApiTest.randomBytes(100_000))));

        assertThat(reader.next().name()).isEqualTo("path");
        assertThat(reader.next().name()).isEqualTo("file");
        assertThat(reader.next()).isNull();
    }

    @Test
    void aQuotedBoundaryIsUnderstood() throws IOException {
        MultipartReader reader = MultipartReader.of(
                "multipart/form-data; boundary=\"" + FileApiTest.BOUNDARY + "\"",
                new ByteArrayInputStream(FileApiTest.form("/x", new byte[] {7})));

        reader.next();
        assertThat(reader.next().content().readAllBytes()).containsExactly(7);
    }

    @Test
    void aBodyWithoutItsClosingBoundaryIsMalformed() throws IOException {
        byte[] form = FileApiTest.form("/x", new byte[] {1, 2, 3});
        byte[] cut = java.util.Arrays.copyOf(form, form.length - 10);
        MultipartReader reader = MultipartReader.of(TYPE, new ByteArrayInputStream(cut));
        reader.next();
        MultipartReader.Part file = reader.next();

        assertThatThrownBy(() -> file.content().readAllBytes())
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("closing boundary");
    }

    @Test
    void aContentTypeWithoutBoundaryIsRefused() {
        assertThatThrownBy(() -> MultipartReader.of("multipart/form-data", InputStream.nullInputStream()))
                .hasMessageContaining("no boundary");
        assertThatThrownBy(() -> MultipartReader.of(null, InputStream.nullInputStream()))
                .hasMessageContaining("multipart/form-data");
    }

    private static InputStream trickle(byte[] bytes) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(1, len));
            }
        };
    }
}
