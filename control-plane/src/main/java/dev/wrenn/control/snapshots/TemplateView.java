package dev.wrenn.control.snapshots;

import dev.wrenn.control.db.Template;
import java.time.Instant;

/**
 * A template as the API shows it. The id stays internal: users name templates, and the id is only the key the host
 * stores its files under. Sizes and the creation time are left out for the built-in base, which has none.
 */
public record TemplateView(
        String name, String type, Integer vcpus, Integer memoryMb, long sizeBytes, Instant createdAt) {

    public static TemplateView of(Template t) {
        return new TemplateView(t.name(), t.type().wireName(), t.vcpus(), t.memoryMb(), t.sizeBytes(), t.createdAt());
    }
}
