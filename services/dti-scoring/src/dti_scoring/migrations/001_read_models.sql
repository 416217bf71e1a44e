-- dti-scoring's read models, written in the same transaction as the events they show, and rebuilt from the
-- event store by dti_scoring.adapters.read_models.rebuild.

-- One row per assessment: its whole view as a document, plus the columns rankings and lookups need.
-- The unique key makes "one assessment per unit, level and year" hold even for two officials opening the
-- same unit's assessment at once: the second transaction fails and appends nothing.
CREATE TABLE dti_assessments (
    assessment_id text PRIMARY KEY,
    unit_code text NOT NULL,
    level text NOT NULL,
    year integer NOT NULL,
    framework_version text NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'finalised')),
    -- the frozen score; null while open, so a provisional score never reaches a ranking
    final_score numeric,
    version integer NOT NULL,
    as_of timestamptz NOT NULL,
    view jsonb NOT NULL,
    CONSTRAINT dti_assessments_one_per_unit_and_year UNIQUE (unit_code, level, year)
);
CREATE INDEX dti_assessments_finalised ON dti_assessments (level, year) WHERE status = 'finalised';

-- Rankings per level and year of the finalised assessments; ties share a rank (1, 2, 2, 4).
CREATE TABLE dti_rankings (
    level text NOT NULL,
    year integer NOT NULL,
    unit_code text NOT NULL,
    rank integer NOT NULL CHECK (rank > 0),
    score numeric NOT NULL,
    previous_rank integer,
    rank_change integer,
    assessment_id text NOT NULL,
    PRIMARY KEY (level, year, unit_code)
);
