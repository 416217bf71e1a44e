-- The gateway's composed read models, built from the integration topics of every service.
--
-- They live in their own schema so a rebuild can fill a twin schema from the start of the topics and swap
-- the two in one transaction (gateway/read_models/rebuild.py clones these tables with LIKE ... INCLUDING ALL,
-- so no column may draw from a sequence: keys are the facts' own ids).
--
-- Every table is written so that applying an event twice, or applying one aggregate's events before or after
-- another's, leaves the same rows: facts are keyed by their ids, a reversal is a row of its own that cancels
-- its fact in the queries, and "latest" is decided by the events' own timestamps, not by arrival order.
CREATE SCHEMA read_models;

-- The time of the newest event applied per source (campaign, household, dti): every answer's as_of.
CREATE TABLE read_models.source_freshness (
    source text PRIMARY KEY,
    as_of timestamptz NOT NULL
);

-- A campaign as opened; columns stay null until its CampaignOpened arrives (a closure may be seen first).
CREATE TABLE read_models.campaigns (
    campaign_id text PRIMARY KEY,
    name text,
    target_vnd bigint,
    target_phones integer,
    commune_codes text[],
    start_date date,
    end_date date,
    closed_on date
);

-- Pledges, receipts, purchases, allocations and deliveries, by their ids. A delivery is one phone; the
-- household it went to is not kept (the statement is public and never names beneficiaries).
CREATE TABLE read_models.campaign_facts (
    campaign_id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('pledge', 'receipt', 'purchase', 'allocation', 'delivery')),
    fact_id text NOT NULL,
    amount_vnd bigint NOT NULL DEFAULT 0,
    phones integer NOT NULL DEFAULT 0,
    commune_code text,
    pledge_id text,
    donor_name text,
    donor_kind text,
    PRIMARY KEY (campaign_id, kind, fact_id)
);

-- A reversal cancels the fact (kind, reference) of its campaign wherever the fact is counted.
CREATE TABLE read_models.campaign_reversals (
    campaign_id text NOT NULL,
    kind text NOT NULL,
    reference text NOT NULL,
    entry_id text NOT NULL,
    reversed_entry_id text NOT NULL,
    PRIMARY KEY (campaign_id, kind, reference)
);

-- A household by its pseudonymous id, and the latest information access recorded for it.
CREATE TABLE read_models.households (
    household_id text PRIMARY KEY,
    commune_code text NOT NULL,
    area text,
    registered_on date,
    information_access_on date,
    access_recorded_at timestamptz,
    access_projected text
);

-- The official classification of each household for each review year (a correction replaces it).
CREATE TABLE read_models.household_classifications (
    household_id text NOT NULL,
    year integer NOT NULL,
    commune_code text NOT NULL,
    classification text NOT NULL CHECK (classification IN ('poor', 'near_poor', 'not_poor')),
    classified_at timestamptz NOT NULL,
    PRIMARY KEY (household_id, year)
);
CREATE INDEX household_classifications_by_commune ON read_models.household_classifications (commune_code, year);

-- A DTI assessment: its unit, the latest finalised score, and when it was last finalised or reopened (the
-- later of the two is its status).
CREATE TABLE read_models.dti_assessments (
    assessment_id text PRIMARY KEY,
    unit_code text NOT NULL,
    level text NOT NULL,
    year integer NOT NULL,
    framework_version text NOT NULL,
    opened_at timestamptz,
    finalised_at timestamptz,
    reopened_at timestamptz,
    score numeric,
    max_score numeric,
    index numeric,
    pillars jsonb
);
CREATE INDEX dti_assessments_by_ranking ON read_models.dti_assessments (level, year);
