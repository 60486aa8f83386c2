-- A user's active flag is a boolean, like every other flag.
ALTER TABLE users ALTER COLUMN is_active DROP DEFAULT;
ALTER TABLE users ALTER COLUMN is_active TYPE BOOLEAN USING is_active <> 0;
ALTER TABLE users ALTER COLUMN is_active SET DEFAULT TRUE;
