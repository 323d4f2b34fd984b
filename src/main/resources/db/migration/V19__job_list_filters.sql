-- The jobs list filtered by kind or by submitter (GET .../jobs?kind=&submitted_by=, the dashboard's filters):
-- newest first through an index each, as job_by_project_status serves the status filter, so that a filter
-- that matches few of a project's 100,000 jobs does not read them all.
CREATE INDEX job_by_project_kind ON job (project, kind, seq DESC);
CREATE INDEX job_by_project_submitter ON job (project, submitted_by, seq DESC);
