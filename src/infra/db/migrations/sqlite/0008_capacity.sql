-- Seats, waitlist, calendar, self-service and the audit log (DESIGN.md "Capacity, waitlist,
-- calendar", "Self-service", "Audit log and exports").

-- A course booking may wait for a seat: 'waitlisted' joins the statuses. The CHECK is
-- loosened in place, as SQLite documents for removing constraints (ALTER TABLE, "Making
-- other kinds of table schema changes"): a rebuild of the table would need foreign keys off,
-- which a migration's transaction cannot do, and would cascade into enrollments otherwise.
-- Every stored row satisfies the looser CHECK. Both lists are spelled as ORs: SQLite builds
-- a temporary table for an IN list on every insert. RESET reloads this connection's schema;
-- the CREATE statements below move the schema version on, so the others reload theirs.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(replace(sql,
       'CHECK (status IN (''pending'', ''confirmed'', ''rejected'', ''cancelled'', ''expired''))',
       'CHECK (status = ''pending'' OR status = ''confirmed'' OR status = ''rejected'' OR '
       || 'status = ''cancelled'' OR status = ''expired'' OR status = ''waitlisted'')'),
       'CHECK (experience_level IN (''beginner'', ''intermediate'', ''advanced''))',
       'CHECK (experience_level = ''beginner'' OR experience_level = ''intermediate'' OR '
       || 'experience_level = ''advanced'')')
 WHERE type = 'table' AND name = 'course_bookings';
PRAGMA writable_schema = RESET;

-- Seats: a course takes at most max_students active enrollments. SQLite runs one writer at a
-- time, so the count and the insert or update it guards cannot interleave with another.
DROP INDEX enrollments_course_idx;
CREATE INDEX enrollments_course_idx ON enrollments (course_id, status);
CREATE TRIGGER enrollments_seat_limit
BEFORE INSERT ON enrollments WHEN NEW.status = 'active'
BEGIN
  SELECT RAISE(ABORT, 'COURSE_FULL')
  WHERE (SELECT COUNT(*) FROM enrollments WHERE course_id = NEW.course_id AND status = 'active')
        >= (SELECT max_students FROM courses WHERE id = NEW.course_id);
END;
CREATE TRIGGER enrollments_seat_limit_on_update
BEFORE UPDATE OF status, course_id ON enrollments
WHEN NEW.status = 'active' AND (OLD.status <> 'active' OR OLD.course_id <> NEW.course_id)
BEGIN
  SELECT RAISE(ABORT, 'COURSE_FULL')
  WHERE (SELECT COUNT(*) FROM enrollments WHERE course_id = NEW.course_id AND status = 'active')
        >= (SELECT max_students FROM courses WHERE id = NEW.course_id);
END;

-- Manage tokens of course bookings: only their SHA-256 is kept. A booking may have several
-- (one per message that carried a link); each works until the booking is deleted. No index
-- on booking_id: every registration writes here, while only an admin's rare delete of a
-- booking looks tokens up by it.
CREATE TABLE course_booking_tokens (
  token_hash TEXT    PRIMARY KEY,
  booking_id TEXT    NOT NULL REFERENCES course_bookings (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The make-up artist's calendar: per-date capacities that override DAILY_CLIENT_CAPACITY
-- (0 = a day off). `day` is YYYY-MM-DD in BUSINESS_TIMEZONE.
CREATE TABLE calendar_days (
  day        TEXT    PRIMARY KEY,
  capacity   INTEGER NOT NULL CHECK (capacity >= 0),
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
-- The clients booked in a span of event times, read from the index alone.
CREATE INDEX service_bookings_day_idx
  ON service_bookings (tanggal_acara, jumlah_client) WHERE status <> 'cancelled';

-- Every admin write, appended in its own transaction; nothing updates or deletes a row.
-- `before` and `after` are the subject's JSON (null where it did not exist).
CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  at           INTEGER NOT NULL,
  actor_id     INTEGER,
  action       TEXT    NOT NULL,
  subject_type TEXT    NOT NULL,
  subject_id   TEXT    NOT NULL,
  before       TEXT,
  after        TEXT
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);
