-- A project's default link type for record links: what POST .../records/bulk/link uses when the
-- request names no linkType, as Unicat's client sends it (dev.bulklinks.records.RecordLinkJob).
-- Either a bare name, 'link' by default: each link's type is then name|<parent's type>|<record's type>,
-- registered in the project when first used, so that it fits records of any types; or a whole link
-- type name|input_type|output_type, which must be registered; or NULL: linkType is required.
-- Existing projects get the default too. The pattern is EntityRules.TYPE's, once or three times.
ALTER TABLE project ADD COLUMN default_link_type text DEFAULT 'link'
    CHECK (default_link_type ~ '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}(\|[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\|[A-Za-z0-9_][A-Za-z0-9_.-]{0,63})?$');
