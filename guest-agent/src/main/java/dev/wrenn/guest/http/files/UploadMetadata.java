package dev.wrenn.guest.http.files;

import com.sun.net.httpserver.Headers;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The file metadata an upload carries as {@code X-Metadata-<key>: <value>} headers; keys are lower-cased. */
final class UploadMetadata {
    private static final String PREFIX = "x-metadata-";

    private UploadMetadata() {}

    static Map<String, String> from(Headers headers) {
        Map<String, String> metadata = new HashMap<>();
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(PREFIX)
                    && name.length() > PREFIX.length()
                    && !header.getValue().isEmpty()) {
                metadata.put(name.substring(PREFIX.length()), header.getValue().getFirst());
            }
        }
        return metadata;
    }
}
