-- Stripe is enabled per account by an operator.
ALTER TABLE accounts ADD COLUMN stripe_enabled BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE oauth_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    -- live or test
    token_type TEXT NOT NULL,
    description TEXT NOT NULL,
    -- the connected Stripe account (acct_...)
    stripe_user_id TEXT NOT NULL,
    livemode BOOLEAN NOT NULL,
    scope TEXT NOT NULL,
    -- AES-256-GCM sealed (see crypto.rs)
    access_token_sealed TEXT NOT NULL,
    refresh_token_sealed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX oauth_tokens_account_id ON oauth_tokens(account_id);

-- Authorizations under way: the state sent to Stripe, bound to the session that started it.
CREATE TABLE oauth_states (
    -- SHA-256 of the state value; the value itself only travels through the browser
    state_hash TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    token_type TEXT NOT NULL,
    description TEXT NOT NULL,
    -- set when re-authorizing an existing token (its type changed)
    token_id TEXT REFERENCES oauth_tokens(id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL
);

ALTER TABLE deployments ADD COLUMN oauth_token_id TEXT REFERENCES oauth_tokens(id) ON DELETE SET NULL;
