-- Idempotency keys belong to the user who sent them (as Stripe scopes them to an account): two
-- users of a project who happen to pick the same key never get each other's job.
ALTER TABLE idempotency_key ADD COLUMN owner text NOT NULL DEFAULT '';
ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_pkey, ADD PRIMARY KEY (project, owner, key);
