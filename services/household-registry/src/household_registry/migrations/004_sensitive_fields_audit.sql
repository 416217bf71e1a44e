-- Ethnicity, income and deprivations are sensitive personal data (Law 91/2025/QH15): their reads are audited
-- like the head's personal fields, still by field name only.
ALTER TABLE personal_data_audit DROP CONSTRAINT personal_data_audit_field_check;
ALTER TABLE personal_data_audit ADD CONSTRAINT personal_data_audit_field_check CHECK (
    field IN ('full_name', 'national_id', 'phone', 'ethnic_minority', 'income_per_capita_vnd', 'deprivations')
);
-- A breach report asks what one account read.
CREATE INDEX personal_data_audit_by_actor ON personal_data_audit (actor, id);
