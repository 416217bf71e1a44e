-- Which events a consumer group has already applied: written in the effect's own transaction, so a
-- redelivered event is recognised and has no second effect.
CREATE TABLE processed_events (
    consumer_group text NOT NULL,
    event_id text NOT NULL,
    topic text NOT NULL,
    outcome text NOT NULL DEFAULT 'applied' CHECK (outcome IN ('applied', 'dead-lettered')),
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, event_id)
);
