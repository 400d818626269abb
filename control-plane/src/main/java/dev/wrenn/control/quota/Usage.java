package dev.wrenn.control.quota;

/** What a team holds now, in the units of {@link Quota}. */
public record Usage(int running, int vcpus, int memoryMb, int diskMb, int paused, int templates) {}
