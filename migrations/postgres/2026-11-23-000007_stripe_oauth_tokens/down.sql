ALTER TABLE deployments DROP COLUMN oauth_token_id;
DROP TABLE oauth_states;
DROP TABLE oauth_tokens;
ALTER TABLE accounts DROP COLUMN stripe_enabled;
