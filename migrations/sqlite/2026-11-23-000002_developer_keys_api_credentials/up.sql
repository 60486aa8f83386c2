-- One developer key per user. Looked up by a keyed hash (HMAC-SHA-256 with a
-- server secret); the sealed copy (AES-256-GCM) is what Show Key opens.
CREATE TABLE developer_keys (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    lookup_hash TEXT NOT NULL UNIQUE,
    sealed_key TEXT NOT NULL,
    hint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    last_used_ip TEXT
);

-- Basic-auth credentials issued by POST /api/auth; they lapse 24 hours after their last use.
CREATE TABLE api_credentials (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tool TEXT NOT NULL,
    login TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL
);
CREATE INDEX api_credentials_user_id ON api_credentials(user_id);
