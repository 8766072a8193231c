-- ContentWatch schema, version 2 (SQL Server): a verdict's evidence (ContentWatch.Core.Classification.Evidence) as JSON.
ALTER TABLE items ADD evidence_json nvarchar(max) NULL;
