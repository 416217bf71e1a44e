-- Poverty figures published by one background publisher, in rounds, instead of by every command.
--
-- Counting a year's figures in the command's transaction made every survey of a year wait on one row lock
-- (and count the whole year) until the one before it committed. Now a command only notes which communes'
-- figures it changed, in the open epoch; the publisher closes the epoch once its commands have committed,
-- recounts those communes, and publishes the figures of every unit they touch, with the epoch as revision.

-- Epochs: exactly one is open (`closed` false). A command's answer names the `closing_event` of the epoch it
-- wrote in: the id the last figures message of that epoch's round will carry.
CREATE TABLE figures_epochs (
    epoch bigint PRIMARY KEY,
    closing_event uuid NOT NULL DEFAULT gen_random_uuid(),
    closed boolean NOT NULL DEFAULT false
);
CREATE SEQUENCE figures_epoch_seq OWNED BY figures_epochs.epoch;
ALTER TABLE figures_epochs ALTER COLUMN epoch SET DEFAULT nextval('figures_epoch_seq');
-- Epochs are the revisions readers compare, so they continue above the change counters published so far.
SELECT setval('figures_epoch_seq', (SELECT coalesce(max(counter), 0) + 1 FROM statistics_changes), false);
INSERT INTO figures_epochs DEFAULT VALUES;

-- The communes whose figures changed, by year, noted in an epoch. No key: two commands noting one commune
-- must not wait on each other.
CREATE TABLE figures_pending (
    epoch bigint NOT NULL,
    year integer NOT NULL,
    commune_code text NOT NULL
);
CREATE INDEX figures_pending_by_epoch ON figures_pending (epoch);

CREATE FUNCTION figures_pending_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('figures_pending', '');
    RETURN NULL;
END $$;
CREATE TRIGGER figures_pending_written AFTER INSERT ON figures_pending
    FOR EACH STATEMENT EXECUTE FUNCTION figures_pending_notify();

-- Each commune's counts by year as the publisher last recounted them; district and province figures add up
-- communes, so a round recounts only the communes it was told about.
CREATE TABLE commune_tallies (
    year integer NOT NULL,
    commune_code text NOT NULL,
    households integer NOT NULL,
    poor integer NOT NULL,
    near_poor integer NOT NULL,
    minority integer NOT NULL,
    minority_poor integer NOT NULL,
    projected_poor integer NOT NULL,
    projected_near_poor integer NOT NULL,
    projected_minority_poor integer NOT NULL,
    PRIMARY KEY (year, commune_code)
);

DROP INDEX household_classifications_by_year;
CREATE INDEX household_classifications_by_commune ON household_classifications (year, commune_code);

-- Every commune recounted in the first round.
INSERT INTO figures_pending (epoch, year, commune_code)
SELECT (SELECT epoch FROM figures_epochs), year, commune_code FROM household_classifications
GROUP BY year, commune_code;

DROP TABLE statistics_changes, statistics_computed, poverty_statistics;
