-- ContentWatch schema, version 4 (SQL Server): a row for every verdict write the database accepted, with the claim
-- that held the item at that moment (see Schema/Sqlite/0004_verdict_writes.sql). SQLite fills it with a trigger; here
-- the verdict UPDATE itself writes it with OUTPUT ... INTO (SqlServerClassificationStore.SaveVerdict), because a
-- trigger on items would forbid the plain OUTPUT the claim relies on.
CREATE TABLE verdict_writes (
    seq           bigint        IDENTITY(1, 1) NOT NULL CONSTRAINT pk_verdict_writes PRIMARY KEY,
    item_id       nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_verdict_writes_items REFERENCES items (id),
    claim_token   nvarchar(32)  COLLATE Latin1_General_100_BIN2 NULL,
    model_version nvarchar(200) NULL,
    written_at    nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL
);

CREATE INDEX ix_verdict_writes_item_id ON verdict_writes (item_id);
