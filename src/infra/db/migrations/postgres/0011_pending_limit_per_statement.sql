-- The three-pending limit checked once per INSERT statement instead of once per row. A batch
-- of registrations reaches the table as one multi-row INSERT (the writer gathers them), and a
-- row trigger whose count is planned for every call cost more than the row itself.
--
-- After the statement, the e-mails it added pending bookings for are locked in order
-- (advisory namespace 2, as before: inserts for one e-mail run one at a time, so each count
-- sees the bookings committed before it) and counted, the new rows included: more than three
-- unexpired pending bookings for any of them refuses the whole statement. The count has no
-- parameters; planned for each call (once a statement), it always uses
-- course_bookings_email_idx.
DROP TRIGGER course_bookings_pending_limit ON course_bookings;
DROP FUNCTION course_bookings_pending_limit();

CREATE FUNCTION course_bookings_pending_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(2, hashtext(e))
    FROM (SELECT DISTINCT lower(applicant_email) AS e FROM inserted
          WHERE status = 'pending' ORDER BY 1) AS emails;
  IF EXISTS (
      SELECT 1 FROM (SELECT DISTINCT lower(applicant_email) AS e, created_at FROM inserted
                     WHERE status = 'pending') AS n
      WHERE (SELECT COUNT(*) FROM course_bookings b
             WHERE lower(b.applicant_email) = n.e AND b.status = 'pending'
               AND b.expires_at > n.created_at) > 3) THEN
    RAISE EXCEPTION 'PENDING_LIMIT_REACHED' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
ALTER FUNCTION course_bookings_pending_limit() SET plan_cache_mode = force_custom_plan;

CREATE TRIGGER course_bookings_pending_limit
  AFTER INSERT ON course_bookings REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION course_bookings_pending_limit();
