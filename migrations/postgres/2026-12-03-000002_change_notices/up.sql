-- Every instance LISTENs on keydesk_changes and forgets what it remembered (who a key, token or
-- session belongs to; the /api/v1/me view) when one of the tables those reads come from changes,
-- whichever instance or operator wrote it. One notice per statement; PostgreSQL folds repeats
-- within a transaction, and sends them only when it commits.
CREATE FUNCTION keydesk_notify_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('keydesk_changes', TG_TABLE_NAME);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION keydesk_notify_change();
CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION keydesk_notify_change();
CREATE TRIGGER sessions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION keydesk_notify_change();
CREATE TRIGGER developer_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON developer_keys
    FOR EACH STATEMENT EXECUTE FUNCTION keydesk_notify_change();
CREATE TRIGGER access_tokens_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON access_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION keydesk_notify_change();
CREATE TRIGGER two_factor_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON two_factor
    FOR EACH STATEMENT EXECUTE FUNCTION keydesk_notify_change();
CREATE TRIGGER recovery_codes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON recovery_codes
    FOR EACH STATEMENT EXECUTE FUNCTION keydesk_notify_change();
