package dev.wrenn.control.enrollment;

import java.time.Instant;

/** A host that enrolled: the name its certificate carries, that certificate's serial (hex) and expiry. */
public record EnrolledHost(String name, String certSerial, Instant notAfter, Instant enrolledAt) {}
