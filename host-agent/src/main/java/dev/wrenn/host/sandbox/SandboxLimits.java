package dev.wrenn.host.sandbox;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;

/** What one sandbox may ask of this host; the number of sandboxes is bounded by the slot allocator. */
public record SandboxLimits(int maxVcpus, int maxMemoryMib) {
    /** The request record's own bounds: no host-specific limit. */
    public static final SandboxLimits NONE = new SandboxLimits(64, 65_536);

    public SandboxLimits {
        if (maxVcpus < 1 || maxMemoryMib < 64) {
            throw new IllegalArgumentException(
                    "sandbox limits need at least 1 vCPU and 64 MiB, got %d and %d".formatted(maxVcpus, maxMemoryMib));
        }
    }

    /** Rejects a request over this host's limits, before anything is acquired for it. */
    void check(SandboxRequest request) {
        if (request.vcpus() > maxVcpus) {
            throw new HostAgentException(
                    ErrorCode.INVALID_ARGUMENT,
                    "creating sandbox %s: %d vCPUs asked, this host allows at most %d"
                            .formatted(request.sandboxId(), request.vcpus(), maxVcpus));
        }
        if (request.memoryMb() > maxMemoryMib) {
            throw new HostAgentException(
                    ErrorCode.INVALID_ARGUMENT,
                    "creating sandbox %s: %d MiB asked, this host allows at most %d MiB"
                            .formatted(request.sandboxId(), request.memoryMb(), maxMemoryMib));
        }
    }

    /** The same for a template build's VM. */
    void checkBuild(String templateId, int vcpus, int memoryMb) {
        if (vcpus < 1 || vcpus > maxVcpus || memoryMb < 128 || memoryMb > maxMemoryMib) {
            throw new HostAgentException(
                    ErrorCode.INVALID_ARGUMENT,
                    "building template %s: %d vCPUs and %d MiB asked, this host allows 1..%d vCPUs and 128..%d MiB"
                            .formatted(templateId, vcpus, memoryMb, maxVcpus, maxMemoryMib));
        }
    }
}
