-- Quota held by a resume, pause or snapshot while its host call runs: the operation inserts its row after checking
-- the team's usage (reservations included) under the team's lock, and deletes it once the sandbox or template row
-- shows the result. A row outlives its operation only if the control plane died mid-call; it stops counting at
-- expires_at (past the host calls' deadline) and is deleted by the next reservation.
CREATE TABLE quota_reservations (
    id         TEXT    PRIMARY KEY,
    team_id    TEXT    NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    running    INTEGER NOT NULL,
    vcpus      INTEGER NOT NULL,
    memory_mb  INTEGER NOT NULL,
    paused     INTEGER NOT NULL,
    templates  INTEGER NOT NULL,
    expires_at BIGINT  NOT NULL
);

CREATE INDEX quota_reservations_team ON quota_reservations (team_id, expires_at);
