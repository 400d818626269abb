package dev.wrenn.host.sys;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;
import java.util.List;

/** An external command could not start, timed out or exited non-zero; the message names it and quotes stderr. */
public final class CommandException extends HostAgentException {
    private final transient CommandResult result;

    CommandException(ErrorCode code, String message, CommandResult result, Throwable cause) {
        super(code, message, cause);
        this.result = result;
    }

    static CommandException failed(CommandResult result) {
        String stderr = result.stderr().strip();
        String message = "`%s` exited %d%s"
                .formatted(Command.render(result.argv()), result.exitCode(), stderr.isEmpty() ? "" : ": " + stderr);
        return new CommandException(ErrorCode.INTERNAL, message, result, null);
    }

    static CommandException timedOut(List<String> argv, java.time.Duration timeout) {
        return new CommandException(
                ErrorCode.DEADLINE_EXCEEDED,
                "`%s` did not finish within %s".formatted(Command.render(argv), timeout),
                null,
                null);
    }

    static CommandException couldNotStart(List<String> argv, Throwable cause) {
        return new CommandException(
                ErrorCode.INTERNAL,
                "`%s` could not start: %s".formatted(Command.render(argv), cause.getMessage()),
                null,
                cause);
    }

    /** The finished command, or null when it never finished. */
    public CommandResult result() {
        return result;
    }
}
