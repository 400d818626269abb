package dev.wrenn.control.quota;

import java.util.Map;

/**
 * A team's limits. Running counts pending and running sandboxes, whose vCPUs and memory are summed; disk is the space
 * the team's snapshot templates take on the hosts. Defaults come from the environment ({@code WRENN_QUOTA_RUNNING},
 * {@code _VCPUS}, {@code _MEMORY_MB}, {@code _DISK_MB}, {@code _PAUSED}, {@code _TEMPLATES}); an administrator sets a
 * team's own with {@code PUT /v1/admin/teams/{team_id}/quotas}.
 */
public record Quota(int running, int vcpus, int memoryMb, int diskMb, int paused, int templates) {
    /** Generous for a self-hosted install: a guard against a runaway client, not a price plan. */
    public static final Quota DEFAULT = new Quota(100, 200, 409_600, 512_000, 500, 500);

    public Quota {
        for (int value : new int[] {running, vcpus, memoryMb, diskMb, paused, templates}) {
            if (value < 0) {
                throw new IllegalArgumentException("a quota must not be negative (got " + value + ")");
            }
        }
    }

    public static Quota fromEnv(Map<String, String> env) {
        return new Quota(
                read(env, "RUNNING", DEFAULT.running),
                read(env, "VCPUS", DEFAULT.vcpus),
                read(env, "MEMORY_MB", DEFAULT.memoryMb),
                read(env, "DISK_MB", DEFAULT.diskMb),
                read(env, "PAUSED", DEFAULT.paused),
                read(env, "TEMPLATES", DEFAULT.templates));
    }

    /** This quota with the fields an administrator set ({@code null}: keep this one's). */
    public Quota with(QuotaRequest set) {
        return new Quota(
                or(set.running(), running),
                or(set.vcpus(), vcpus),
                or(set.memoryMb(), memoryMb),
                or(set.diskMb(), diskMb),
                or(set.paused(), paused),
                or(set.templates(), templates));
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static int read(Map<String, String> env, String name, int fallback) {
        String value = env.get("WRENN_QUOTA_" + name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("WRENN_QUOTA_" + name + " must be a whole number (got '" + value + "')");
        }
    }
}
