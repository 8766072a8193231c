-- ContentWatch schema, version 8 (SQLite): push delivery to platform webhooks, takedown re-checks, sealed evidence and
-- the audit (decisions, watchlist) as hash chains.

-- One webhook per platform. Secrets are kept protected (ASP.NET Core Data Protection), never in plain text; after a
-- rotation the previous secret still signs beside the new one until previous_expires_at.
CREATE TABLE platform_webhooks (
    platform            TEXT NOT NULL PRIMARY KEY,
    url                 TEXT NOT NULL,
    secret              TEXT NOT NULL,
    previous_secret     TEXT NULL,
    previous_expires_at TEXT NULL,
    created_at          TEXT NOT NULL,   -- batches made since then are pushed
    updated_at          TEXT NOT NULL,
    updated_by          TEXT NOT NULL
);

-- One delivery per export batch (or reminder) to push; its id is the webhook-id of every attempt.
CREATE TABLE deliveries (
    id              TEXT    NOT NULL PRIMARY KEY,
    platform        TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('export', 'reminder')),
    export_id       TEXT    NULL REFERENCES exports (id),
    body            TEXT    NULL,       -- a reminder's JSON; a batch is read from its export at each attempt
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    window_start_at TEXT    NOT NULL,   -- retries go on for Delivery:GiveUpHours from here; a manual re-send restarts it
    next_attempt_at TEXT    NOT NULL,
    claim_token     TEXT    NULL,       -- the attempt in flight: live while claim_until is in the future
    claim_until     TEXT    NULL,
    delivered_at    TEXT    NULL,
    last_error      TEXT    NULL
);

CREATE UNIQUE INDEX uq_deliveries_export_id ON deliveries (export_id) WHERE export_id IS NOT NULL;
CREATE INDEX ix_deliveries_due ON deliveries (status, next_attempt_at);

-- Every attempt (append-only).
CREATE TABLE delivery_attempts (
    id          TEXT    NOT NULL PRIMARY KEY,
    delivery_id TEXT    NOT NULL REFERENCES deliveries (id),
    platform    TEXT    NOT NULL,
    attempt     INTEGER NOT NULL,
    at          TEXT    NOT NULL,
    http_status INTEGER NULL,
    status      TEXT    NOT NULL CHECK (status IN ('delivered', 'failed', 'dead')),
    error       TEXT    NULL,
    duration_ms INTEGER NOT NULL
);

CREATE INDEX ix_delivery_attempts_platform_at ON delivery_attempts (platform, at);

-- Re-checks: the last observation of each referral's URL, the count of gone checks in a row, who set the status.
ALTER TABLE referrals ADD COLUMN observed_state TEXT NULL;
ALTER TABLE referrals ADD COLUMN observed_http_status INTEGER NULL;
ALTER TABLE referrals ADD COLUMN observed_at TEXT NULL;
ALTER TABLE referrals ADD COLUMN observed_sha256 TEXT NULL;        -- content hash of the last live answer
ALTER TABLE referrals ADD COLUMN gone_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN first_gone_at TEXT NULL;          -- the first gone check of the current run
ALTER TABLE referrals ADD COLUMN status_source TEXT NULL;          -- 'platform' or 'observed'
ALTER TABLE referrals ADD COLUMN reminded_at TEXT NULL;            -- overdue reminder sent

CREATE INDEX ix_referrals_observed_at ON referrals (status, observed_at);

-- Every re-check (append-only).
CREATE TABLE referral_checks (
    id             TEXT    NOT NULL PRIMARY KEY,
    referral_id    TEXT    NOT NULL REFERENCES referrals (id),
    at             TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('live', 'gone', 'changed', 'error')),
    http_status    INTEGER NULL,
    content_sha256 TEXT    NULL,
    error          TEXT    NULL
);

CREATE INDEX ix_referral_checks_referral_id ON referral_checks (referral_id, at);

-- What an officer confirmed, sealed at the referral: item, reports, verdict and decision as JSON, and its SHA-256.
CREATE TABLE evidence_snapshots (
    referral_id TEXT NOT NULL PRIMARY KEY REFERENCES referrals (id),
    item_id     TEXT NOT NULL REFERENCES items (id),
    sealed_at   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    snapshot    TEXT NOT NULL
);

CREATE TRIGGER tr_evidence_snapshots_no_update BEFORE UPDATE ON evidence_snapshots
BEGIN
    SELECT RAISE(ABORT, 'evidence_snapshots is append-only');
END;

CREATE TRIGGER tr_evidence_snapshots_no_delete BEFORE DELETE ON evidence_snapshots
BEGIN
    SELECT RAISE(ABORT, 'evidence_snapshots is append-only');
END;

-- The audit as hash chains (ContentWatch.Core.Audit.AuditChain), one per audit table: the decisions (item and cluster
-- decisions) and the watchlist's adds and removes. Each record carries the hash of the one written before it in its
-- table and its own. Records written before this version have neither.
ALTER TABLE decisions ADD COLUMN prev_hash TEXT NULL;
ALTER TABLE decisions ADD COLUMN hash TEXT NULL;
ALTER TABLE watchlist_events ADD COLUMN prev_hash TEXT NULL;
ALTER TABLE watchlist_events ADD COLUMN hash TEXT NULL;
