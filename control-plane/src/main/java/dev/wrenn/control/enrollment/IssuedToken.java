package dev.wrenn.control.enrollment;

import java.time.Instant;

/** A new enrollment token as the operator sees it, once: the token itself is never shown again. */
public record IssuedToken(String token, String host, Instant expiresAt, String caFingerprint) {}
