-- ContentWatch schema, version 9 (SQLite): the model registry and the learning loop. Registered models with their
-- files (so any node loads any of them from the database), the audited history of their status, shadow verdicts, notes
-- the system writes on items, and rescore runs in batches.

-- One row per model file: id is the model version from its metadata; metrics and training data as JSON.
CREATE TABLE models (
    id               TEXT    NOT NULL PRIMARY KEY,
    sha256           TEXT    NOT NULL,
    bytes            INTEGER NOT NULL,
    created_at       TEXT    NOT NULL,   -- registered
    trained_at       TEXT    NULL,
    review_threshold REAL    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('candidate', 'shadow', 'active', 'retired')),
    status_at        TEXT    NOT NULL,
    metrics_json     TEXT    NOT NULL,
    training_json    TEXT    NOT NULL
);

-- At most one active and one shadow model; every node polls this (ContentWatch.Core.Models.ModelRegistry.RefreshAsync).
CREATE UNIQUE INDEX ux_models_live ON models (status) WHERE status IN ('active', 'shadow');

-- The model files themselves (a few MB each), apart from the rows the registry lists.
CREATE TABLE model_files (
    model_id TEXT NOT NULL PRIMARY KEY REFERENCES models (id),
    content  BLOB NOT NULL
);

-- Every registration and status change: who, when, forced or not, and the promotion gate's comparison (append-only).
CREATE TABLE model_events (
    id          TEXT    NOT NULL PRIMARY KEY,
    model_id    TEXT    NOT NULL REFERENCES models (id),
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    from_status TEXT    NULL,
    to_status   TEXT    NOT NULL,
    forced      INTEGER NOT NULL CHECK (forced IN (0, 1)),
    comparison  TEXT    NULL
);

CREATE INDEX ix_model_events_model_id ON model_events (model_id, at);

CREATE TRIGGER tr_model_events_no_update BEFORE UPDATE ON model_events
BEGIN
    SELECT RAISE(ABORT, 'model_events is append-only');
END;

CREATE TRIGGER tr_model_events_no_delete BEFORE DELETE ON model_events
BEGIN
    SELECT RAISE(ABORT, 'model_events is append-only');
END;

-- A shadow model's verdict on an item, written with the item's own verdict; it never queues anything.
CREATE TABLE shadow_verdicts (
    item_id       TEXT NOT NULL REFERENCES items (id),
    model_id      TEXT NOT NULL REFERENCES models (id),
    label         TEXT NOT NULL,
    score         REAL NOT NULL,
    scores_json   TEXT NOT NULL,
    classified_at TEXT NOT NULL,
    PRIMARY KEY (item_id, model_id)
) WITHOUT ROWID;

CREATE INDEX ix_shadow_verdicts_model_id ON shadow_verdicts (model_id);

-- Notes the system writes on an item, e.g. a rescore that sent a dismissed item back to review (append-only).
CREATE TABLE item_notes (
    id       TEXT NOT NULL PRIMARY KEY,
    item_id  TEXT NOT NULL REFERENCES items (id),
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    note     TEXT NOT NULL,
    model_id TEXT NULL,
    run_id   TEXT NULL
);

CREATE INDEX ix_item_notes_item_id ON item_notes (item_id, at);

CREATE TRIGGER tr_item_notes_no_update BEFORE UPDATE ON item_notes
BEGIN
    SELECT RAISE(ABORT, 'item_notes is append-only');
END;

CREATE TRIGGER tr_item_notes_no_delete BEFORE DELETE ON item_notes
BEGIN
    SELECT RAISE(ABORT, 'item_notes is append-only');
END;

-- A rescore with one model: which items (numbered into batches when it was created), and each item's outcome.
CREATE TABLE rescore_runs (
    id                TEXT    NOT NULL PRIMARY KEY,
    model_id          TEXT    NOT NULL REFERENCES models (id),
    since             TEXT    NOT NULL,
    include_dismissed INTEGER NOT NULL CHECK (include_dismissed IN (0, 1)),
    dismissed_from    TEXT    NOT NULL,
    dismissed_to      TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    created_by        TEXT    NOT NULL,
    total             INTEGER NOT NULL,
    batches           INTEGER NOT NULL
);

-- One Hangfire job carries one batch; a worker holds it under a lease until it is done.
CREATE TABLE rescore_batches (
    run_id      TEXT    NOT NULL REFERENCES rescore_runs (id),
    batch       INTEGER NOT NULL,
    claim_until TEXT    NULL,
    done_at     TEXT    NULL,
    PRIMARY KEY (run_id, batch)
) WITHOUT ROWID;

CREATE INDEX ix_rescore_batches_open ON rescore_batches (run_id, batch) WHERE done_at IS NULL;

CREATE TABLE rescore_items (
    run_id  TEXT    NOT NULL REFERENCES rescore_runs (id),
    item_id TEXT    NOT NULL REFERENCES items (id),
    batch   INTEGER NOT NULL,
    outcome TEXT    NULL,
    score   REAL    NULL,   -- the rescoring model's harmful score, when it scored the item
    PRIMARY KEY (run_id, item_id)
) WITHOUT ROWID;

CREATE INDEX ix_rescore_items_batch ON rescore_items (run_id, batch);
