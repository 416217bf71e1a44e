-- The campaign's read models: the public statement and the public journal, written in the same transaction
-- as the events they come from (and rebuilt from the event store by replay), and the households the
-- registry has published, written by the consumer of the household topic.

-- One row per campaign: the statement as served, the number of events it counts, and when the last of them
-- was recorded (the answer's `as_of`).
CREATE TABLE campaign_statements (
    campaign_id text PRIMARY KEY,
    version integer NOT NULL CHECK (version > 0),
    statement jsonb NOT NULL,
    as_of timestamptz NOT NULL
);

-- One row per posting of every journal entry, in journal order (id). Donor columns hold the public face only:
-- an anonymous donor's name never reaches this table. No beneficiary is ever named here.
CREATE TABLE journal_lines (
    id bigserial PRIMARY KEY,
    campaign_id text NOT NULL,
    entry_id text NOT NULL,
    date date NOT NULL,
    kind text NOT NULL,
    reference text NOT NULL,
    reverses text NOT NULL,
    memo text NOT NULL,
    donor text NOT NULL,
    donor_vi text NOT NULL,
    donor_kind text NOT NULL,
    account text NOT NULL,
    unit text NOT NULL,
    debit bigint NOT NULL CHECK (debit >= 0),
    credit bigint NOT NULL CHECK (credit >= 0)
);
CREATE INDEX journal_lines_in_order ON journal_lines (campaign_id, id);

-- The pseudonymous households the registry has published, and the commune each lives in: a phone goes only
-- to a household known here, in the commune delivering it.
CREATE TABLE known_households (
    household_id text PRIMARY KEY,
    commune_code text NOT NULL,
    registered_on date NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
