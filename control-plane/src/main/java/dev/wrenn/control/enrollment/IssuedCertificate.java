package dev.wrenn.control.enrollment;

import java.time.Instant;

/** The answer to an enrollment: the host's certificate and the CA's, PEM, and the name the certificate carries. */
public record IssuedCertificate(String host, String certificate, String caCertificate, Instant expiresAt) {}
