package dev.wrenn.control.snapshots;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wrenn.control.db.Template;
import java.time.Instant;

/**
 * A template as the API shows it. Its team boots it by name; other teams boot a {@code public} one by its {@code id}
 * (the key the host stores its files under). Sizes, the id and the creation time are left out for the built-in base,
 * which has none.
 */
public record TemplateView(
        String id,
        String name,
        String type,
        Integer vcpus,
        Integer memoryMb,
        long sizeBytes,
        Instant createdAt,
        @JsonProperty("public") boolean isPublic) {

    public static TemplateView of(Template t) {
        String id = BuiltInBase.TEMPLATE.equals(t) ? null : t.id();
        return new TemplateView(
                id,
                t.name(),
                t.type().wireName(),
                t.vcpus(),
                t.memoryMb(),
                t.sizeBytes(),
                t.createdAt(),
                t.isPublic() || t.teamId() == null);
    }
}
