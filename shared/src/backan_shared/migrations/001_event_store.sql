-- The append-only event store: the source of truth of each service.
-- global_position is drawn at insert but becomes visible at commit, so readers never follow it alone:
-- they follow (transaction_id, global_position) below the oldest running transaction (see event_store.py).
CREATE TABLE events (
    global_position bigserial PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    event_id uuid NOT NULL UNIQUE,
    stream_id text NOT NULL,
    stream_type text NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    event_type text NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, version)
);
CREATE INDEX events_in_commit_order ON events (transaction_id, global_position);

CREATE TABLE snapshots (
    stream_id text PRIMARY KEY,
    version integer NOT NULL,
    state jsonb NOT NULL,
    taken_at timestamptz NOT NULL DEFAULT now()
);

-- Named readers (projections) remember where they are in the global order.
CREATE TABLE event_store_cursors (
    reader text PRIMARY KEY,
    transaction_id xid8 NOT NULL,
    global_position bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
