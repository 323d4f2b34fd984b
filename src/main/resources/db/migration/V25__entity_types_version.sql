-- The link checks need the type of every entity a chunk names: 2,000 index probes for 1,000 links, 5.4 ms
-- of each chunk's 20 ms in the database (benchmark, 2026-11-30, PostgreSQL 18.6, 2 cores). Each instance
-- keeps the types it has read (dev.bulklinks.entity.EntityTypes) under the project's entity_types_version,
-- which it reads with each batch: any change of an entity's type moves the version, and the cached types of
-- the older version are no longer used. Entities are never deleted but with their project, and a project
-- made again under the same name has a new id, so the cache (keyed by the id) never answers for it.
ALTER TABLE project ADD COLUMN entity_types_version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION entity_type_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE project SET entity_types_version = entity_types_version + 1 WHERE name = NEW.project;
    RETURN NULL;
END
$$;

-- Row by row, only for rows whose type changes: an update that keeps every type (the usual upsert) pays
-- the WHEN test alone, and a change locks the project row until its transaction ends.
CREATE TRIGGER entity_type_changed AFTER UPDATE OF type ON entity
    FOR EACH ROW WHEN (OLD.type IS DISTINCT FROM NEW.type) EXECUTE FUNCTION entity_type_changed();
