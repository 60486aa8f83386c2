-- Whether a user proved their address is a boolean, like every other flag.
ALTER TABLE users ALTER COLUMN email_verified DROP DEFAULT;
ALTER TABLE users ALTER COLUMN email_verified TYPE BOOLEAN USING email_verified <> 0;
ALTER TABLE users ALTER COLUMN email_verified SET DEFAULT TRUE;
