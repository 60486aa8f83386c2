-- Whether the user has shown they receive mail at their address. Users who existed before this
-- (and invited users, whose only way in is the emailed link) count as verified: the default 1.
-- A new sign-up is stored with 0 until its link is used.
ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 1;
