-- Every chunk of links looks up the type of each entity it names (about 2,000 ids a chunk of 1,000 links:
-- dev.bulklinks.entity.EntityRepository#types), to check the links' ends against their link type. With
-- the type in the primary key's index, that lookup is an index-only scan: no visit to the table's pages.
-- The type is an INCLUDE column, not part of the key: ids stay unique per project, and an update that
-- changes no type is still a HOT update.
ALTER TABLE entity DROP CONSTRAINT entity_project_parent_fkey;
ALTER TABLE entity DROP CONSTRAINT entity_pkey;
ALTER TABLE entity ADD CONSTRAINT entity_pkey PRIMARY KEY (project, id) INCLUDE (type);
ALTER TABLE entity ADD CONSTRAINT entity_project_parent_fkey FOREIGN KEY (project, parent) REFERENCES entity (project, id);
