package dev.wrenn.sdk.commands;

import dev.wrenn.sdk.SandboxException;

/** A command ended with a non-zero exit code ({@link Commands#run} and {@link CommandHandle#waitFor()}). */
public class CommandExitException extends SandboxException {
    private static final long serialVersionUID = 1L;

    private final transient CommandResult result;

    /** @param result how the command ended */
    public CommandExitException(CommandResult result) {
        super(
                "command exited with code " + result.exitCode()
                        + (result.error() == null ? "" : " (" + result.error() + ")")
                        + (result.stderr().isEmpty() ? "" : ": " + tail(result.stderr())),
                0,
                null);
        this.result = result;
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 500 ? "…" + t.substring(t.length() - 500) : t;
    }

    /** How the command ended: output and exit code. */
    public CommandResult result() {
        return result;
    }

    /** The exit code. */
    public int exitCode() {
        return result.exitCode();
    }
}
