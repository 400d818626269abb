package dev.wrenn.guest.fs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wrenn.connect.Code;
import dev.wrenn.connect.ConnectException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that a call fails with a given Connect code. */
public final class ConnectErrors {
    private ConnectErrors() {}

    public static void assertFailsWith(Code code, ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(ConnectException.class)
                .extracting(e -> ((ConnectException) e).code())
                .isEqualTo(code);
    }
}
