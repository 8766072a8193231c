-- ContentWatch schema, version 9 (SQL Server): the model registry and the learning loop (see
-- Schema/Sqlite/0009_model_registry.sql). Model ids are model versions (as items.model_version, at most 200 characters).

CREATE TABLE models (
    id               nvarchar(200)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_models PRIMARY KEY,
    seq              bigint         IDENTITY(1, 1) NOT NULL,
    sha256           nvarchar(64)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    bytes            bigint         NOT NULL,
    created_at       nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    trained_at       nvarchar(24)   COLLATE Latin1_General_100_BIN2 NULL,
    review_threshold float          NOT NULL,
    status           nvarchar(16)   COLLATE Latin1_General_100_BIN2 NOT NULL
        CONSTRAINT ck_models_status CHECK (status IN (N'candidate', N'shadow', N'active', N'retired')),
    status_at        nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    metrics_json     nvarchar(max)  NOT NULL,
    training_json    nvarchar(max)  NOT NULL
);

-- At most one active and one shadow model; every node polls this.
CREATE UNIQUE INDEX ux_models_live ON models (status) INCLUDE (sha256) WHERE status IN (N'active', N'shadow');

CREATE TABLE model_files (
    model_id nvarchar(200)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_model_files PRIMARY KEY
        CONSTRAINT fk_model_files_models REFERENCES models (id),
    content  varbinary(max) NOT NULL
);

CREATE TABLE model_events (
    id          nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_model_events PRIMARY KEY,
    seq         bigint        IDENTITY(1, 1) NOT NULL,
    model_id    nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_model_events_models REFERENCES models (id),
    at          nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    actor       nvarchar(200) NOT NULL,
    from_status nvarchar(16)  COLLATE Latin1_General_100_BIN2 NULL,
    to_status   nvarchar(16)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    forced      bit           NOT NULL,
    comparison  nvarchar(max) NULL
);

CREATE INDEX ix_model_events_model_id ON model_events (model_id, at, seq);

CREATE TABLE shadow_verdicts (
    item_id       nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_shadow_verdicts_items REFERENCES items (id),
    model_id      nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_shadow_verdicts_models REFERENCES models (id),
    label         nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    score         float         NOT NULL,
    scores_json   nvarchar(max) NOT NULL,
    classified_at nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    CONSTRAINT pk_shadow_verdicts PRIMARY KEY (item_id, model_id)
);

CREATE INDEX ix_shadow_verdicts_model_id ON shadow_verdicts (model_id) INCLUDE (label, score);

CREATE TABLE item_notes (
    id       nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_item_notes PRIMARY KEY,
    seq      bigint         IDENTITY(1, 1) NOT NULL,
    item_id  nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_item_notes_items REFERENCES items (id),
    at       nvarchar(24)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    actor    nvarchar(200)  NOT NULL,
    kind     nvarchar(32)   COLLATE Latin1_General_100_BIN2 NOT NULL,
    note     nvarchar(2000) NOT NULL,
    model_id nvarchar(200)  COLLATE Latin1_General_100_BIN2 NULL,
    run_id   nvarchar(32)   COLLATE Latin1_General_100_BIN2 NULL
);

CREATE INDEX ix_item_notes_item_id ON item_notes (item_id, at, seq);

CREATE TABLE rescore_runs (
    id                nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_rescore_runs PRIMARY KEY,
    model_id          nvarchar(200) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_rescore_runs_models REFERENCES models (id),
    since             nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    include_dismissed bit           NOT NULL,
    dismissed_from    nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    dismissed_to      nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    created_at        nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    created_by        nvarchar(200) NOT NULL,
    total             int           NOT NULL,
    batches           int           NOT NULL
);

CREATE TABLE rescore_batches (
    run_id      nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_rescore_batches_runs REFERENCES rescore_runs (id),
    batch       int          NOT NULL,
    claim_until nvarchar(24) COLLATE Latin1_General_100_BIN2 NULL,
    done_at     nvarchar(24) COLLATE Latin1_General_100_BIN2 NULL,
    CONSTRAINT pk_rescore_batches PRIMARY KEY (run_id, batch)
);

CREATE INDEX ix_rescore_batches_open ON rescore_batches (run_id, batch) INCLUDE (claim_until) WHERE done_at IS NULL;

CREATE TABLE rescore_items (
    run_id  nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_rescore_items_runs REFERENCES rescore_runs (id),
    item_id nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_rescore_items_items REFERENCES items (id),
    batch   int          NOT NULL,
    outcome nvarchar(16) COLLATE Latin1_General_100_BIN2 NULL,
    score   float        NULL,
    CONSTRAINT pk_rescore_items PRIMARY KEY (run_id, item_id)
);

CREATE INDEX ix_rescore_items_batch ON rescore_items (run_id, batch) INCLUDE (outcome);
GO

-- model_events and item_notes are append-only: an UPDATE or DELETE that touches a row fails and rolls back.
CREATE TRIGGER tr_model_events_no_update ON model_events INSTEAD OF UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'model_events is append-only', 1;
END;
GO

CREATE TRIGGER tr_model_events_no_delete ON model_events INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'model_events is append-only', 1;
END;
GO

CREATE TRIGGER tr_item_notes_no_update ON item_notes INSTEAD OF UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'item_notes is append-only', 1;
END;
GO

CREATE TRIGGER tr_item_notes_no_delete ON item_notes INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM deleted)
        THROW 51000, N'item_notes is append-only', 1;
END;
