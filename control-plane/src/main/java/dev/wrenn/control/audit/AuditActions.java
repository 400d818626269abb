package dev.wrenn.control.audit;

/** The actions the audit log records, as stored and shown. */
public final class AuditActions {
    public static final String LOGIN = "auth.login";
    public static final String LOGIN_FAILED = "auth.login_failed";
    public static final String LOGOUT = "auth.logout";
    public static final String PASSWORD_CHANGED = "auth.password_changed";
    public static final String API_KEY_CREATED = "api_key.create";
    public static final String API_KEY_DELETED = "api_key.delete";
    public static final String MEMBER_ADDED = "member.add";
    public static final String MEMBER_REMOVED = "member.remove";
    public static final String MEMBER_ROLE_CHANGED = "member.role";
    public static final String INVITE_CREATED = "invite.create";
    public static final String INVITE_REVOKED = "invite.revoke";
    public static final String SANDBOX_CREATED = "sandbox.create";
    public static final String SANDBOX_DELETED = "sandbox.delete";
    public static final String TEMPLATE_CREATED = "template.create";
    public static final String TEMPLATE_DELETED = "template.delete";
    public static final String TEMPLATE_PUBLIC_CHANGED = "template.public";

    private AuditActions() {}
}
