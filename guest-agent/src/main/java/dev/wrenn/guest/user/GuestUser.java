package dev.wrenn.guest.user;

import java.nio.file.Path;
import java.util.List;

/** A user account of the guest as read from /etc/passwd and /etc/group. */
public record GuestUser(String name, int uid, int gid, Path home, String shell, List<Integer> supplementaryGids) {
    public GuestUser {
        supplementaryGids = List.copyOf(supplementaryGids);
    }

    public boolean isRoot() {
        return uid == 0;
    }
}
