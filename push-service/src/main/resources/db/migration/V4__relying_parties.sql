-- Relying parties (the second-factor API, docs/readme-parts/rp.md): applications that check the password themselves
-- and ask Countersign only for the second factor. A client authenticates with HTTP Basic (client id, secret); the
-- secret is 256 random bits shown once, so its SHA-256 is all that is stored (a slow hash would cap throughput and
-- add nothing for a secret that cannot be guessed).

CREATE TABLE rp_clients (
    id              uuid        PRIMARY KEY,
    client_id       text        NOT NULL,              -- public, random; the Basic user name
    name            text        NOT NULL,              -- shown to admins and in the audit log
    secret_hash     bytea       NOT NULL,              -- SHA-256 of the secret
    rate_per_second integer     NOT NULL CHECK (rate_per_second > 0), -- checks the client may start per second per node
    created_at      timestamptz NOT NULL,
    created_by      text        NOT NULL,              -- the admin who created it
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    revoked_by      text
);

CREATE UNIQUE INDEX rp_clients_client_id ON rp_clients (client_id);
CREATE UNIQUE INDEX rp_clients_active_name ON rp_clients (lower(name)) WHERE revoked_at IS NULL;

-- A check is a sign-in started by a relying party; only that client may read it.
ALTER TABLE sign_ins ADD COLUMN rp_client_id uuid REFERENCES rp_clients (id);
