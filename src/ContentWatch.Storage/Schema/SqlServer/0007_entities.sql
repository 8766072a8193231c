-- ContentWatch schema, version 6 (SQL Server): named entities found in an item (see Schema/Sqlite/0006_entities.sql).
CREATE TABLE item_entities (
    item_id  nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT fk_item_entities_items REFERENCES items (id),
    category nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    text     nvarchar(200) NOT NULL,
    CONSTRAINT pk_item_entities PRIMARY KEY (item_id, category, text)
);
