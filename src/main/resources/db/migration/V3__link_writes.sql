-- Links are the hot table: a million-link job inserts a million rows. Measured with INSERT ... SELECT
-- of 1,000,000 links between 100,000 entities (2 cores, PostgreSQL 18, median of 3):
--   three foreign keys, primary key and three wide indexes                     66 s
--   the same without the foreign keys                                          31 s
--   primary key, (project, input, link_type), (project, output), (project, seq)  21 s
--
-- PostgreSQL checks a foreign key row by row, each a locking lookup of the entity: 35 s a million.
-- They guarded nothing the service does not: links are written only after a set-wise check that
-- their ends exist and have the right types, in the same transaction, and entities and projects are
-- never deleted (an endpoint that deletes them must delete their links too). Removing a link type
-- deletes its links explicitly.
--
-- The secondary indexes are as narrow as the queries allow: links of an entity are few and sorted
-- by position after the lookup; (project, seq) serves listing a whole project in creation order and
-- costs little, as seq only grows.
ALTER TABLE link
    DROP CONSTRAINT link_project_link_type_fkey,
    DROP CONSTRAINT link_project_input_fkey,
    DROP CONSTRAINT link_project_output_fkey;
DROP INDEX link_by_input, link_by_output, link_by_type;
CREATE INDEX link_by_input ON link (project, input, link_type);
CREATE INDEX link_by_output ON link (project, output);
CREATE INDEX link_by_seq ON link (project, seq);
