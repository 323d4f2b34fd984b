-- A job that retries another job's failed items (POST .../jobs/{token}/retry) records, on each chunk,
-- the index every item of the chunk had in the retried job, in item order, so its results can name
-- it ("original_index") and a client can merge the two jobs' results. NULL on every other job. It is
-- written by the intake's one COPY with the chunk, in the transaction that stores the job, and never
-- queried inside: a chunk's array is read whole with its outcomes.
ALTER TABLE job_chunk ADD COLUMN original_index integer[];
