-- An entity item whose parent is missing when its chunk runs, while the parent may still come from
-- another chunk of the job, is deferred: its outcome is stored as {"pending": true} and counted here,
-- and stays in the job's remaining count. The job then gets one more row, its final pass
-- (chunk_no 2147483647, no items), claimable only once no other chunk of the job is queued or
-- running; it settles the deferred items of every chunk, parents first, and fails those whose
-- parent never came.
ALTER TABLE job_chunk ADD COLUMN deferred integer NOT NULL DEFAULT 0;
