-- Hardening against abuse (docs/readme-parts/abuse.md): push fatigue, guessing, fraud reports.
-- Counters live here, not in memory, so that every node of a cluster sees the same limits.

-- A fraud report ("No, it's not me") suspends pushes for the user until an admin clears it; TOTP still works.
ALTER TABLE users ADD COLUMN push_suspended_at timestamptz;

-- Why a challenge was created without sending a push: 'push_limit' (too many pushes in 10 minutes) or
-- 'fraud_reported' (pushes suspended). NULL: the push was sent. Counted for the rolling push limit.
ALTER TABLE sign_ins ADD COLUMN push_suppressed text CHECK (push_suppressed IN ('push_limit', 'fraud_reported', 'code_only'));
CREATE INDEX sign_ins_user_created ON sign_ins (user_id, created_at);

ALTER TABLE settings ADD COLUMN push_limit_per_10_minutes integer NOT NULL DEFAULT 10
    CHECK (push_limit_per_10_minutes >= 1);
-- NIST SP 800-63B rev 4 profile: 6-digit numbers (the service enforces number_digits = 6 while it is on).
ALTER TABLE settings ADD COLUMN nist_profile boolean NOT NULL DEFAULT false;

-- Consecutive failed passwords, TOTP codes and wrong numbers, per lowercased username (whether or not such a user
-- exists, so answers never tell) and per client address. A user key is locked out after a threshold until an admin
-- clears it; an address key is only delayed, and forgets after an hour without failures.
CREATE TABLE attempt_throttles (
    kind                 text        NOT NULL CHECK (kind IN ('user', 'address')),
    subject              text        NOT NULL,            -- lower(username) or the address text
    consecutive_failures integer     NOT NULL,
    last_failure_at      timestamptz NOT NULL,
    blocked_until        timestamptz,                     -- no attempt is evaluated before this time
    locked_out_at        timestamptz,                     -- user keys only: until an admin clears it
    PRIMARY KEY (kind, subject)
);
CREATE INDEX attempt_throttles_locked ON attempt_throttles (subject) WHERE locked_out_at IS NOT NULL;
