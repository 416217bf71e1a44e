-- Annual review imports: a file of surveys recorded in the background, in batches, with its progress.
--
-- The state lives here, not in a process, so any replica answers for an import and any can finish one whose
-- worker died: each batch's effects and its progress commit in one transaction, so an import resumed after a
-- crash starts at the first row whose batch did not commit (and rows are idempotent besides). `worker` and
-- `heartbeat_at` say which process holds a running import and when it last reported.
CREATE TABLE review_imports (
    import_id uuid PRIMARY KEY,
    content_digest text NOT NULL UNIQUE,  -- SHA-256 of the file: the same file posted again is the same import
    content_type text NOT NULL,
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    rows_total integer NOT NULL,
    rows_done integer NOT NULL DEFAULT 0,
    rows_recorded integer NOT NULL DEFAULT 0,
    rows_unchanged integer NOT NULL DEFAULT 0,
    rows_failed integer NOT NULL DEFAULT 0,
    failures jsonb NOT NULL DEFAULT '[]'::jsonb,  -- the first failures only: [{row, reason}]
    error text,  -- why a failed import stopped (a fault, never a bad row)
    worker text,
    heartbeat_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz
);
CREATE INDEX review_imports_unfinished ON review_imports (created_at) WHERE status IN ('queued', 'running');

-- The file until its import finishes: incomes and deprivations are sensitive, so no copy is kept after that.
CREATE TABLE review_import_files (
    import_id uuid PRIMARY KEY REFERENCES review_imports ON DELETE CASCADE,
    content bytea NOT NULL
);
