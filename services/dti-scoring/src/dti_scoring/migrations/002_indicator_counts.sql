-- What dti-scoring learns from the household registry's and the smartphone campaign's topics, to answer the
-- event-fed indicators itself (dti_scoring.domain.fed_indicators). Households appear only by the registry's
-- pseudonymous id. Every write is an upsert of a fact keyed by its natural id, so applying an event twice
-- (a redelivery, or the same fact republished under a new event id) leaves the tables as they were.

-- A household the registry published, and whether its records are digitised (its latest classification
-- says so). A classification may be read before the registration: only `registered` households count.
CREATE TABLE dti_feed_households (
    household_id text PRIMARY KEY,
    commune_code text NOT NULL,
    registered boolean NOT NULL DEFAULT false,
    records_digitised boolean NOT NULL DEFAULT false
);
CREATE INDEX dti_feed_households_by_commune ON dti_feed_households (commune_code);

-- A phone the campaign handed to a household. Delivery ids restart in every campaign, so the pair names one.
CREATE TABLE dti_feed_deliveries (
    campaign_id text NOT NULL,
    delivery_id text NOT NULL,
    commune_code text NOT NULL,
    household_id text NOT NULL,
    PRIMARY KEY (campaign_id, delivery_id)
);
CREATE INDEX dti_feed_deliveries_by_commune ON dti_feed_deliveries (commune_code);

-- Deliveries the campaign reversed: kept apart from the deliveries, so a reversal counts whichever of the two
-- is read first.
CREATE TABLE dti_feed_reversed_deliveries (
    campaign_id text NOT NULL,
    delivery_id text NOT NULL,
    PRIMARY KEY (campaign_id, delivery_id)
);

-- Each commune's counts as last computed from the facts above; the event-fed indicators are shares of these.
CREATE TABLE dti_commune_counts (
    commune_code text PRIMARY KEY,
    households integer NOT NULL CHECK (households >= 0),
    smartphone_households integer NOT NULL CHECK (smartphone_households BETWEEN 0 AND households),
    digitised_households integer NOT NULL CHECK (digitised_households BETWEEN 0 AND households),
    updated_at timestamptz NOT NULL DEFAULT now()
);
