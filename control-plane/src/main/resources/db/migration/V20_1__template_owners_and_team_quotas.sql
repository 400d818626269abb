-- A team's template can be shared with every team by its owner (E2B's "public" flag); until then only the owning
-- team can boot it. Existing templates stay private.
ALTER TABLE templates ADD COLUMN is_public BOOLEAN NOT NULL DEFAULT FALSE;

-- Limits an administrator set for one team. NULL in a column means the control plane's configured default.
-- disk_mb counts the bytes the team's snapshot templates hold on the hosts.
CREATE TABLE team_quotas (
    team_id       TEXT    PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
    max_running   INTEGER,
    max_vcpus     INTEGER,
    max_memory_mb INTEGER,
    max_disk_mb   INTEGER,
    max_paused    INTEGER,
    max_templates INTEGER,
    updated_at    BIGINT  NOT NULL
);
