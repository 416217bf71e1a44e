-- A key's claim and its answer are now written in one transaction, so no committed claim is ever without an
-- answer. Claims left without one by the earlier scheme (a crash between the two) would answer 409 for a day:
-- they are released, so the client's retry runs the command.
DELETE FROM idempotency_keys WHERE status_code IS NULL;
