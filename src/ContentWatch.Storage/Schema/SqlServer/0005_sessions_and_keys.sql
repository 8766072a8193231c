-- ContentWatch schema, version 5 (SQL Server): desk sessions that can be revoked, sign-in attempts counted in a window,
-- accounts locked by an admin, and API keys that can be revoked, with the time each was last used
-- (see Schema/Sqlite/0005_sessions_and_keys.sql).
ALTER TABLE users ADD
    security_stamp nvarchar(32) COLLATE Latin1_General_100_BIN2 NOT NULL CONSTRAINT df_users_security_stamp DEFAULT N'',
    failures_since nvarchar(24) COLLATE Latin1_General_100_BIN2 NULL,
    disabled       bit          NOT NULL CONSTRAINT df_users_disabled DEFAULT 0;
GO

UPDATE users SET security_stamp = LOWER(CONVERT(nvarchar(32), CRYPT_GEN_RANDOM(16), 2));

ALTER TABLE api_keys ADD
    last_used_at nvarchar(24) COLLATE Latin1_General_100_BIN2 NULL,
    revoked_at   nvarchar(24) COLLATE Latin1_General_100_BIN2 NULL,
    bootstrap    bit          NOT NULL CONSTRAINT df_api_keys_bootstrap DEFAULT 0;
