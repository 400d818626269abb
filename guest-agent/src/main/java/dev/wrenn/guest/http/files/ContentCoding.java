package dev.wrenn.guest.http.files;

import dev.wrenn.guest.http.transport.HttpError;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Picks the response coding for a download from Accept-Encoding: gzip when acceptable, else identity, else 406. */
enum ContentCoding {
    GZIP,
    IDENTITY;

    static ContentCoding negotiate(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isBlank()) {
            return IDENTITY;
        }
        Map<String, Double> weights = weights(acceptEncoding);
        double wildcard = weights.getOrDefault("*", -1.0);
        if (weights.getOrDefault("gzip", wildcard) > 0) {
            return GZIP;
        }
        // Identity is acceptable unless excluded by name or by a zero-weighted wildcard.
        double identity = weights.getOrDefault("identity", wildcard == 0 ? 0.0 : 1.0);
        if (identity > 0) {
            return IDENTITY;
        }
        throw new HttpError(
                406, "none of the encodings in Accept-Encoding '" + acceptEncoding + "' is supported (gzip, identity)");
    }

    private static Map<String, Double> weights(String header) {
        Map<String, Double> weights = new HashMap<>();
        for (String item : header.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!coding.isEmpty()) {
                weights.put(coding, quality(parts));
            }
        }
        return weights;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            if (param.startsWith("q=")) {
                try {
                    return Double.parseDouble(param.substring(2));
                } catch (NumberFormatException e) {
                    throw HttpError.badRequest("malformed quality value in Accept-Encoding: '" + param + "'");
                }
            }
        }
        return 1.0;
    }
}
