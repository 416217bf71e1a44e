-- Each service owns its database on the shared server (DESIGN.md §2). With DX_ENV=prod the services do
-- not create their databases, so the server's first start does.
CREATE DATABASE campaign_ledger;
CREATE DATABASE household_registry;
CREATE DATABASE dti_scoring;
CREATE DATABASE gateway;
