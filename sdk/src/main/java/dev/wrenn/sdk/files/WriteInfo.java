package dev.wrenn.sdk.files;

/**
 * A file that {@link Files#write} wrote.
 *
 * @param path its absolute path in the sandbox
 * @param name its name
 */
public record WriteInfo(String path, String name) {}
