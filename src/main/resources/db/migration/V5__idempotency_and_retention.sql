-- An Idempotency-Key names one submission of a project: a retry with the same key and the same
-- request (body_hash: SHA-256 of the kind, the options in the query and the body's bytes) answers
-- the job it created. Keys are kept for bulklinks.intake.idempotency-retention, and go with their job.
CREATE TABLE idempotency_key (
    project    text NOT NULL REFERENCES project ON DELETE CASCADE,
    key        text NOT NULL,
    body_hash  bytea NOT NULL,
    job_token  uuid NOT NULL REFERENCES job ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project, key)
);
CREATE INDEX idempotency_key_by_age ON idempotency_key (created_at);
CREATE INDEX idempotency_key_by_job ON idempotency_key (job_token);

-- Finished jobs are deleted after bulklinks.retention.finished-jobs; their chunks go with them.
CREATE INDEX job_finished ON job (finished_at) WHERE finished_at IS NOT NULL;
