-- Invitations to join a team, made by its administrators. Only the SHA-256 of the token is kept (the token is shown
-- once to its creator). used_at is set by the signup that consumed it; a used or expired row can never be used again.
CREATE TABLE team_invites (
    id         TEXT   PRIMARY KEY,
    team_id    TEXT   NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    token_hash TEXT   NOT NULL UNIQUE,
    created_by TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX team_invites_team_id ON team_invites (team_id, created_at);
