package dev.wrenn.sdk.commands;

/**
 * How a command ended: its whole output and exit code.
 *
 * @param stdout everything it wrote to standard output (UTF-8)
 * @param stderr everything it wrote to standard error (UTF-8)
 * @param exitCode its exit code; -1 when a signal ended it
 * @param error envd's description when it did not exit normally ({@code signal: killed}), or null
 */
public record CommandResult(String stdout, String stderr, int exitCode, String error) {}
