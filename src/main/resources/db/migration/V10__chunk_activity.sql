-- The dashboard's chart of the last minutes (GET .../jobs/activity) reads the chunks that finished
-- in that window through this index, and the chunks still waiting through the claim's indexes; a
-- cancelled chunk now records when it stopped, so it leaves the waiting line at that moment.
CREATE INDEX job_chunk_finished ON job_chunk (finished_at) WHERE finished_at IS NOT NULL;
