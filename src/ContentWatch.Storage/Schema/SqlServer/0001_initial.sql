-- ContentWatch schema, version 1 (SQL Server): the same tables and columns as Schema/Sqlite/0001_initial.sql.
-- Times are ISO 8601 UTC text with milliseconds (yyyy-MM-ddTHH:mm:ss.fffZ), as in SQLite: fixed width and compared
-- in a binary collation, so text order is time order. Ids are version-7 GUIDs as 32 lower-case hex digits.
-- Keys, ids and times use a binary collation (exact, case-sensitive matches, as in SQLite); free text keeps the
-- database's collation. Bounds follow the intake limits (ContentWatch.Core.Intake.ReportParser).
-- The migrator runs each batch (split on GO lines) in one transaction under an application lock.

-- One row per distinct reported post or job ad. Two reports are the same item when they share the platform and the
-- URL key, or the platform and the normalised-text key (ContentWatch.Core.Intake.DuplicateKeys). A URL key can be
-- longer than SQL Server's index key limit, so uniqueness is on its SHA-256.
CREATE TABLE items (
    id                nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_items PRIMARY KEY,
    seq               bigint         IDENTITY(1, 1) NOT NULL,   -- insertion order, the tie-break SQLite's rowid gives
    platform          nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    url               nvarchar(2048) NOT NULL,
    url_key           nvarchar(max)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    url_key_hash      AS CAST(HASHBYTES('SHA2_256', url_key) AS binary(32)) PERSISTED NOT NULL,
    text              nvarchar(max)  NOT NULL,
    text_sha256       nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL,   -- SHA-256 of the exact text, the evidence hash in exports
    text_key          nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL,   -- SHA-256 of the normalised text, for duplicates
    kind              nvarchar(16)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    external_id       nvarchar(256)  NULL,
    title             nvarchar(1000) NULL,
    language          nvarchar(35)   NULL,
    author            nvarchar(256)  NULL,
    posted_at         nvarchar(24)   COLLATE Latin1_General_100_BIN2 NULL,
    status            nvarchar(16)   COLLATE Latin1_General_100_BIN2 NOT NULL
        CONSTRAINT ck_items_status CHECK (status IN (N'pending', N'in_review', N'dismissed', N'confirmed', N'rejected')),
    report_count      int            NOT NULL CONSTRAINT ck_items_report_count CHECK (report_count >= 1),
    first_reported_at nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    last_reported_at  nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    label             nvarchar(64)   COLLATE Latin1_General_100_BIN2 NULL,   -- verdict: set together by classification
    score             float          NULL,
    scores_json       nvarchar(max)  NULL,
    model_version     nvarchar(200)  NULL,
    classified_at     nvarchar(24)   COLLATE Latin1_General_100_BIN2 NULL,
    claim_token       nvarchar(32)   COLLATE Latin1_General_100_BIN2 NULL,   -- classification lease: live while claim_until is in the future
    claim_until       nvarchar(24)   COLLATE Latin1_General_100_BIN2 NULL,
    priority          AS (score * report_count) PERSISTED,                    -- the review queue's order
    CONSTRAINT uq_items_platform_url_key UNIQUE (platform, url_key_hash),
    CONSTRAINT uq_items_platform_text_key UNIQUE (platform, text_key)
);

-- Claiming pending items whose lease is missing or over, oldest first.
CREATE INDEX ix_items_pending_claim ON items (first_reported_at, seq) INCLUDE (claim_until) WHERE status = N'pending';

-- Listing by status.
CREATE INDEX ix_items_status_first_reported_at ON items (status, first_reported_at, seq);

-- Listing by platform.
CREATE INDEX ix_items_platform_first_reported_at ON items (platform, first_reported_at, seq);

-- The review queue: in_review items, highest score x report count first.
CREATE INDEX ix_items_review_queue ON items (priority DESC, first_reported_at, seq) WHERE status = N'in_review';

-- Every report received, duplicates included.
CREATE TABLE reports (
    id                    nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_reports PRIMARY KEY,
    seq                   bigint         IDENTITY(1, 1) NOT NULL,
    item_id               nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_reports_item_id REFERENCES items (id),
    source                nvarchar(200)  NOT NULL,   -- api, import, scan:NAME
    received_at           nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    url                   nvarchar(2048) NOT NULL,   -- as reported; a duplicate may name another URL of the same item
    text                  nvarchar(max)  NULL,       -- a duplicate's own text and title (the first report's are the item's)
    title                 nvarchar(1000) NULL,
    kind                  nvarchar(16)   NULL,
    language              nvarchar(35)   NULL,
    external_id           nvarchar(256)  NULL,
    reporter_name         nvarchar(200)  NULL,
    reporter_email        nvarchar(254)  NULL,
    reporter_organisation nvarchar(200)  NULL,
    author                nvarchar(256)  NULL,
    posted_at             nvarchar(24)   COLLATE Latin1_General_100_BIN2 NULL,
    duplicate             bit            NOT NULL
);

CREATE INDEX ix_reports_item_id ON reports (item_id, received_at, seq);

