-- Countersign schema v2: admin controls (ARCHITECTURE.md §4): Conditional Access policies, app passwords, and
-- indexes for the activity view. Security defaults and their switch-on time live in the settings row of v1.

CREATE TABLE conditional_access_policies (
    id               uuid        PRIMARY KEY,
    name             text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('enabled', 'disabled')),
    include_users    text[]      NOT NULL DEFAULT '{}',  -- '*' (everyone) or usernames
    include_roles    text[]      NOT NULL DEFAULT '{}',  -- 'admin', 'user'
    exclude_users    text[]      NOT NULL DEFAULT '{}',  -- break-glass accounts
    trusted_networks text[]      NOT NULL DEFAULT '{}',  -- CIDR; the policy does not apply to sign-ins from these
    grant_control    text        NOT NULL CHECK (grant_control IN ('require_mfa', 'block')),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX conditional_access_policies_name_key ON conditional_access_policies (lower(name));

CREATE TABLE app_passwords (
    id            uuid        PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id),
    name          text        NOT NULL,
    password_hash text        NOT NULL,                  -- Argon2id, PHC string; the password is shown once
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz
);
CREATE INDEX app_passwords_user ON app_passwords (user_id);

CREATE INDEX audit_events_actor_lower ON audit_events (lower(actor));
CREATE INDEX audit_events_target_lower ON audit_events (lower(target));
CREATE INDEX audit_events_type ON audit_events (type);
