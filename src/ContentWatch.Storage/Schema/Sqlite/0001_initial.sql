-- ContentWatch schema, version 1 (SQLite).
-- Times are ISO 8601 UTC text with milliseconds (yyyy-MM-ddTHH:mm:ss.fffZ): fixed width, so text order is time order.
-- Ids are version-7 GUIDs as 32 lower-case hex digits (ContentWatch.Core.Ids).

-- One row per distinct reported post or job ad. Two reports are the same item when they share the platform and the
-- URL key, or the platform and the normalised-text key (ContentWatch.Core.Intake.DuplicateKeys).
CREATE TABLE items (
    id                TEXT    NOT NULL PRIMARY KEY,
    platform          TEXT    NOT NULL,
    url               TEXT    NOT NULL,
    url_key           TEXT    NOT NULL,
    text              TEXT    NOT NULL,
    text_sha256       TEXT    NOT NULL,   -- SHA-256 of the exact text, the evidence hash in exports
    text_key          TEXT    NOT NULL,   -- SHA-256 of the normalised text, for duplicates
    kind              TEXT    NOT NULL,
    external_id       TEXT    NULL,
    title             TEXT    NULL,
    language          TEXT    NULL,
    author            TEXT    NULL,
    posted_at         TEXT    NULL,
    status            TEXT    NOT NULL CHECK (status IN ('pending', 'in_review', 'dismissed', 'confirmed', 'rejected')),
    report_count      INTEGER NOT NULL CHECK (report_count >= 1),
    first_reported_at TEXT    NOT NULL,
    last_reported_at  TEXT    NOT NULL,
    label             TEXT    NULL,       -- verdict: set together by classification
    score             REAL    NULL,
    scores_json       TEXT    NULL,
    model_version     TEXT    NULL,
    classified_at     TEXT    NULL,
    claim_token       TEXT    NULL,       -- classification lease: live while claim_until is in the future
    claim_until       TEXT    NULL,
    CONSTRAINT uq_items_platform_url_key UNIQUE (platform, url_key),
    CONSTRAINT uq_items_platform_text_key UNIQUE (platform, text_key)
);

-- Claiming pending items whose lease is missing or over.
CREATE INDEX ix_items_status_claim_until ON items (status, claim_until);

-- Listing by status (and claiming oldest first).
CREATE INDEX ix_items_status_first_reported_at ON items (status, first_reported_at);

-- Listing by platform.
CREATE INDEX ix_items_platform_first_reported_at ON items (platform, first_reported_at);

-- The review queue: in_review items, highest score x report count first.
CREATE INDEX ix_items_review_queue ON items ((score * report_count) DESC, first_reported_at) WHERE status = 'in_review';

-- Every report received, duplicates included.
CREATE TABLE reports (
    id                    TEXT    NOT NULL PRIMARY KEY,
    item_id               TEXT    NOT NULL REFERENCES items (id),
    source                TEXT    NOT NULL,   -- api, import, scan:NAME
    received_at           TEXT    NOT NULL,
    url                   TEXT    NOT NULL,   -- as reported; a duplicate may name another URL of the same item
    text                  TEXT    NULL,       -- a duplicate's own text and title (the first report's are the item's)
    title                 TEXT    NULL,
    kind                  TEXT    NULL,
    language              TEXT    NULL,
    external_id           TEXT    NULL,
    reporter_name         TEXT    NULL,
    reporter_email        TEXT    NULL,
    reporter_organisation TEXT    NULL,
    author                TEXT    NULL,
    posted_at             TEXT    NULL,
    duplicate             INTEGER NOT NULL CHECK (duplicate IN (0, 1))
);

CREATE INDEX ix_reports_item_id ON reports (item_id, received_at);

-- Export batches: one file of notices for one platform.
CREATE TABLE exports (
    id                   TEXT    NOT NULL PRIMARY KEY,
    platform             TEXT    NOT NULL,
    created_at           TEXT    NOT NULL,
    count                INTEGER NOT NULL,
    notifier_name        TEXT    NOT NULL,
    notifier_email       TEXT    NOT NULL,
    good_faith_statement TEXT    NOT NULL
);

CREATE INDEX ix_exports_platform_created_at ON exports (platform, created_at);

-- One takedown referral per confirmed item.
CREATE TABLE referrals (
    id                  TEXT    NOT NULL PRIMARY KEY,
    item_id             TEXT    NOT NULL REFERENCES items (id),
    platform            TEXT    NOT NULL,
    category            TEXT    NOT NULL,
    explanation         TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    created_at          TEXT    NOT NULL,
    decided_at          TEXT    NOT NULL,
    reported_at         TEXT    NOT NULL,   -- the item's first report
    automated_detection INTEGER NOT NULL CHECK (automated_detection IN (0, 1)),
    evidence_sha256     TEXT    NOT NULL,
    export_id           TEXT    NULL REFERENCES exports (id),
    status_at           TEXT    NULL,
    status_note         TEXT    NULL,
    CONSTRAINT uq_referrals_item_id UNIQUE (item_id)
);

CREATE INDEX ix_referrals_platform_status ON referrals (platform, status, created_at);
CREATE INDEX ix_referrals_export_id ON referrals (export_id);

-- History of a referral's status (append-only).
CREATE TABLE referral_status_events (
    id          TEXT NOT NULL PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    status      TEXT NOT NULL,
    at          TEXT NOT NULL,   -- when it happened, as reported
    note        TEXT NULL,
    actor       TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE INDEX ix_referral_status_events_referral_id ON referral_status_events (referral_id, recorded_at);

CREATE TRIGGER tr_referral_status_events_no_update BEFORE UPDATE ON referral_status_events
BEGIN
    SELECT RAISE(ABORT, 'referral_status_events is append-only');
END;

CREATE TRIGGER tr_referral_status_events_no_delete BEFORE DELETE ON referral_status_events
BEGIN
    SELECT RAISE(ABORT, 'referral_status_events is append-only');
END;

-- Officers' decisions (append-only audit).
CREATE TABLE decisions (
    id            TEXT NOT NULL PRIMARY KEY,
    item_id       TEXT NOT NULL REFERENCES items (id),
    actor         TEXT NOT NULL,
    at            TEXT NOT NULL,
    decision      TEXT NOT NULL CHECK (decision IN ('confirm', 'reject')),
    category      TEXT NULL,
    reason        TEXT NOT NULL,
    status_before TEXT NOT NULL,
    label_before  TEXT NULL,
    score_before  REAL NULL,
    status_after  TEXT NOT NULL,
    referral_id   TEXT NULL REFERENCES referrals (id)
);

CREATE INDEX ix_decisions_item_id_at ON decisions (item_id, at);

CREATE TRIGGER tr_decisions_no_update BEFORE UPDATE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions is append-only');
END;

CREATE TRIGGER tr_decisions_no_delete BEFORE DELETE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'decisions is append-only');
END;

-- API keys: only the hash is kept.
CREATE TABLE api_keys (
    id         TEXT NOT NULL PRIMARY KEY,
    key_hash   TEXT NOT NULL,
    role       TEXT NOT NULL,
    platform   TEXT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash)
);

-- Units of scan sources already taken, written with their reports.
CREATE TABLE scan_taken (
    source   TEXT NOT NULL,
    key      TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    PRIMARY KEY (source, key)
);
