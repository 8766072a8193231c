-- ContentWatch schema, version 8 (SQL Server): push delivery to platform webhooks, takedown re-checks, sealed evidence
-- and the audit (decisions, watchlist) as hash chains (see Schema/Sqlite/0008_delivery_rechecks_audit.sql).

CREATE TABLE platform_webhooks (
    platform            nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_platform_webhooks PRIMARY KEY,
    url                 nvarchar(2048) NOT NULL,
    secret              nvarchar(max)  NOT NULL,   -- protected (ASP.NET Core Data Protection)
    previous_secret     nvarchar(max)  NULL,
    previous_expires_at nvarchar(24)   COLLATE Latin1_General_100_BIN2 NULL,
    created_at          nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    updated_at          nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    updated_by          nvarchar(300)  NOT NULL
);

CREATE TABLE deliveries (
    id              nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_deliveries PRIMARY KEY,
    seq             bigint         IDENTITY(1, 1) NOT NULL,
    platform        nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    kind            nvarchar(16)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT ck_deliveries_kind CHECK (kind IN (N'export', N'reminder')),
    export_id       nvarchar(32)   COLLATE Latin1_General_100_BIN2 NULL CONSTRAINT fk_deliveries_export_id REFERENCES exports (id),
    body            nvarchar(max)  NULL,
    status          nvarchar(16)   COLLATE Latin1_General_100_BIN2 NOT NULL
        CONSTRAINT ck_deliveries_status CHECK (status IN (N'pending', N'delivered', N'dead')),
    attempts        int            NOT NULL,
    created_at      nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    window_start_at nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    next_attempt_at nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    claim_token     nvarchar(32)   COLLATE Latin1_General_100_BIN2 NULL,
    claim_until     nvarchar(24)   COLLATE Latin1_General_100_BIN2 NULL,
    delivered_at    nvarchar(24)   COLLATE Latin1_General_100_BIN2 NULL,
    last_error      nvarchar(2000) NULL
);

CREATE UNIQUE INDEX uq_deliveries_export_id ON deliveries (export_id) WHERE export_id IS NOT NULL;
CREATE INDEX ix_deliveries_due ON deliveries (status, next_attempt_at, seq);

CREATE TABLE delivery_attempts (
    id          nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_delivery_attempts PRIMARY KEY,
    seq         bigint         IDENTITY(1, 1) NOT NULL,
    delivery_id nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_delivery_attempts_delivery_id REFERENCES deliveries (id),
    platform    nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    attempt     int            NOT NULL,
    at          nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    http_status int            NULL,
    status      nvarchar(16)   COLLATE Latin1_General_100_BIN2 NOT NULL
        CONSTRAINT ck_delivery_attempts_status CHECK (status IN (N'delivered', N'failed', N'dead')),
    error       nvarchar(2000) NULL,
    duration_ms bigint         NOT NULL
);

CREATE INDEX ix_delivery_attempts_platform_at ON delivery_attempts (platform, at, seq);

ALTER TABLE referrals ADD
    observed_state       nvarchar(16) COLLATE Latin1_General_100_BIN2 NULL,
    observed_http_status int          NULL,
    observed_at          nvarchar(24) COLLATE Latin1_General_100_BIN2 NULL,
    observed_sha256      nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL,
    gone_count           int          NOT NULL CONSTRAINT df_referrals_gone_count DEFAULT 0,
    first_gone_at        nvarchar(24) COLLATE Latin1_General_100_BIN2 NULL,
    status_source        nvarchar(16) COLLATE Latin1_General_100_BIN2 NULL,
    reminded_at          nvarchar(24) COLLATE Latin1_General_100_BIN2 NULL;

CREATE TABLE referral_checks (
    id             nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_referral_checks PRIMARY KEY,
    seq            bigint         IDENTITY(1, 1) NOT NULL,
    referral_id    nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_referral_checks_referral_id REFERENCES referrals (id),
    at             nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    state          nvarchar(16)   COLLATE Latin1_General_100_BIN2 NOT NULL
        CONSTRAINT ck_referral_checks_state CHECK (state IN (N'live', N'gone', N'changed', N'error')),
    http_status    int            NULL,
    content_sha256 nvarchar(64)   COLLATE Latin1_General_100_BIN2 NULL,
    error          nvarchar(2000) NULL
);

CREATE INDEX ix_referral_checks_referral_id ON referral_checks (referral_id, at, seq);

CREATE TABLE evidence_snapshots (
    referral_id nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_evidence_snapshots PRIMARY KEY
        CONSTRAINT fk_evidence_snapshots_referral_id REFERENCES referrals (id),
    item_id     nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_evidence_snapshots_item_id REFERENCES items (id),
    sealed_at   nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    sha256      nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    snapshot    nvarchar(max) NOT NULL
);

ALTER TABLE decisions ADD
    prev_hash nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL,
    hash      nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL;

ALTER TABLE watchlist_events ADD
    prev_hash nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL,
    hash      nvarchar(64) COLLATE Latin1_General_100_BIN2 NULL;
GO

-- A new column can be named only in a later batch than the one that adds it.
CREATE INDEX ix_referrals_observed_at ON referrals (status, observed_at, seq);
GO

CREATE TRIGGER tr_evidence_snapshots_no_update ON evidence_snapshots INSTEAD OF UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'evidence_snapshots is append-only', 1;
END;
GO

CREATE TRIGGER tr_evidence_snapshots_no_delete ON evidence_snapshots INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'evidence_snapshots is append-only', 1;
END;
