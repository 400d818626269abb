package dev.wrenn.host.vmm.qemu;

import dev.wrenn.host.error.ErrorCode;
import dev.wrenn.host.error.HostAgentException;

/** QEMU refused a QMP command, or the QMP connection failed. */
public final class QmpException extends HostAgentException {
    private final String errorClass;

    public QmpException(String message, String errorClass) {
        super(ErrorCode.INTERNAL, message);
        this.errorClass = errorClass;
    }

    public QmpException(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
        this.errorClass = null;
    }

    /** QEMU's error class (e.g. GenericError, CommandNotFound), or null for a connection failure. */
    public String errorClass() {
        return errorClass;
    }
}
