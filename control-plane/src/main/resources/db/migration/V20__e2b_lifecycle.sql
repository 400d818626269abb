-- When a sandbox created through the E2B-compatible API ends (an absolute time, unlike timeout_sec, which counts
-- inactivity) and what happens then: 'kill' or 'pause'. Sandboxes created through /v1 have no row.
CREATE TABLE sandbox_lifecycle (
    sandbox_id TEXT   PRIMARY KEY REFERENCES sandboxes (id) ON DELETE CASCADE,
    end_at     BIGINT NOT NULL,
    on_timeout TEXT   NOT NULL CHECK (on_timeout IN ('kill', 'pause'))
);
CREATE INDEX sandbox_lifecycle_end_at ON sandbox_lifecycle (end_at);
