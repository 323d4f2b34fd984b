-- Users may sign in with a name and a password, as AYON's clients do (POST /ayon/api/auth/login). Only a
-- bcrypt hash is kept (dev.bulklinks.auth.Passwords); NULL: the user has no password and signs in with
-- API keys only. Admins set and change it (PUT /api/admin/users/{user}/password).
ALTER TABLE app_user ADD COLUMN password_hash text;

-- A sign-in with a password holds a key of its own, which nobody is ever shown: its tokens name it, so
-- that logging out (revoking it) ends exactly that sign-in and no API key the user made.
ALTER TABLE api_key ADD COLUMN from_login boolean NOT NULL DEFAULT false;

-- Jobs submitted through AYON's POST /ayon/api/projects/{p}/links/bulk: when one ends done, its
-- transaction also writes AYON's one aggregate event links.created (dev.bulklinks.dialect.ayon.AyonEvents).
-- The row is written in the submission's own transaction, so no job can end before it is there.
CREATE TABLE ayon_bulk_job (
    token uuid PRIMARY KEY REFERENCES job ON DELETE CASCADE
);
