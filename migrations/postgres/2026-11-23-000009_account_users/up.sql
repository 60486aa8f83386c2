-- Admin options: per-user permissions, the last sign-in, and the account's company details.
ALTER TABLE users ADD COLUMN can_create BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN can_share BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMP;
ALTER TABLE accounts ADD COLUMN company_name TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN zip TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN phone TEXT NOT NULL DEFAULT '';

-- Links that let a user set a password: an invitation or a reset. Stored as hashes; single use.
CREATE TABLE password_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- invite or reset
    purpose TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX password_tokens_user_id ON password_tokens(user_id);
