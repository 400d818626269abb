package dev.wrenn.host.guest;

import java.util.List;
import java.util.Map;

/**
 * A command for the guest agent's {@code process.Process/Start}: run {@code cmd} with {@code args} directly (no
 * shell), with extra env vars, in {@code cwd} (empty: the default workdir) as {@code user} (empty: the default user).
 */
public record ProcessSpec(String cmd, List<String> args, Map<String, String> envs, String cwd, String user) {
    public ProcessSpec {
        args = List.copyOf(args);
        envs = Map.copyOf(envs);
        cwd = cwd == null ? "" : cwd;
        user = user == null ? "" : user;
    }

    public static ProcessSpec of(String cmd, String... args) {
        return new ProcessSpec(cmd, List.of(args), Map.of(), "", "");
    }
}
