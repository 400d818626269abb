package dev.wrenn.launcher.doctor;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * What the doctor asks the host, each question behind a small interface so that the checks can be tested with fake
 * answers ({@link LinuxProbes} asks the real machine).
 */
public record Probes(
        Commands commands, Kvm kvm, Kernel kernel, Resources resources, Ports ports, DataDirs dataDirs, boolean root) {

    public interface Commands {
        boolean onPath(String command);
    }

    /** What became of KVM: absent, not accessible, not probed (and why), usable, or present but unusable. */
    public interface Kvm {
        KvmResult probe();
    }

    public enum KvmState {
        ABSENT,
        NO_ACCESS,
        NOT_PROBED,
        USABLE,
        UNUSABLE
    }

    public record KvmResult(KvmState state, String detail) {}

    /** Kernel features Wrenn uses; empty when the machine gives no way to tell. */
    public interface Kernel {
        Optional<Boolean> has(KernelFeature feature);

        /** The cgroup v2 hierarchy's mount point and its controllers; empty when no cgroup v2 is mounted. */
        Optional<CgroupV2> cgroupV2();
    }

    /** A kernel feature Wrenn needs, with the kernel configuration option that provides it. */
    public enum KernelFeature {
        TUN("CONFIG_TUN"),
        NET_NS("CONFIG_NET_NS"),
        VETH("CONFIG_VETH"),
        NFTABLES("CONFIG_NF_TABLES"),
        USERFAULTFD("CONFIG_USERFAULTFD");

        private final String configKey;

        KernelFeature(String configKey) {
            this.configKey = configKey;
        }

        public String configKey() {
            return configKey;
        }
    }

    public record CgroupV2(Path mount, Set<String> controllers) {}

    public interface Resources {
        /** Bytes free for the data directory (on the file system of its nearest existing ancestor). */
        long freeDiskBytes(Path dataDir);

        /** The kernel's estimate of memory available for new programs (MemAvailable). */
        long availableMemoryBytes();
    }

    public interface Ports {
        /** False only when something already listens on it. */
        boolean free(String host, int port);
    }

    public interface DataDirs {
        /** The owner and mode of the directory; empty when it does not exist yet. */
        Optional<Ownership> ownership(Path dir);
    }

    public record Ownership(boolean directory, long uid, Set<PosixFilePermission> permissions) {}
}
