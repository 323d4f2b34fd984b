-- A chunk's items are stored as text, no longer json (issue 16). json only checked their syntax on the
-- way in, and the one writer of the column is the service itself (ChunkWriter: JSON that Jackson wrote
-- out from each item it had just read and checked); every reader takes them as text (items::text) and
-- parses them again anyway. The intake of a large job waits on this COPY.
-- Measured 2026-12-01, 2 cores shared, COPY of the 1,000 chunk rows of 1,000,000 link items (158 MB)
-- and its commit (IntakeSpeedBench), best of 3:
--   PostgreSQL 15.18, default settings:
--     json, STORAGE EXTERNAL            749 ms (another run, under more load: 1,375 ms)
--     text, STORAGE EXTERNAL            578 ms (                              1,032 ms)
--     text, lz4 compressed              678 ms, half the disk space
--     json, lz4 compressed              843 ms
--   embedded PostgreSQL 18.6:
--     json, STORAGE EXTERNAL          1,030 ms and 999 ms
--     text, STORAGE EXTERNAL            859 ms and 879 ms
-- Stored uncompressed, as in V4: compression costs more time than its smaller writes save.
-- The type change rewrites job_chunk once (its rows are deleted with their jobs, see Retention).
ALTER TABLE job_chunk
    ALTER COLUMN items TYPE text USING items::text,
    ALTER COLUMN items SET STORAGE EXTERNAL;
