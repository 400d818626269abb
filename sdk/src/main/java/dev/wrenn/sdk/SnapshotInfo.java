package dev.wrenn.sdk;

import dev.wrenn.sdk.internal.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a sandbox ({@link Sandbox#createSnapshot}): a template that {@link Sandbox#create} starts copies of.
 *
 * @param snapshotId the id to pass as the template of a create
 * @param names its names
 */
public record SnapshotInfo(String snapshotId, List<String> names) {
    static SnapshotInfo fromJson(Map<String, Object> json) {
        List<String> names = new ArrayList<>();
        Object n = json.get("names");
        if (n instanceof List) {
            for (Object o : (List<?>) n) {
                names.add(String.valueOf(o));
            }
        }
        return new SnapshotInfo(Json.string(json, "snapshotID"), List.copyOf(names));
    }
}
