-- Course registration (seed 000). Ids are UUID text; times integer microseconds (UTC);
-- money integer minor units; dates YYYY-MM-DD and times HH:MM as text.
CREATE TABLE courses (
  id                TEXT    PRIMARY KEY,
  title             TEXT    NOT NULL,
  description       TEXT,
  instrument        TEXT    NOT NULL,
  level             TEXT    NOT NULL
                    CHECK (level IN ('beginner', 'intermediate', 'advanced', 'all_levels')),
  price_per_session INTEGER NOT NULL CHECK (price_per_session >= 0),
  duration_minutes  INTEGER NOT NULL CHECK (duration_minutes > 0),
  max_students      INTEGER NOT NULL CHECK (max_students > 0),
  is_active         INTEGER NOT NULL DEFAULT 1,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);

CREATE TABLE course_bookings (
  id                    TEXT    PRIMARY KEY,
  course_id             TEXT    NOT NULL REFERENCES courses (id),
  user_id               INTEGER REFERENCES users (id) ON DELETE SET NULL,
  status                TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'confirmed', 'rejected', 'cancelled', 'expired')),
  applicant_full_name   TEXT    NOT NULL,
  applicant_email       TEXT    NOT NULL,
  applicant_wa_number   TEXT,
  applicant_address     TEXT    NOT NULL,
  applicant_birth_place TEXT    NOT NULL,
  applicant_birth_date  TEXT    NOT NULL,
  applicant_school      TEXT    NOT NULL,
  applicant_class       INTEGER NOT NULL CHECK (applicant_class BETWEEN 1 AND 12),
  guardian_name         TEXT    NOT NULL,
  guardian_wa_number    TEXT    NOT NULL,
  experience_level      TEXT    NOT NULL DEFAULT 'beginner'
                        CHECK (experience_level IN ('beginner', 'intermediate', 'advanced')),
  preferred_days        TEXT    NOT NULL,  -- JSON array of weekday names
  preferred_time_start  TEXT    NOT NULL,
  preferred_time_end    TEXT    NOT NULL,
  start_date_target     TEXT,
  instrument_owned      INTEGER,
  notes                 TEXT,
  referral_source       TEXT,
  consent               INTEGER NOT NULL CHECK (consent = 1),
  idempotency_key       TEXT    UNIQUE,
  expires_at            INTEGER,
  confirmed_at          INTEGER,
  rejected_at           INTEGER,
  rejection_reason      TEXT,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);
CREATE INDEX course_bookings_email_idx ON course_bookings (lower(applicant_email), status, expires_at);
CREATE INDEX course_bookings_status_idx ON course_bookings (status, created_at);
CREATE INDEX course_bookings_user_idx ON course_bookings (user_id);

-- At most three unexpired pending bookings per e-mail. SQLite runs one writer at a time, so
-- this check and the insert it guards cannot interleave with another insert.
CREATE TRIGGER course_bookings_pending_limit
BEFORE INSERT ON course_bookings WHEN NEW.status = 'pending'
BEGIN
  SELECT RAISE(ABORT, 'PENDING_LIMIT_REACHED')
  WHERE (SELECT COUNT(*) FROM course_bookings
         WHERE lower(applicant_email) = lower(NEW.applicant_email) AND status = 'pending'
           AND expires_at > NEW.created_at) >= 3;
END;

CREATE TABLE enrollments (
  id          TEXT    PRIMARY KEY,
  student_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  booking_id  TEXT    REFERENCES course_bookings (id) ON DELETE CASCADE,
  course_id   TEXT    NOT NULL REFERENCES courses (id),
  status      TEXT    NOT NULL DEFAULT 'active'
              CHECK (status IN ('pending', 'active', 'completed', 'cancelled')),
  enrolled_at INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
-- One active enrollment per (student or booking, course).
CREATE UNIQUE INDEX enrollments_active_booking_key
  ON enrollments (booking_id, course_id) WHERE status = 'active' AND booking_id IS NOT NULL;
CREATE UNIQUE INDEX enrollments_active_student_key
  ON enrollments (student_id, course_id) WHERE status = 'active' AND student_id IS NOT NULL;
CREATE INDEX enrollments_course_idx ON enrollments (course_id);

-- Proof-of-work captcha challenges already used; a challenge is accepted once.
CREATE TABLE used_captchas (
  challenge  TEXT    PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
