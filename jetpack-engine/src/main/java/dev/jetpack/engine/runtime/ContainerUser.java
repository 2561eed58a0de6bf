package dev.jetpack.engine.runtime;

import java.util.List;

/**
 * The numeric identity a container's command runs as. Names are the caller's business (they mean what the
 * image's {@code /etc/passwd} and {@code /etc/group} say, not the host's).
 *
 * @param uid               user id
 * @param gid               primary group id
 * @param supplementaryGids further groups, in order; none when empty
 */
public record ContainerUser(long uid, long gid, List<Long> supplementaryGids) {
    /** uid 0, gid 0, no further groups: what build commands run as. */
    public static final ContainerUser ROOT = new ContainerUser(0, 0, List.of());

    public ContainerUser {
        requireId(uid, "uid");
        requireId(gid, "gid");
        supplementaryGids = List.copyOf(supplementaryGids);
        supplementaryGids.forEach(id -> requireId(id, "supplementary gid"));
    }

    public boolean isRoot() {
        return uid == 0;
    }

    /** "uid 1000, gid 1000, groups [2000]" for messages. */
    public String describe() {
        return "uid " + uid + ", gid " + gid + (supplementaryGids.isEmpty() ? "" : ", groups " + supplementaryGids);
    }

    private static void requireId(long id, String what) {
        // 2^32-1 is (uid_t) -1, which setuid(2) reads as "leave unchanged"
        if (id < 0 || id >= 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " " + id + " is out of range: ids run from 0 to 4294967294");
        }
    }
}
