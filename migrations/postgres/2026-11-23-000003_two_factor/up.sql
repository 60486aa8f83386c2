-- The method in force. Its contact details go when 2FA is deactivated.
CREATE TABLE two_factor (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    destination TEXT NOT NULL,
    enabled_at TIMESTAMP NOT NULL
);

-- A code sent and not yet entered: activation or update (the method in force stays until
-- verified), or the second step of a sign-in. Codes are stored as keyed hashes.
CREATE TABLE two_factor_codes (
    -- the user id for a setup; the hash of the challenge token for a sign-in
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    method TEXT NOT NULL,
    destination TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX two_factor_codes_user_id ON two_factor_codes(user_id);

-- One-time access codes, as keyed hashes; used ones stay, marked, so the page can count.
CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user_id ON recovery_codes(user_id);

-- Browsers a user has signed in from (the device cookie's token, hashed).
CREATE TABLE devices (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_agent TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX devices_user_id ON devices(user_id);
