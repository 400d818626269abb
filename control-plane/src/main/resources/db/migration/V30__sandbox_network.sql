-- A sandbox's egress rules as its owner gave them (E2B's allow_internet_access and network.allowOut/denyOut; the
-- same fields in /v1). The host agent enforces them; this row is their record, sent again at every resume.
-- allow_internet_access is NULL when the owner did not say (the operator's --egress decides). The lists are
-- comma-separated IPv4 addresses and CIDRs (validated before they are stored, so they hold no comma).
CREATE TABLE sandbox_network (
    sandbox_id            TEXT    PRIMARY KEY REFERENCES sandboxes (id) ON DELETE CASCADE,
    allow_internet_access INTEGER CHECK (allow_internet_access IN (0, 1)),
    allow_out             TEXT    NOT NULL,
    deny_out              TEXT    NOT NULL
);
