-- ContentWatch schema, version 4 (SQLite): a row for every verdict write the database accepted, with the claim that held
-- the item at that moment. Several workers share the items through leased claims (claim_token, claim_until), and a
-- second verdict for an item is refused (ContentWatch.Storage.Sqlite.SqliteClassificationStore.SaveVerdictsAsync);
-- this log makes that observable: one row per item classified once, two rows if a verdict were ever written twice.
CREATE TABLE verdict_writes (
    item_id       TEXT NOT NULL REFERENCES items (id),
    claim_token   TEXT NULL,       -- the lease the item was under when its verdict was written
    model_version TEXT NULL,
    written_at    TEXT NOT NULL
);

CREATE INDEX ix_verdict_writes_item_id ON verdict_writes (item_id);

-- Fires only for rows the verdict UPDATE actually changed (its WHERE refuses items that already have a verdict).
CREATE TRIGGER tr_items_verdict_written AFTER UPDATE OF classified_at ON items
WHEN NEW.classified_at IS NOT NULL
BEGIN
    INSERT INTO verdict_writes (item_id, claim_token, model_version, written_at)
    VALUES (NEW.id, OLD.claim_token, NEW.model_version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
