-- household-registry: personal data protection, read models and the statistics they feed.

-- One data key per household, stored wrapped by a key derived from PII_MASTER_KEY. Deleting a row is the
-- crypto-shredding: every past event's personal fields become unreadable.
CREATE TABLE household_keys (
    household_id uuid PRIMARY KEY,
    wrapped_key bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Households whose personal data was erased; no key may ever be created for them again.
CREATE TABLE erased_subjects (
    household_id uuid PRIMARY KEY,
    erased_by text NOT NULL,
    erased_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION refuse_key_resurrection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM erased_subjects WHERE household_id = NEW.household_id) THEN
        RAISE EXCEPTION 'household % was erased; it never gets a new key', NEW.household_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER household_keys_never_resurrected BEFORE INSERT OR UPDATE ON household_keys
    FOR EACH ROW EXECUTE FUNCTION refuse_key_resurrection();

-- Duplicate national IDs are found by a keyed hash (HMAC-SHA256), never by the ID itself.
CREATE TABLE national_id_index (
    national_id_digest bytea PRIMARY KEY,
    household_id uuid NOT NULL UNIQUE
);

-- Who read or erased which personal field of which household, and when. It holds no personal values.
CREATE TABLE personal_data_audit (
    id bigserial PRIMARY KEY,
    household_id uuid NOT NULL,
    field text NOT NULL CHECK (field IN ('full_name', 'national_id', 'phone')),
    action text NOT NULL CHECK (action IN ('read', 'erase')),
    actor text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX personal_data_audit_by_household ON personal_data_audit (household_id, at);

-- One row per household: what GET /v1/households/{id} shows, without any personal field.
CREATE TABLE household_view (
    household_id uuid PRIMARY KEY,
    commune_code text NOT NULL,
    area text NOT NULL,
    ethnic_minority boolean NOT NULL,
    members integer NOT NULL,
    classification text,
    projected_classification text,
    status text,
    classifications jsonb NOT NULL,
    status_changes jsonb NOT NULL,
    information_access jsonb NOT NULL,
    personal_data_erased boolean NOT NULL,
    version integer NOT NULL
);

-- One row per household and reviewed year: what the statistics count (no personal data).
CREATE TABLE household_classifications (
    household_id uuid NOT NULL,
    year integer NOT NULL,
    commune_code text NOT NULL,
    ethnic_minority boolean NOT NULL,
    classification text NOT NULL,
    projected_classification text NOT NULL,
    PRIMARY KEY (household_id, year)
);
CREATE INDEX household_classifications_by_year ON household_classifications (year);

-- A year's statistics depend on its records and the year before's. Each change to a year's records bumps
-- its counter (under the row lock, so counters grow in commit order); figures remember the counter they were
-- computed at and are recomputed when it moved.
CREATE TABLE statistics_changes (
    year integer PRIMARY KEY,
    counter bigint NOT NULL
);

CREATE TABLE statistics_computed (
    year integer PRIMARY KEY,
    counter bigint NOT NULL,
    as_of timestamptz NOT NULL
);

CREATE TABLE poverty_statistics (
    unit_code text NOT NULL,
    year integer NOT NULL,
    figures jsonb NOT NULL,
    PRIMARY KEY (unit_code, year)
);
