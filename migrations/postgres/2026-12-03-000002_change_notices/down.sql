DROP TRIGGER recovery_codes_changed ON recovery_codes;
DROP TRIGGER two_factor_changed ON two_factor;
DROP TRIGGER access_tokens_changed ON access_tokens;
DROP TRIGGER developer_keys_changed ON developer_keys;
DROP TRIGGER sessions_changed ON sessions;
DROP TRIGGER users_changed ON users;
DROP TRIGGER accounts_changed ON accounts;
DROP FUNCTION keydesk_notify_change();
