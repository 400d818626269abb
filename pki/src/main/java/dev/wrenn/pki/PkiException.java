package dev.wrenn.pki;

/** A key, certificate or request that cannot be made, read or accepted; the message says which and why. */
public final class PkiException extends RuntimeException {
    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }

    public PkiException(String message) {
        super(message);
    }
}
