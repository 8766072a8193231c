-- ContentWatch schema, version 5 (SQLite): desk sessions that can be revoked, sign-in attempts counted in a window,
-- accounts locked by an admin, and API keys that can be revoked, with the time each was last used.

-- A desk cookie carries the account's security stamp; a new stamp (sign-out, lock, password reset, lock-out) refuses
-- every cookie issued before. failures_since starts the window in which failed_sign_ins counts attempts.
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN failures_since TEXT NULL;
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
UPDATE users SET security_stamp = lower(hex(randomblob(16)));

-- bootstrap marks the key made from CONTENTWATCH_BOOTSTRAP_ADMIN_KEY: setting another value revokes it.
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT NULL;
ALTER TABLE api_keys ADD COLUMN revoked_at TEXT NULL;
ALTER TABLE api_keys ADD COLUMN bootstrap INTEGER NOT NULL DEFAULT 0;
