-- Distributions, the snapshots of their analysis, and the refresh jobs that make them.
CREATE TABLE distributions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    config TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    distribution_id INTEGER NOT NULL REFERENCES distributions (id),
    taken_at INTEGER NOT NULL,
    inputs TEXT NOT NULL,
    patches INTEGER NOT NULL,
    counts TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX snapshots_by_distribution ON snapshots (distribution_id, id);

CREATE TABLE refreshes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    distribution_id INTEGER NOT NULL REFERENCES distributions (id),
    state TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    requested_by TEXT NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    worker TEXT,
    error TEXT,
    inputs TEXT,
    snapshot_id INTEGER REFERENCES snapshots (id)
);
CREATE UNIQUE INDEX refreshes_one_queued ON refreshes (distribution_id) WHERE state = 'queued';
CREATE INDEX refreshes_by_state ON refreshes (state, id);
