-- The control plane's schema. One file for SQLite and PostgreSQL, so only types both understand are used:
-- TEXT, INTEGER, BIGINT, BOOLEAN. Timestamps are BIGINT milliseconds since the epoch (UTC): integers sort the same
-- on both databases, where SQLite would compare timestamp text in whatever format it was written.

CREATE TABLE users (
    id            TEXT    PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT,
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);

CREATE TABLE teams (
    id         TEXT   PRIMARY KEY,
    name       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users_teams (
    user_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_id    TEXT    NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    is_default BOOLEAN NOT NULL DEFAULT TRUE,
    role       TEXT    NOT NULL DEFAULT 'owner',
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX users_teams_user_id ON users_teams (user_id);

CREATE TABLE team_api_keys (
    id         TEXT   PRIMARY KEY,
    team_id    TEXT   NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name       TEXT   NOT NULL,
    key_hash   TEXT   NOT NULL UNIQUE,
    key_prefix TEXT   NOT NULL,
    created_by TEXT   NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_used  BIGINT
);
CREATE INDEX team_api_keys_team_id ON team_api_keys (team_id, created_at);

-- status is one of the control plane's sandbox statuses (SandboxStatus), kept free of a CHECK so that a new
-- status needs no table rebuild on SQLite. metadata is a JSON object of strings. error_reason says why a sandbox
-- ended in 'error'.
CREATE TABLE sandboxes (
    id             TEXT    PRIMARY KEY,
    team_id        TEXT    NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    host_id        TEXT    NOT NULL DEFAULT 'default',
    template       TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    vcpus          INTEGER NOT NULL,
    memory_mb      INTEGER NOT NULL,
    timeout_sec    INTEGER NOT NULL DEFAULT 0,
    host_ip        TEXT    NOT NULL DEFAULT '',
    metadata       TEXT    NOT NULL DEFAULT '{}',
    error_reason   TEXT,
    created_at     BIGINT  NOT NULL,
    started_at     BIGINT,
    last_active_at BIGINT,
    last_updated   BIGINT  NOT NULL
);
CREATE INDEX sandboxes_team_id ON sandboxes (team_id, created_at);
CREATE INDEX sandboxes_status ON sandboxes (status);
CREATE INDEX sandboxes_host_status ON sandboxes (host_id, status);

-- Templates are named per team. team_id NULL marks a global base image (e.g. 'minimal'), unique among globals.
-- id is the name under which the host agent stores a snapshot's files, so two teams' equal names never collide.
CREATE TABLE templates (
    id         TEXT    PRIMARY KEY,
    team_id    TEXT    REFERENCES teams (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    type       TEXT    NOT NULL CHECK (type IN ('base', 'snapshot')),
    vcpus      INTEGER,
    memory_mb  INTEGER,
    size_bytes BIGINT  NOT NULL DEFAULT 0,
    created_at BIGINT  NOT NULL,
    UNIQUE (team_id, name)
);
CREATE UNIQUE INDEX templates_global_name ON templates (name) WHERE team_id IS NULL;
CREATE INDEX templates_team_id ON templates (team_id, created_at);
