package dev.wrenn.host.guest;

import com.google.protobuf.ByteString;

/** What a started process reports, in order: one start, output chunks, one end. Keepalives are not events. */
public sealed interface ExecEvent {
    record Started(int pid) implements ExecEvent {}

    record Output(boolean stderr, ByteString data) implements ExecEvent {}

    /** @param error why the process ended abnormally (killed by a signal); empty when it exited on its own */
    record Ended(int exitCode, String error) implements ExecEvent {}
}
