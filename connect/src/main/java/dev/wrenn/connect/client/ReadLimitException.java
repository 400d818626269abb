package dev.wrenn.connect.client;

import dev.wrenn.connect.Code;
import java.io.IOException;

/** A read from a peer stopped because the peer broke one of its limits: too many bytes, or too slow. */
public final class ReadLimitException extends IOException {
    /** Which limit the peer broke. */
    public enum Kind {
        /** More bytes than the cap. */
        SIZE,
        /** The whole read did not finish before its deadline. */
        DEADLINE,
        /** Nothing arrived for the idle limit while a read waited. */
        IDLE
    }

    private final Kind kind;

    ReadLimitException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The Connect code a call reports for it: resource_exhausted for size, deadline_exceeded for a passed deadline,
     * unavailable for a stalled peer (a stall is the peer's failure, not the caller's deadline).
     */
    public Code code() {
        return switch (kind) {
            case SIZE -> Code.RESOURCE_EXHAUSTED;
            case DEADLINE -> Code.DEADLINE_EXCEEDED;
            case IDLE -> Code.UNAVAILABLE;
        };
    }
}
