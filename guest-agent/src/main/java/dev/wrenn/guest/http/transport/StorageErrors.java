package dev.wrenn.guest.http.transport;

import java.io.IOException;

/** Maps disk failures to HTTP statuses: a full disk or quota is 507 (the SDK's NotEnoughSpaceError), else 500. */
public final class StorageErrors {
    private StorageErrors() {}

    public static HttpError toHttpError(String operation, IOException failure) {
        if (isOutOfSpace(failure)) {
            return new HttpError(
                    507, operation + ": not enough disk space available (" + failure.getMessage() + ")", failure);
        }
        return new HttpError(500, operation + ": " + failure, failure);
    }

    /** The JDK reports ENOSPC and EDQUOT only through the message text of its IOExceptions. */
    static boolean isOutOfSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("No space left on device") || message.contains("Disk quota exceeded")) {
                return true;
            }
        }
        return false;
    }
}
