-- Client certificates presented on outbound requests to their domain.
CREATE TABLE certificates (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- ASCII (punycode), lower-case, possibly *.-prefixed: one per domain per account
    domain TEXT NOT NULL,
    subject TEXT NOT NULL,
    issuer TEXT NOT NULL,
    not_before TIMESTAMP NOT NULL,
    not_after TIMESTAMP NOT NULL,
    fingerprint_sha256 TEXT NOT NULL,
    -- the certificate and its chain, PEM (public)
    chain_pem TEXT NOT NULL,
    -- the private key, PEM sealed with AES-256-GCM (see crypto.rs)
    private_key_sealed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (account_id, domain)
);
