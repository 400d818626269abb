package dev.wrenn.host.guest;

import com.google.protobuf.ByteString;

/** A command run to completion: all its output and how it ended. */
public record ExecResult(int pid, ByteString stdout, ByteString stderr, int exitCode, String error) {}
