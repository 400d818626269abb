package dev.wrenn.cli;

/** A command line the CLI cannot make sense of: printed with the usage, exit status 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
