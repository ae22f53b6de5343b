-- Tamper-evident audit log (issue 7): events are inserted as before; a sealer (one at a time across nodes, under an
-- advisory lock) gives each not-yet-sealed event the next chain position and
-- chain_hash = SHA-256(previous hash || canonical encoding of the event), and moves the head forward.
ALTER TABLE audit_events ADD COLUMN chain_position bigint;
ALTER TABLE audit_events ADD COLUMN chain_hash bytea;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_chain_position_unique UNIQUE (chain_position);
CREATE INDEX audit_events_unsealed ON audit_events (id) WHERE chain_position IS NULL;

-- The last sealed link: lets verification notice events deleted from the end of the chain.
CREATE TABLE audit_chain_head (
    singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    position  bigint      NOT NULL,
    hash      bytea       NOT NULL,
    sealed_at timestamptz
);
INSERT INTO audit_chain_head (singleton, position, hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));
