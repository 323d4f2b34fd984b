-- A sync event's data is stored uncompressed (issue 16). The event of a chunk of 1,000 links lists their
-- 1,000 ids: 38 KB of JSON, which PostgreSQL compressed with pglz to 23 KB at every insert, in the
-- chunk's transaction. Measured 2026-12-01 on PostgreSQL 15.18, 2 cores shared, inserting 1,000 such
-- events: 1.07-1.60 s compressed (json), 0.22-0.35 s with STORAGE EXTERNAL: about 1 ms of database
-- CPU a chunk, a second a million links. The price is 15 KB more of table and WAL a chunk, kept only
-- as long as the feed keeps its events (bulklinks.sync.retention).
-- Only new rows are affected: the table is not rewritten.
ALTER TABLE sync_event ALTER COLUMN data SET STORAGE EXTERNAL;
