-- Countersign schema v1. Every time comparison in the service uses a timestamp passed in from the
-- service's Clock, never now(), so tests control time. Secrets are stored only as hashes or AEAD ciphertexts.

CREATE TABLE users (
    id                 uuid        PRIMARY KEY,
    username           text        NOT NULL,
    display_name       text        NOT NULL,
    role               text        NOT NULL CHECK (role IN ('user', 'admin')),
    password_hash      text        NOT NULL,              -- Argon2id, PHC string
    mfa_state          text        NOT NULL DEFAULT 'disabled' CHECK (mfa_state IN ('disabled', 'enabled', 'enforced')),
    registration_grace_started_at timestamptz,            -- first sign-in that asked for registration under security defaults
    failed_mfa_attempts integer    NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

CREATE TABLE devices (
    id              uuid        PRIMARY KEY,
    user_id         uuid        NOT NULL REFERENCES users (id),
    name            text        NOT NULL,
    platform        text        NOT NULL,
    key_alg         text        NOT NULL,
    public_key      text        NOT NULL,                 -- base64url of the raw Ed25519 key
    totp_secret     bytea       NOT NULL,                 -- SecretBox ciphertext, associated data: user id + device id
    totp_algorithm  text        NOT NULL,
    totp_digits     integer     NOT NULL,
    totp_period     integer     NOT NULL,
    last_totp_step  bigint,                               -- replay protection: last consumed time step
    state           text        NOT NULL CHECK (state IN ('unverified', 'verified', 'removed')),
    created_at      timestamptz NOT NULL,
    verified_at     timestamptz,
    last_used_at    timestamptz,
    removed_at      timestamptz,
    removed_by      text
);
CREATE INDEX devices_user_active ON devices (user_id) WHERE state <> 'removed';

CREATE TABLE enrollments (
    id            uuid        PRIMARY KEY,
    user_id       uuid        NOT NULL REFERENCES users (id),
    code_hash     bytea       NOT NULL UNIQUE,            -- SHA-256 of the one-time activation code
    state         text        NOT NULL CHECK (state IN ('waiting', 'activated', 'verified', 'expired')),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    device_id     uuid        REFERENCES devices (id),
    test_sign_in_id uuid
);
CREATE INDEX enrollments_user ON enrollments (user_id);

CREATE TABLE sign_ins (
    id                 uuid        PRIMARY KEY,
    user_id            uuid        NOT NULL REFERENCES users (id),
    kind               text        NOT NULL CHECK (kind IN ('sign-in', 'registration-test')),
    state              text        NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'expired', 'registration_required')),
    reason             text,
    method             text,                              -- how it was decided: none, push, totp, remembered
    number             text,                              -- the number to match; shown on the sign-in screen only
    app                text        NOT NULL,
    ip                 text,
    location           text,
    target_device_id   uuid        REFERENCES devices (id), -- registration-test: the device under test
    decided_device_id  uuid,
    decided_at         timestamptz,
    remember_requested boolean     NOT NULL DEFAULT false,
    result_claimed     boolean     NOT NULL DEFAULT false, -- the session token is handed out once
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL
);
CREATE INDEX sign_ins_pending_user ON sign_ins (user_id) WHERE state = 'pending';

CREATE TABLE sessions (
    token_hash    bytea       PRIMARY KEY,                -- SHA-256 of the bearer token
    user_id       uuid        NOT NULL REFERENCES users (id),
    scope         text        NOT NULL CHECK (scope IN ('full', 'registration')),
    mfa_completed boolean     NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE remembered_devices (
    token_hash  bytea       PRIMARY KEY,                  -- SHA-256 of the remember token
    user_id     uuid        NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX remembered_devices_user ON remembered_devices (user_id);

CREATE TABLE settings (
    singleton              boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    security_defaults      boolean     NOT NULL DEFAULT true,
    security_defaults_since timestamptz NOT NULL DEFAULT now(),
    app_passwords_allowed  boolean     NOT NULL DEFAULT false,
    remember_mfa_days      integer     NOT NULL DEFAULT 14 CHECK (remember_mfa_days BETWEEN 0 AND 365),
    number_digits          integer     NOT NULL DEFAULT 2 CHECK (number_digits BETWEEN 2 AND 6)
);
INSERT INTO settings DEFAULT VALUES;

CREATE TABLE audit_events (
    id          bigserial   PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    type        text        NOT NULL,
    actor       text        NOT NULL,
    target      text,
    outcome     text        NOT NULL,
    detail      jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_time ON audit_events (occurred_at);
CREATE INDEX audit_events_target ON audit_events (target);
