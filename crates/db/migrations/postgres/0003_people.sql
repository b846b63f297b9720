-- Accounts, what they may do where, their API tokens and sessions; decisions made on the
-- site about patches (one document per patch, versioned), and every change as an event.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE grants (
    user_id BIGINT NOT NULL REFERENCES users (id),
    distribution TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, distribution)
);

CREATE TABLE tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE sessions (
    hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE decisions (
    id BIGSERIAL PRIMARY KEY,
    distribution_id BIGINT NOT NULL REFERENCES distributions (id),
    patch TEXT NOT NULL,
    fingerprint TEXT,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (distribution_id, patch)
);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    distribution_id BIGINT NOT NULL REFERENCES distributions (id),
    patch TEXT NOT NULL,
    what TEXT NOT NULL,
    version BIGINT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL
);
CREATE INDEX events_by_patch ON events (distribution_id, patch, id);
CREATE INDEX events_by_actor ON events (actor, id);
