-- ContentWatch schema, version 6 (SQLite): named entities an entity service (Azure AI Language, when on) found in an
-- item: locations along a route, organisations. Replaced with the item's indicators when it is analysed.
CREATE TABLE item_entities (
    item_id  TEXT NOT NULL REFERENCES items (id),
    category TEXT NOT NULL,   -- location, organization
    text     TEXT NOT NULL,   -- at most 200 characters
    PRIMARY KEY (item_id, category, text)
) WITHOUT ROWID;
