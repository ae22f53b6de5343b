-- Unanswered prompts are expired (and audited) by a periodic sweep on every node: it finds the pending sign-ins
-- whose time is up without reading the whole table.
CREATE INDEX sign_ins_pending_expiry ON sign_ins (expires_at) WHERE state = 'pending';

-- The activity view pages newest first by (occurred_at, id) with a keyset cursor, and the CSV export walks every
-- matching event the same way: one index serves both directions of that order.
CREATE INDEX audit_events_time_id ON audit_events (occurred_at, id);
DROP INDEX audit_events_time;
