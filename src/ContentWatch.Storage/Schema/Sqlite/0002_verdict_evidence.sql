-- ContentWatch schema, version 2 (SQLite): a verdict's evidence (ContentWatch.Core.Classification.Evidence) as JSON.
ALTER TABLE items ADD COLUMN evidence_json TEXT NULL;
