ALTER TABLE two_factor DROP COLUMN last_totp_step;
