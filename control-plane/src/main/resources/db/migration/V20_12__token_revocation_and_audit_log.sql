-- Revocable user tokens. A token carries its user's token_generation when issued; a password change increments
-- it, so every earlier token of that account is refused. A logout puts the token's id (its jti) here until the
-- token would have expired anyway; rows past expires_at are deleted.
ALTER TABLE users ADD COLUMN token_generation INTEGER NOT NULL DEFAULT 0;

CREATE TABLE revoked_tokens (
    jti        TEXT   PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at);

-- Who did what to a team's things: logins, keys, members, sandboxes, templates. Never a secret: targets are ids
-- and names, details a small JSON object. team_id is NULL for a failed login of an unknown email. No foreign keys:
-- the log outlives what it names. Rows older than the retention (WRENN_AUDIT_RETENTION_DAYS) are deleted.
CREATE TABLE audit_log (
    id         TEXT   PRIMARY KEY,
    team_id    TEXT,
    actor_type TEXT   NOT NULL,
    actor_id   TEXT,
    action     TEXT   NOT NULL,
    target     TEXT,
    address    TEXT,
    details    TEXT   NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_team_time ON audit_log (team_id, created_at, id);
CREATE INDEX audit_log_created_at ON audit_log (created_at);
