-- Connections to outside services; admins manage them, everyone in the account sees them.
CREATE TABLE integrations (
    id TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- lower-cased name: unique per account regardless of case
    name_normalized TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- the type's non-secret fields, a JSON object
    config TEXT NOT NULL,
    -- the secret fields, a JSON object sealed with AES-256-GCM (see crypto.rs)
    secrets_sealed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (account_id, name_normalized)
);

-- An application's settings: the integrations it uses.
CREATE TABLE application_integrations (
    application_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    PRIMARY KEY (application_id, integration_id)
);
CREATE INDEX application_integrations_integration_id ON application_integrations(integration_id);
