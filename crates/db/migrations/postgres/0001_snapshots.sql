-- Distributions, the snapshots of their analysis, and the refresh jobs that make them.
CREATE TABLE distributions (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    config TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE snapshots (
    id BIGSERIAL PRIMARY KEY,
    distribution_id BIGINT NOT NULL REFERENCES distributions (id),
    taken_at BIGINT NOT NULL,
    inputs TEXT NOT NULL,
    patches BIGINT NOT NULL,
    counts TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX snapshots_by_distribution ON snapshots (distribution_id, id);

CREATE TABLE refreshes (
    id BIGSERIAL PRIMARY KEY,
    distribution_id BIGINT NOT NULL REFERENCES distributions (id),
    state TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    requested_by TEXT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    worker TEXT,
    error TEXT,
    inputs TEXT,
    snapshot_id BIGINT REFERENCES snapshots (id)
);
CREATE UNIQUE INDEX refreshes_one_queued ON refreshes (distribution_id) WHERE state = 'queued';
CREATE INDEX refreshes_by_state ON refreshes (state, id);
