-- An entity job reserves a block of sibling positions when it is stored, one per item, so that
-- entities keep the order of the import whatever order its chunks run in.
ALTER TABLE job ADD COLUMN position_base bigint;
