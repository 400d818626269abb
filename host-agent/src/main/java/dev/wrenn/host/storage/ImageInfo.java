package dev.wrenn.host.storage;

/** What {@code qemu-img info} says about a disk image; backingFile is null for a standalone image. */
public record ImageInfo(String format, long virtualSize, String backingFile, String backingFormat) {}
