-- The security log: one row per security-relevant event.
CREATE TABLE security_events (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- who did it, or whose sign-in it was; kept as null when that user is deleted
    user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX security_events_account ON security_events(account_id, created_at);
CREATE INDEX security_events_user ON security_events(user_id, created_at);
