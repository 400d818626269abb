package dev.wrenn.host.error;

/** What kind of failure a {@link HostAgentException} is; the gRPC layer maps each to one status code. */
public enum ErrorCode {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    FAILED_PRECONDITION,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    DEADLINE_EXCEEDED,
    UNAVAILABLE,
    UNIMPLEMENTED,
    INTERNAL
}
