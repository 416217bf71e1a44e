-- Answers to POSTs that carried an Idempotency-Key: a retry gets the same answer and changes nothing.
CREATE TABLE idempotency_keys (
    idempotency_key text NOT NULL,
    route text NOT NULL,
    request_digest text NOT NULL,
    status_code integer,
    response_headers jsonb,
    response_body bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (idempotency_key, route)
);
