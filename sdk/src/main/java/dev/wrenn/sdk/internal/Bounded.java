package dev.wrenn.sdk.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading a whole body with a cap, so that no server can make the SDK hold unbounded memory. Not public API. */
public final class Bounded {
    private Bounded() {}

    /** Reads everything, failing with an {@link IOException} beyond {@code max} bytes. */
    public static byte[] readAll(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > max) {
                throw new IOException("the answer is larger than " + max + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
