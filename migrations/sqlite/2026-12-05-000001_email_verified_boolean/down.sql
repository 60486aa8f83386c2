-- SQLite keeps a boolean as 0 or 1 in any numeric column, which email_verified already holds: the
-- flag is read as a boolean with nothing to convert (PostgreSQL changes the column's type).
SELECT 1;