-- Export batches: one file of notices for one platform.
CREATE TABLE exports (
    id                   nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_exports PRIMARY KEY,
    seq                  bigint        IDENTITY(1, 1) NOT NULL,
    platform             nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    created_at           nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    [count]              int           NOT NULL,
    notifier_name        nvarchar(200) NOT NULL,
    notifier_email       nvarchar(max) NOT NULL,   -- ExportOptions bounds the name (200), not the address
    good_faith_statement nvarchar(max) NOT NULL
);

CREATE INDEX ix_exports_platform_created_at ON exports (platform, created_at, seq);

-- One takedown referral per confirmed item.
CREATE TABLE referrals (
    id                  nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_referrals PRIMARY KEY,
    seq                 bigint         IDENTITY(1, 1) NOT NULL,
    item_id             nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_referrals_item_id REFERENCES items (id),
    platform            nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    category            nvarchar(64)   NOT NULL,
    explanation         nvarchar(max)  NOT NULL,
    status              nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    created_at          nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    decided_at          nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    reported_at         nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,   -- the item's first report
    automated_detection bit            NOT NULL,
    evidence_sha256     nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    export_id           nvarchar(32)   COLLATE Latin1_General_100_BIN2 NULL CONSTRAINT fk_referrals_export_id REFERENCES exports (id),
    status_at           nvarchar(24)   COLLATE Latin1_General_100_BIN2 NULL,
    status_note         nvarchar(2000) NULL,
    CONSTRAINT uq_referrals_item_id UNIQUE (item_id)
);

-- A platform's referrals by status, newest first.
CREATE INDEX ix_referrals_platform_status ON referrals (platform, status, created_at, seq);

-- The referrals waiting for an export batch.
CREATE INDEX ix_referrals_pending_export ON referrals (platform, created_at, seq) WHERE status = N'pending' AND export_id IS NULL;

CREATE INDEX ix_referrals_export_id ON referrals (export_id, created_at, seq);

-- History of a referral's status (append-only).
CREATE TABLE referral_status_events (
    id          nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_referral_status_events PRIMARY KEY,
    seq         bigint         IDENTITY(1, 1) NOT NULL,
    referral_id nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_referral_status_events_referral_id REFERENCES referrals (id),
    status      nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    at          nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,   -- when it happened, as reported
    note        nvarchar(2000) NULL,
    actor       nvarchar(300)  NOT NULL,
    recorded_at nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL
);

CREATE INDEX ix_referral_status_events_referral_id ON referral_status_events (referral_id, recorded_at, seq);

-- Officers' decisions (append-only audit).
CREATE TABLE decisions (
    id            nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_decisions PRIMARY KEY,
    seq           bigint         IDENTITY(1, 1) NOT NULL,
    item_id       nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_decisions_item_id REFERENCES items (id),
    actor         nvarchar(300)  NOT NULL,
    at            nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    decision      nvarchar(16)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT ck_decisions_decision CHECK (decision IN (N'confirm', N'reject')),
    category      nvarchar(64)   NULL,
    reason        nvarchar(2000) NOT NULL,
    status_before nvarchar(16)   NOT NULL,
    label_before  nvarchar(64)   NULL,
    score_before  float          NULL,
    status_after  nvarchar(16)   NOT NULL,
    referral_id   nvarchar(32)   COLLATE Latin1_General_100_BIN2 NULL CONSTRAINT fk_decisions_referral_id REFERENCES referrals (id)
);

CREATE INDEX ix_decisions_item_id_at ON decisions (item_id, at, seq);

-- API keys: only the hash is kept.
CREATE TABLE api_keys (
    id         nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_api_keys PRIMARY KEY,
    key_hash   nvarchar(128) COLLATE Latin1_General_100_BIN2 NOT NULL,
    role       nvarchar(32)  NOT NULL,
    platform   nvarchar(64)  COLLATE Latin1_General_100_BIN2 NULL,
    created_at nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash)
);

-- Units of scan sources already taken, written with their reports. A key can be long (a file path), so the primary
-- key holds its SHA-256.
CREATE TABLE scan_taken (
    source   nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL,
    [key]    nvarchar(max) COLLATE Latin1_General_100_BIN2 NOT NULL,
    key_hash AS CAST(HASHBYTES('SHA2_256', [key]) AS binary(32)) PERSISTED NOT NULL,
    taken_at nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    CONSTRAINT pk_scan_taken PRIMARY KEY (source, key_hash)
);
GO

-- decisions and referral_status_events are append-only: an UPDATE or DELETE that touches a row fails and rolls back.
CREATE TRIGGER tr_referral_status_events_no_update ON referral_status_events INSTEAD OF UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'referral_status_events is append-only', 1;
END;
GO

CREATE TRIGGER tr_referral_status_events_no_delete ON referral_status_events INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'referral_status_events is append-only', 1;
END;
GO

CREATE TRIGGER tr_decisions_no_update ON decisions INSTEAD OF UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'decisions is append-only', 1;
END;
GO

CREATE TRIGGER tr_decisions_no_delete ON decisions INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'decisions is append-only', 1;
END;
