-- Accounts, what they may do where, their API tokens and sessions; decisions made on the
-- site about patches (one document per patch, versioned), and every change as an event.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE grants (
    user_id INTEGER NOT NULL REFERENCES users (id),
    distribution TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, distribution)
);

CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    label TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE sessions (
    hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    distribution_id INTEGER NOT NULL REFERENCES distributions (id),
    patch TEXT NOT NULL,
    fingerprint TEXT,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (distribution_id, patch)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    distribution_id INTEGER NOT NULL REFERENCES distributions (id),
    patch TEXT NOT NULL,
    what TEXT NOT NULL,
    version INTEGER NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL
);
CREATE INDEX events_by_patch ON events (distribution_id, patch, id);
CREATE INDEX events_by_actor ON events (actor, id);
