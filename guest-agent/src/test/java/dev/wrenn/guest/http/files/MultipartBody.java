package dev.wrenn.guest.http.files;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart/form-data request bodies the way browsers and the SDKs send them. */
public final class MultipartBody {
    public static final String BOUNDARY = "----wrennTestBoundary7MA4YWxk";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public MultipartBody file(String fileName, byte[] content) {
        return part("form-data; name=\"file\"; filename=\"" + fileName + "\"", content);
    }

    public MultipartBody part(String disposition, byte[] content) {
        write("--" + BOUNDARY + "\r\n");
        write("Content-Disposition: " + disposition + "\r\n");
        write("Content-Type: application/octet-stream\r\n\r\n");
        out.writeBytes(content);
        write("\r\n");
        return this;
    }

    public byte[] build() {
        write("--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    public static String contentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    private void write(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
