-- A membership's role in its project (auth/Role): a member uses the project; a manager may also
-- register and delete link types (deleting a type deletes all its links, whoever wrote them), which
-- no plain member may. Existing memberships stay plain members.
ALTER TABLE membership ADD COLUMN role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'manager'));
