-- The input index no longer holds the link type (issue 16): (project_id, input) like the output index.
-- Every link insert writes an entry into it, and the type (text, compared by the collation) made the
-- entries wider and set apart links of one entity that deduplication now keeps in one posting list.
-- The queries that name an input and a type (an entity's links of a type, the position of the next one,
-- links found by their ends) read the entity's links and filter by type: an entity's links are few.
-- Measured 2026-12-01 on PostgreSQL 15.18 (2 cores, default settings), 1,000,000 rows of the link table
-- inserted 1,000 a transaction, four rounds each, seconds:
--   (project_id, input, link_type)               5.63 5.76 5.90 5.93
--   the same, link_type COLLATE "C"              5.51 5.57 5.60 6.30
--   (project_id, input)                          5.09 5.33 5.38 5.73
--   link_type an integer key, kept in the index  5.21 5.31 5.47 5.95
-- The last does as well but changes every statement that reads a link's type; this one is an index.
-- Building it takes a while on a large link table, and writes to links wait for it.
DROP INDEX link_by_input;
CREATE INDEX link_by_input ON link (project_id, input);
