-- Who may do what. A user holds API keys (only their SHA-256 is stored; a key is 32 random bytes, so
-- a fast hash is enough) and is an admin, who may do everything, or a member of some projects, each
-- membership with an optional allow-list of link types (AYON perms.links; NULL allows every type).
CREATE TABLE app_user (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$'),
    admin       boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_key (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES app_user ON DELETE CASCADE,
    hash        bytea NOT NULL UNIQUE,
    label       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_key_by_user ON api_key (user_id);

CREATE TABLE membership (
    user_id     uuid NOT NULL REFERENCES app_user ON DELETE CASCADE,
    project     text NOT NULL REFERENCES project ON DELETE CASCADE,
    link_types  text[],
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, project)
);
CREATE INDEX membership_by_project ON membership (project);

-- The key pair that signs tokens when none is configured: made by the first instance that starts,
-- read by every other, so a token from one instance is good at all of them and across restarts.
CREATE TABLE signing_key (
    id          integer PRIMARY KEY CHECK (id = 1),
    private_key text NOT NULL,
    public_key  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A job records the key that submitted it (for the per-key rate limit) and the link types its
-- submitter could create then (NULL: all), which its chunks enforce item by item.
ALTER TABLE job ADD COLUMN api_key uuid, ADD COLUMN link_types text[];
CREATE INDEX job_by_api_key ON job (api_key, created_at) WHERE api_key IS NOT NULL;
