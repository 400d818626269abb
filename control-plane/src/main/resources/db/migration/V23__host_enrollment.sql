-- One-time tokens that let a new host agent obtain its certificate. Only the SHA-256 of the secret is stored; a token
-- is spent (used_at set) by the one enrollment that presents it, and refused after expires_at.
CREATE TABLE enrollment_tokens (
    id          TEXT    PRIMARY KEY,
    secret_hash TEXT    NOT NULL,
    host_name   TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);

-- Hosts that enrolled, by the name their certificate carries (the address the control plane dials). A host that
-- enrolls again replaces its row: the serial and expiry are those of its newest certificate.
CREATE TABLE hosts (
    name        TEXT    PRIMARY KEY,
    cert_serial TEXT    NOT NULL,
    not_after   BIGINT  NOT NULL,
    enrolled_at BIGINT  NOT NULL
);
