-- ContentWatch schema, version 5 (SQL Server): who is behind it (see Schema/Sqlite/0005_networks.sql). Indicator values
-- are normalised and at most 400 characters, so (item_id, type, value) fits SQL Server's 900-byte clustered key; they
-- compare in the binary collation, exactly as in SQLite.

CREATE TABLE item_indicators (
    item_id nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_item_indicators_items REFERENCES items (id),
    type    nvarchar(16)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    value   nvarchar(400) COLLATE Latin1_General_100_BIN2 NOT NULL,
    CONSTRAINT pk_item_indicators PRIMARY KEY (item_id, type, value)
);

CREATE INDEX ix_item_indicators_type_value ON item_indicators (type, value);

CREATE TABLE clusters (
    id         nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_clusters PRIMARY KEY,
    created_at nvarchar(24) COLLATE Latin1_General_100_BIN2 NOT NULL
);

CREATE TABLE item_signatures (
    item_id     nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_item_signatures PRIMARY KEY
        CONSTRAINT fk_item_signatures_items REFERENCES items (id),
    signature   varbinary(512) NOT NULL,
    cluster_id  nvarchar(32)   COLLATE Latin1_General_100_BIN2 NULL CONSTRAINT fk_item_signatures_clusters REFERENCES clusters (id),
    analysed_at nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL
);

CREATE INDEX ix_item_signatures_cluster_id ON item_signatures (cluster_id) WHERE cluster_id IS NOT NULL;

CREATE TABLE cluster_bands (
    band_key bigint       NOT NULL CONSTRAINT pk_cluster_bands PRIMARY KEY,
    item_id  nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_cluster_bands_items REFERENCES items (id)
);

CREATE TABLE watchlist (
    id             nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_watchlist PRIMARY KEY,
    seq            bigint         IDENTITY(1, 1) NOT NULL,
    type           nvarchar(16)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    value          nvarchar(400)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    reason         nvarchar(2000) NOT NULL,
    item_id        nvarchar(32)   COLLATE Latin1_General_100_BIN2 NULL CONSTRAINT fk_watchlist_items REFERENCES items (id),
    decision_id    nvarchar(32)   COLLATE Latin1_General_100_BIN2 NULL CONSTRAINT fk_watchlist_decisions REFERENCES decisions (id),
    category       nvarchar(64)   COLLATE Latin1_General_100_BIN2 NULL,
    added_by       nvarchar(200)  NOT NULL,
    added_at       nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    removed_at     nvarchar(24)   COLLATE Latin1_General_100_BIN2 NULL,
    removed_by     nvarchar(200)  NULL,
    removed_reason nvarchar(2000) NULL
);

CREATE INDEX ix_watchlist_active ON watchlist (type, value) WHERE removed_at IS NULL;

CREATE UNIQUE INDEX uq_watchlist_item_indicator ON watchlist (item_id, type, value) WHERE item_id IS NOT NULL;

CREATE TABLE watchlist_events (
    id       nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_watchlist_events PRIMARY KEY,
    seq      bigint         IDENTITY(1, 1) NOT NULL,
    entry_id nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_watchlist_events_watchlist REFERENCES watchlist (id),
    action   nvarchar(16)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT ck_watchlist_events_action CHECK (action IN (N'add', N'remove')),
    actor    nvarchar(200)  NOT NULL,
    at       nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    reason   nvarchar(2000) NULL
);

CREATE INDEX ix_watchlist_events_entry_id ON watchlist_events (entry_id, at, seq);

ALTER TABLE items ADD watchlisted bit NOT NULL CONSTRAINT df_items_watchlisted DEFAULT 0;

ALTER TABLE decisions ADD cluster_id nvarchar(32) COLLATE Latin1_General_100_BIN2 NULL CONSTRAINT fk_decisions_clusters REFERENCES clusters (id);

CREATE INDEX ix_reports_reporter_email ON reports (reporter_email) WHERE reporter_email IS NOT NULL;
GO

-- The queue's index gains the watchlist flag (a new batch: the column must exist when the index is compiled).
DROP INDEX ix_items_review_queue ON items;
CREATE INDEX ix_items_review_queue ON items (priority DESC, watchlisted DESC, first_reported_at, seq) WHERE status = N'in_review';
GO

-- watchlist_events is append-only: an UPDATE or DELETE that touches a row fails and rolls back.
CREATE TRIGGER tr_watchlist_events_no_update ON watchlist_events INSTEAD OF UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'watchlist_events is append-only', 1;
END;
GO

CREATE TRIGGER tr_watchlist_events_no_delete ON watchlist_events INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'watchlist_events is append-only', 1;
END;
