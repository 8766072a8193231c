-- ContentWatch schema, version 3 (SQL Server): review desk accounts, and indexes for the desk's dashboard
-- (see Schema/Sqlite/0003_desk.sql). User names and roles use the binary collation, so matches are exact and
-- case-sensitive as in SQLite; UserService.Validate bounds a user name to 64 characters.

-- Desk accounts (officer, supervisor, admin). Only a PBKDF2 hash of the password is kept. No trigger: the failed
-- sign-in count is updated and read back in one UPDATE ... OUTPUT (SqlServerUserStore.RecordFailedSignIn).
CREATE TABLE users (
    id              nvarchar(32)  COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT pk_users PRIMARY KEY,
    seq             bigint        IDENTITY(1, 1) NOT NULL,
    username        nvarchar(64)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    role            nvarchar(16)  COLLATE Latin1_General_100_BIN2 NOT NULL
        CONSTRAINT ck_users_role CHECK (role IN (N'officer', N'supervisor', N'admin')),
    password_hash   nvarchar(400) COLLATE Latin1_General_100_BIN2 NOT NULL,
    failed_sign_ins int           NOT NULL CONSTRAINT df_users_failed_sign_ins DEFAULT 0,
    locked_until    nvarchar(24)  COLLATE Latin1_General_100_BIN2 NULL,
    created_at      nvarchar(24)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    CONSTRAINT uq_users_username UNIQUE (username)
);

-- Dashboard: items flagged per day, decisions per day.
CREATE INDEX ix_items_classified_at ON items (classified_at) INCLUDE (status);
CREATE INDEX ix_decisions_at ON decisions (at) INCLUDE (decision, status_before);
