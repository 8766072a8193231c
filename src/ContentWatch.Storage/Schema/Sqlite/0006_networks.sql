-- ContentWatch schema, version 5 (SQLite): who is behind it. Indicators found in each item, near-duplicate clusters
-- (MinHash signatures and LSH band keys, ContentWatch.Core.Networks.MinHasher), the watchlist with its audit, and the
-- cluster a decision was taken for.

-- The indicators of an item's text and title, normalised (ContentWatch.Core.Networks.IndicatorExtractor).
CREATE TABLE item_indicators (
    item_id TEXT NOT NULL REFERENCES items (id),
    type    TEXT NOT NULL,
    value   TEXT NOT NULL,   -- at most 400 characters
    PRIMARY KEY (item_id, type, value)
) WITHOUT ROWID;

-- Items sharing an indicator.
CREATE INDEX ix_item_indicators_type_value ON item_indicators (type, value);

-- Near-duplicate clusters: an item joins the cluster of its most similar earlier item at or above the threshold.
CREATE TABLE clusters (
    id         TEXT NOT NULL PRIMARY KEY,
    created_at TEXT NOT NULL
);

-- One row per analysed item: its MinHash signature (128 little-endian 32-bit minimums) and its cluster, if any.
CREATE TABLE item_signatures (
    item_id     TEXT NOT NULL PRIMARY KEY REFERENCES items (id),
    signature   BLOB NOT NULL,
    cluster_id  TEXT NULL REFERENCES clusters (id),
    analysed_at TEXT NOT NULL
);

CREATE INDEX ix_item_signatures_cluster_id ON item_signatures (cluster_id) WHERE cluster_id IS NOT NULL;

-- LSH: the first item seen with each band key (band hashes of its signature). A later item sharing a key is compared
-- with that item; keeping one item per key bounds both the table and the comparisons.
CREATE TABLE cluster_bands (
    band_key INTEGER NOT NULL PRIMARY KEY,
    item_id  TEXT    NOT NULL REFERENCES items (id)
);

-- Watched indicators. From a confirmation: item_id, decision_id and category cite it; from an officer: they are null.
-- A removed entry stays with who removed it, when and why.
CREATE TABLE watchlist (
    id             TEXT NOT NULL PRIMARY KEY,
    type           TEXT NOT NULL,
    value          TEXT NOT NULL,
    reason         TEXT NOT NULL,
    item_id        TEXT NULL REFERENCES items (id),
    decision_id    TEXT NULL REFERENCES decisions (id),
    category       TEXT NULL,
    added_by       TEXT NOT NULL,
    added_at       TEXT NOT NULL,
    removed_at     TEXT NULL,
    removed_by     TEXT NULL,
    removed_reason TEXT NULL
);

-- The active watchlist by indicator (the check every new item makes).
CREATE INDEX ix_watchlist_active ON watchlist (type, value) WHERE removed_at IS NULL;

-- A confirmed item puts each of its indicators on the watchlist once, however often it is confirmed or swept.
CREATE UNIQUE INDEX uq_watchlist_item_indicator ON watchlist (item_id, type, value) WHERE item_id IS NOT NULL;

-- Who added or removed a watchlist entry, when and why (append-only).
CREATE TABLE watchlist_events (
    id       TEXT NOT NULL PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES watchlist (id),
    action   TEXT NOT NULL CHECK (action IN ('add', 'remove')),
    actor    TEXT NOT NULL,
    at       TEXT NOT NULL,
    reason   TEXT NULL
);

CREATE INDEX ix_watchlist_events_entry_id ON watchlist_events (entry_id, at);

CREATE TRIGGER tr_watchlist_events_no_update BEFORE UPDATE ON watchlist_events
BEGIN
    SELECT RAISE(ABORT, 'watchlist_events is append-only');
END;

CREATE TRIGGER tr_watchlist_events_no_delete BEFORE DELETE ON watchlist_events
BEGIN
    SELECT RAISE(ABORT, 'watchlist_events is append-only');
END;

-- An item that shares a watched indicator goes to review whatever its score, and sorts above items of the same score.
ALTER TABLE items ADD COLUMN watchlisted INTEGER NOT NULL DEFAULT 0 CHECK (watchlisted IN (0, 1));

DROP INDEX ix_items_review_queue;
CREATE INDEX ix_items_review_queue ON items ((score * report_count) DESC, watchlisted DESC, first_reported_at) WHERE status = 'in_review';

-- A decision taken for a whole cluster names it.
ALTER TABLE decisions ADD COLUMN cluster_id TEXT NULL REFERENCES clusters (id);

-- Reporters' e-mail addresses never leave in a shared indicator (the export checks each watched e-mail).
CREATE INDEX ix_reports_reporter_email ON reports (reporter_email COLLATE NOCASE) WHERE reporter_email IS NOT NULL;
