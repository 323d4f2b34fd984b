-- A large body's chunks are copied into job_chunk while the body still arrives (issue 16): a staged
-- chunk is stored, in a short transaction of its own, before its job exists. The job's one transaction
-- at the end inserts the job row, turns its staged chunks into queued ones, and copies the rest. No
-- query reads a staged chunk: the claim takes queued ones, and every other reader starts from a job.
--
-- So a chunk no longer references its job: its staged rows come first. A trigger keeps what the
-- reference's ON DELETE CASCADE did: a job's chunks are deleted with it, however it is deleted
-- (retention, or its project's deletion). A staged chunk whose upload never ended (its instance died)
-- is deleted once its lease_until has passed (IntakeRepository.deleteAbandonedStaged).
ALTER TABLE job_chunk DROP CONSTRAINT job_chunk_job_token_fkey;
ALTER TABLE job_chunk DROP CONSTRAINT job_chunk_state_check;
ALTER TABLE job_chunk ADD CONSTRAINT job_chunk_state_check
    CHECK (state IN ('staged', 'queued', 'running', 'done', 'cancelled'));
CREATE INDEX job_chunk_staged ON job_chunk (lease_until) WHERE state = 'staged';

CREATE FUNCTION job_chunks_go_with_their_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM job_chunk WHERE job_token = OLD.token;
    RETURN OLD;
END $$;
CREATE TRIGGER job_chunks_go_with_their_job AFTER DELETE ON job
    FOR EACH ROW EXECUTE FUNCTION job_chunks_go_with_their_job();
