-- ContentWatch schema, version 3 (SQLite): review desk accounts, and indexes for the desk's dashboard.

-- Desk accounts (officer, supervisor, admin). Only a PBKDF2 hash of the password is kept.
CREATE TABLE users (
    id              TEXT    NOT NULL PRIMARY KEY,
    username        TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin')),
    password_hash   TEXT    NOT NULL,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT    NULL,
    created_at      TEXT    NOT NULL,
    CONSTRAINT uq_users_username UNIQUE (username)
);

-- Dashboard: items flagged per day, decisions per day.
CREATE INDEX ix_items_classified_at ON items (classified_at);
CREATE INDEX ix_decisions_at ON decisions (at);
