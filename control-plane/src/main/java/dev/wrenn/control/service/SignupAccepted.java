package dev.wrenn.control.service;

/**
 * The answer to every accepted signup, whether the email was new or already registered: it carries no token and no
 * ids, so it cannot tell the two apart. The client logs in next.
 */
public record SignupAccepted(String email, String message) {
    static final String NEXT = "if this email had no account, it has one now; log in with POST /v1/auth/login";

    SignupAccepted(String email) {
        this(email, NEXT);
    }
}
