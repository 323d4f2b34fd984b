-- Bulk Links schema. Projects are namespaces: every other row carries its project, and entity and
-- link ids are unique within a project only, so one project can never learn of another's ids.

CREATE TABLE project (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Entities ("records" in Unicat) form a tree per project; siblings are ordered by position, which
-- comes from one sequence so that children keep the order in which they were created.
CREATE SEQUENCE entity_position_seq;

CREATE TABLE entity (
    project     text NOT NULL REFERENCES project ON DELETE CASCADE,
    id          uuid NOT NULL,
    type        text NOT NULL,
    name        text NOT NULL,
    parent      uuid,
    position    bigint NOT NULL DEFAULT nextval('entity_position_seq'),
    source      text,
    source_id   text,
    data        jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project, id),
    FOREIGN KEY (project, parent) REFERENCES entity (project, id),
    UNIQUE (project, source, source_id),
    CHECK ((source IS NULL) = (source_id IS NULL))
);
CREATE INDEX entity_by_position ON entity (project, position);
CREATE INDEX entity_by_parent ON entity (project, parent, position);
CREATE INDEX entity_by_type ON entity (project, type, position);

-- A link type is 'name|input_type|output_type' (AYON); links of a type exist only while it does.
CREATE TABLE link_type (
    project     text NOT NULL REFERENCES project ON DELETE CASCADE,
    link_type   text NOT NULL,
    name        text NOT NULL,
    input_type  text NOT NULL,
    output_type text NOT NULL,
    data        jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project, link_type),
    CHECK (link_type = name || '|' || input_type || '|' || output_type)
);

-- Several links may share input, output and type; the id is what is unique. seq orders links of
-- equal position by creation. job_token and item_index say which bulk item wrote the link.
CREATE TABLE link (
    project     text NOT NULL,
    id          uuid NOT NULL,
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    link_type   text NOT NULL,
    input       uuid NOT NULL,
    output      uuid NOT NULL,
    name        text,
    data        jsonb NOT NULL DEFAULT '{}',
    position    integer NOT NULL DEFAULT 0,
    author      text,
    job_token   uuid,
    item_index  integer,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project, id),
    FOREIGN KEY (project, link_type) REFERENCES link_type (project, link_type) ON DELETE CASCADE,
    FOREIGN KEY (project, input) REFERENCES entity (project, id) ON DELETE CASCADE,
    FOREIGN KEY (project, output) REFERENCES entity (project, id) ON DELETE CASCADE
);
CREATE INDEX link_by_input ON link (project, input, link_type, position, seq);
CREATE INDEX link_by_output ON link (project, output, position, seq);
CREATE INDEX link_by_type ON link (project, link_type, position, seq);

-- A job is one bulk request. Its counters always add up: total = remaining + succeeded + failed.
-- status mirrors dev.bulklinks.job.JobStatus, which holds the allowed transitions.
CREATE TABLE job (
    token        uuid PRIMARY KEY,
    seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    project      text NOT NULL REFERENCES project ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN
                     ('bulk_link_records', 'bulk_upsert_links', 'bulk_delete_links', 'bulk_upsert_entities')),
    status       text NOT NULL DEFAULT 'queued' CHECK (status IN
                     ('queued', 'processing', 'done', 'rejected', 'cancelled')),
    options      jsonb NOT NULL DEFAULT '{}',
    atomic       boolean NOT NULL DEFAULT false,
    total        integer NOT NULL DEFAULT 0,
    remaining    integer NOT NULL DEFAULT 0,
    succeeded    integer NOT NULL DEFAULT 0,
    failed       integer NOT NULL DEFAULT 0,
    error        jsonb,
    submitted_by text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    CHECK (remaining >= 0 AND succeeded >= 0 AND failed >= 0 AND remaining + succeeded + failed = total)
);
CREATE INDEX job_by_project ON job (project, seq DESC);
CREATE INDEX job_by_project_status ON job (project, status, seq DESC);

-- Items are stored at submit time in chunks: one row holds up to chunk-size items as a JSON array,
-- and later the outcome of each, in the same order. A chunk is the unit a worker claims and the
-- unit that commits: its writes, its outcomes and the job's counters go in one transaction.
-- state: queued (waiting, or handed back after a failure or an expired lease), running (leased to
-- lease_owner until lease_until), done (outcomes stored), cancelled (its job was cancelled first).
CREATE TABLE job_chunk (
    job_token    uuid NOT NULL REFERENCES job ON DELETE CASCADE,
    chunk_no     integer NOT NULL,
    job_seq      bigint NOT NULL,
    first_index  integer NOT NULL,
    item_count   integer NOT NULL,
    items        jsonb NOT NULL,
    state        text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'cancelled')),
    attempt      integer NOT NULL DEFAULT 0,
    run_after    timestamptz NOT NULL DEFAULT '-infinity',
    lease_owner  text,
    lease_until  timestamptz,
    succeeded    integer NOT NULL DEFAULT 0,
    failed       integer NOT NULL DEFAULT 0,
    outcomes     jsonb,
    last_error   text,
    finished_at  timestamptz,
    PRIMARY KEY (job_token, chunk_no)
);
-- The claim walks this small index only: finished chunks leave it. Ordering by chunk number first
-- interleaves jobs, so a small job is not queued behind every chunk of a large one.
CREATE INDEX job_chunk_queued ON job_chunk (chunk_no, job_seq) WHERE state = 'queued';
CREATE INDEX job_chunk_leased ON job_chunk (lease_until) WHERE state = 'running';
