-- The last authenticator-app time step accepted per user: a code is good once (ASVS 6.5.1).
ALTER TABLE two_factor ADD COLUMN last_totp_step BIGINT;
