-- Seats, waitlist, calendar, self-service and the audit log (DESIGN.md "Capacity, waitlist,
-- calendar", "Self-service", "Audit log and exports").

-- A course booking may wait for a seat.
ALTER TABLE course_bookings DROP CONSTRAINT course_bookings_status_check;
ALTER TABLE course_bookings ADD CONSTRAINT course_bookings_status_check
  CHECK (status IN ('pending', 'confirmed', 'rejected', 'cancelled', 'expired', 'waitlisted'));

-- Seats: a course takes at most max_students active enrollments. The course's row is locked
-- first, so of concurrent confirms (any connection, any instance) each counts after the
-- previous one committed: two cannot both take the last seat.
DROP INDEX enrollments_course_idx;
CREATE INDEX enrollments_course_idx ON enrollments (course_id, status);
CREATE FUNCTION enrollments_seat_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  seats integer;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'active' AND OLD.course_id = NEW.course_id THEN
    RETURN NEW;
  END IF;
  SELECT max_students INTO seats FROM courses WHERE id = NEW.course_id FOR UPDATE;
  IF (SELECT COUNT(*) FROM enrollments
      WHERE course_id = NEW.course_id AND status = 'active') >= seats THEN
    RAISE EXCEPTION 'COURSE_FULL' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER enrollments_seat_limit
  BEFORE INSERT OR UPDATE OF status, course_id ON enrollments
  FOR EACH ROW WHEN (NEW.status = 'active') EXECUTE FUNCTION enrollments_seat_limit();

-- Manage tokens of course bookings: only their SHA-256 is kept. A booking may have several
-- (one per message that carried a link); each works until the booking is deleted. No index
-- on booking_id: every registration writes here, while only an admin's rare delete of a
-- booking looks tokens up by it.
CREATE TABLE course_booking_tokens (
  token_hash TEXT        PRIMARY KEY,
  booking_id UUID        NOT NULL REFERENCES course_bookings (id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL
);

-- The make-up artist's calendar: per-date capacities that override DAILY_CLIENT_CAPACITY
-- (0 = a day off). `day` is YYYY-MM-DD in BUSINESS_TIMEZONE.
CREATE TABLE calendar_days (
  day        TEXT        PRIMARY KEY,
  capacity   INTEGER     NOT NULL CHECK (capacity >= 0),
  updated_at TIMESTAMPTZ NOT NULL
);
-- The clients booked in a span of event times, read from the index alone.
CREATE INDEX service_bookings_day_idx
  ON service_bookings (tanggal_acara, jumlah_client) WHERE status <> 'cancelled';

-- Every admin write, appended in its own transaction; nothing updates or deletes a row.
-- `before` and `after` are the subject's JSON (null where it did not exist).
CREATE TABLE audit_log (
  id           BIGSERIAL   PRIMARY KEY,
  at           TIMESTAMPTZ NOT NULL,
  actor_id     BIGINT,
  action       TEXT        NOT NULL,
  subject_type TEXT        NOT NULL,
  subject_id   TEXT        NOT NULL,
  before       TEXT,
  after        TEXT
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);
