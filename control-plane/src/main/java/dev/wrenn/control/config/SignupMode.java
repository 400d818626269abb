package dev.wrenn.control.config;

import java.util.Locale;

/**
 * Who may create an account through {@code POST /v1/auth/signup} ({@code --signup}, {@code WRENN_SIGNUP}).
 *
 * <ul>
 *   <li>{@link #OPEN}: anyone who reaches the API; an invitation, if given, joins its team.
 *   <li>{@link #FIRST_USER} (default): the first account (which becomes the administrator) needs nothing; every
 *       later one needs an invitation from a team administrator.
 *   <li>{@link #CLOSED}: nobody; the operator makes the first account ({@code wrenn up}'s quickstart does).
 * </ul>
 */
public enum SignupMode {
    OPEN,
    CLOSED,
    FIRST_USER;

    public static final SignupMode DEFAULT = FIRST_USER;

    /** {@code open}, {@code closed} or {@code first-user}, as typed on the command line. */
    public static SignupMode parse(String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (SignupMode mode : values()) {
            if (mode.flagValue().equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("signup mode must be open, closed or first-user (got '" + text + "')");
    }

    public String flagValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
