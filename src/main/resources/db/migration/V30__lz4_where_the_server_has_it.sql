-- The large values of chunks and events are compressed with lz4 where the server is built with it (issue 16).
--
-- A chunk's items (158 bytes a link item as JSON) and its outcomes (82), and a chunk event's link ids (42),
-- were stored uncompressed (V4, V26, V27): pglz, the only method then measured, cost more database time
-- than its smaller writes saved. Read back from PostgreSQL 15's WAL (the benchmark's -Dbench.wal=true,
-- 2026-12-02), those three wrote 298 of the 840 bytes of WAL a link. lz4 compresses them at a fraction
-- of pglz's cost; the items' COPY now happens while the body arrives (V29), not after it.
--
-- A server built without lz4 (the embedded PostgreSQL's binaries) keeps them as they were: the
-- statement fails there, and nothing changes. Neither change rewrites a table: the values written
-- from now on are compressed, older ones stay as they are, and both read the same.
DO $$
BEGIN
    ALTER TABLE job_chunk
        ALTER COLUMN items SET COMPRESSION lz4, ALTER COLUMN items SET STORAGE EXTENDED,
        ALTER COLUMN outcomes SET COMPRESSION lz4, ALTER COLUMN outcomes SET STORAGE EXTENDED;
    ALTER TABLE sync_event
        ALTER COLUMN data SET COMPRESSION lz4, ALTER COLUMN data SET STORAGE EXTENDED;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not built into this server: chunks and events stay uncompressed';
END $$;
