-- A chunk's items are stored as text, no longer json (issue 16). json only checked their syntax on the
-- way in, and the one writer of the column is the service itself (ChunkWriter: JSON that Jackson wrote
-- out from each item it had just read and checked); every reader takes them as text (items::text) and
-- parses them again anyway. The intake of a large job waits on this COPY.
-- Measured 2026-12-01, 2 cores shared, COPY of the 1,000 chunk rows of 1,000,000 link items (158 MB)
-- into an empty job_chunk, and its commit (IntakeSpeedBench, -Dbench.items-types), best of 5, two rounds:
--   PostgreSQL 15.18, default settings:
--     json, STORAGE EXTERNAL            709 ms, 712 ms
--     text, STORAGE EXTERNAL            548 ms, 537 ms
--     text, lz4 compressed              632 ms, half the disk space
--   embedded PostgreSQL 18.6 (built without lz4):
--     json, STORAGE EXTERNAL            865 ms, 940 ms
--     text, STORAGE EXTERNAL            783 ms, 716 ms
-- The client spends under 0.2 s of CPU of it: the rest is the server's.
-- Stored uncompressed, as in V4: compression costs more time than its smaller writes save.
-- The type change rewrites job_chunk once (its rows are deleted with their jobs, see Retention).
ALTER TABLE job_chunk
    ALTER COLUMN items TYPE text USING items::text,
    ALTER COLUMN items SET STORAGE EXTERNAL;
