-- E2B's metrics history: one row per sample the control plane takes of a running sandbox every 5 s (E2B's
-- sandboxMetricExportPeriod), kept 7 days (E2B's sandbox_metrics TTL) and then deleted, so a sandbox holds at most
-- 7 d / 5 s = 120 960 rows. A sandbox's rows go with its row.
CREATE TABLE sandbox_metrics (
    sandbox_id   TEXT             NOT NULL REFERENCES sandboxes (id) ON DELETE CASCADE,
    at_ms        BIGINT           NOT NULL,
    cpu_count    INTEGER          NOT NULL,
    cpu_used_pct DOUBLE PRECISION NOT NULL,
    mem_used     BIGINT           NOT NULL,
    mem_total    BIGINT           NOT NULL,
    mem_cache    BIGINT           NOT NULL,
    disk_used    BIGINT           NOT NULL,
    disk_total   BIGINT           NOT NULL,
    PRIMARY KEY (sandbox_id, at_ms)
);

CREATE INDEX sandbox_metrics_at ON sandbox_metrics (at_ms);
