-- Poverty figures as the household registry publishes them, per unit (commune, district, province) and year.
--
-- Integration events carry no household's ethnicity, so the gateway cannot count ethnic-minority households; the
-- registry publishes each unit's aggregates instead (vn.backan.household.poverty-statistics-updated.v1). A
-- unit's row keeps the figures of the highest revision seen, so a duplicate or a late, older event changes
-- nothing. The per-household classifications and projections the gateway used to count from are no longer
-- needed, so they are no longer kept.
CREATE TABLE read_models.poverty_statistics (
    unit_code text NOT NULL,
    year integer NOT NULL,
    revision bigint NOT NULL,
    figures jsonb NOT NULL,
    PRIMARY KEY (unit_code, year)
);

DROP TABLE read_models.household_classifications;
ALTER TABLE read_models.households DROP COLUMN access_projected;
