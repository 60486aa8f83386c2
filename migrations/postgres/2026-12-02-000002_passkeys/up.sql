-- Passkeys (WebAuthn credentials): the public key and signature counter as webauthn-rs keeps them.
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- base64url of the authenticator's credential id: one account per credential
    credential_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- webauthn-rs's Passkey as JSON: public, but its counter must only move forward
    credential TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX passkeys_user_id ON passkeys(user_id);

-- A WebAuthn ceremony in progress (registration, second factor or passwordless sign-in): stored
-- server-side so any instance can finish it, taken once, 5 minutes.
CREATE TABLE webauthn_ceremonies (
    -- SHA-256 of the token the client holds
    id TEXT PRIMARY KEY NOT NULL,
    -- NULL for a passwordless sign-in, where the passkey says who it is
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX webauthn_ceremonies_expires_at ON webauthn_ceremonies(expires_at);
