-- Personal access tokens (kdt_...): many per user, scoped, expiring, optionally limited to networks.
CREATE TABLE access_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- keyed hash (HMAC) of the token: it is found by this and never stored in any other form
    lookup_hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    -- {"resource": "read" | "write"} as JSON
    scopes TEXT NOT NULL,
    -- JSON array of CIDR networks; [] for anywhere
    allowed_networks TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- NULL: never expires (only where the account's token policy allows it)
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    last_used_ip TEXT,
    -- JSON array of the addresses it has been used from, so a new one is logged once
    seen_ips TEXT NOT NULL DEFAULT '[]',
    expiry_notice_sent BOOLEAN NOT NULL DEFAULT FALSE,
    expiry_recorded BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX access_tokens_user_id ON access_tokens(user_id);
CREATE INDEX access_tokens_expires_at ON access_tokens(expires_at);

-- What tokens an account's users may create; no row means the defaults (366 days, expiry required).
CREATE TABLE token_policies (
    account_id TEXT PRIMARY KEY NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    max_lifetime_days INTEGER NOT NULL,
    allow_no_expiry BOOLEAN NOT NULL
);
