package dev.wrenn.connect.server;

import com.google.protobuf.Message;
import dev.wrenn.connect.ConnectException;

/**
 * Writes the one outcome of a call. The first of {@link #complete} and {@link #fail} wins and later calls do nothing,
 * so the deadline watch and the handler's thread may race to answer.
 */
sealed interface Responder permits UnaryResponse, StreamResponse {
    /** Ends the call successfully, sending {@code lastMessage} first when not null. */
    void complete(Message lastMessage);

    void fail(ConnectException error);
}
