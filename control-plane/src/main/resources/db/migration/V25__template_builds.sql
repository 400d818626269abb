-- Issue 14: E2B's template build API. A build belongs to a team and names the template id it will publish; the
-- templates row (type 'snapshot') appears only when a build succeeds, so nothing half-built can be booted, and a
-- rebuild replaces the snapshot atomically while the previous one keeps serving.
CREATE TABLE template_builds (
    id          TEXT    PRIMARY KEY,
    template_id TEXT    NOT NULL,
    team_id     TEXT    NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('waiting', 'building', 'ready', 'error')),
    reason      TEXT,
    reason_step TEXT,
    vcpus       INTEGER NOT NULL,
    memory_mb   INTEGER NOT NULL,
    sandbox_id  TEXT,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    finished_at BIGINT
);
CREATE INDEX template_builds_team_name ON template_builds (team_id, name, created_at);
CREATE INDEX template_builds_template ON template_builds (template_id, created_at);

-- The build's log, in order; capped per build by the control plane.
CREATE TABLE template_build_logs (
    build_id TEXT    NOT NULL REFERENCES template_builds (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    at       BIGINT  NOT NULL,
    level    TEXT    NOT NULL,
    step     TEXT,
    message  TEXT    NOT NULL,
    PRIMARY KEY (build_id, seq)
);

-- Build-context archives a team uploaded, by the SDK's files hash; the bytes are under <data>/template-files/.
CREATE TABLE template_files (
    team_id    TEXT   NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    hash       TEXT   NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, hash)
);

-- E2B's tags: a name for one build of a template ("default" is the latest successful build).
CREATE TABLE template_tags (
    template_id TEXT   NOT NULL,
    tag         TEXT   NOT NULL,
    build_id    TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (template_id, tag)
);
