package dev.wrenn.control.quota;

/** What a team holds now, in the units of {@link Quota}. */
public record Usage(int running, int vcpus, int memoryMb, int diskMb, int paused, int templates) {
    /** The usage before one running sandbox of these sizes was counted. */
    Usage withoutSandbox(int sandboxVcpus, int sandboxMemoryMb) {
        return new Usage(running - 1, vcpus - sandboxVcpus, memoryMb - sandboxMemoryMb, diskMb, paused, templates);
    }
}
