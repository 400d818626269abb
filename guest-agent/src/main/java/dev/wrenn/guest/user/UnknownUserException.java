package dev.wrenn.guest.user;

/** The named user has no account in the guest. */
public final class UnknownUserException extends RuntimeException {
    public UnknownUserException(String name) {
        super("user '" + name + "' not found");
    }
}
