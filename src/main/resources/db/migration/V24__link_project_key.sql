-- Links carry their project's small integer key instead of its name (issue 16): every link row and every
-- key of its three indexes held the name. Measured 2026-11-30 on PostgreSQL 15 (2 cores), 200,000 links
-- inserted 1,000 a statement into copies of the link table, then 200,000 more: 2.38 s and 3.05 s with the
-- name, 1.84 s and 2.71 s with an integer key. The API still names projects; the link statements find the
-- key from the name (dev.bulklinks.link.LinkRepository). The other tables keep the name: they are not
-- written a million rows at a time.
ALTER TABLE project ADD COLUMN id integer GENERATED ALWAYS AS IDENTITY;
ALTER TABLE project ADD CONSTRAINT project_id_key UNIQUE (id);

ALTER TABLE link ADD COLUMN project_id integer;
UPDATE link l SET project_id = p.id FROM project p WHERE p.name = l.project;
-- Links of a project deleted before this migration (a deleted project left its links behind).
DELETE FROM link WHERE project_id IS NULL;
ALTER TABLE link ALTER COLUMN project_id SET NOT NULL;
ALTER TABLE link DROP CONSTRAINT link_pkey;
DROP INDEX link_by_input, link_by_output;
ALTER TABLE link DROP COLUMN project;
ALTER TABLE link ADD PRIMARY KEY (project_id, id);
CREATE INDEX link_by_input ON link (project_id, input, link_type);
CREATE INDEX link_by_output ON link (project_id, output);
