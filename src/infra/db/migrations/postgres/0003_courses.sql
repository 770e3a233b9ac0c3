-- Course registration (seed 000). Ids are UUIDs; times timestamptz; money NUMERIC;
-- preferred times HH:MM as text.
CREATE TABLE courses (
  id                UUID          PRIMARY KEY,
  title             TEXT          NOT NULL,
  description       TEXT,
  instrument        TEXT          NOT NULL,
  level             TEXT          NOT NULL
                    CHECK (level IN ('beginner', 'intermediate', 'advanced', 'all_levels')),
  price_per_session NUMERIC(14,2) NOT NULL CHECK (price_per_session >= 0),
  duration_minutes  INTEGER       NOT NULL CHECK (duration_minutes > 0),
  max_students      INTEGER       NOT NULL CHECK (max_students > 0),
  is_active         BOOLEAN       NOT NULL DEFAULT TRUE,
  created_at        TIMESTAMPTZ   NOT NULL,
  updated_at        TIMESTAMPTZ   NOT NULL
);

CREATE TABLE course_bookings (
  id                    UUID        PRIMARY KEY,
  course_id             UUID        NOT NULL REFERENCES courses (id),
  user_id               BIGINT      REFERENCES users (id) ON DELETE SET NULL,
  status                TEXT        NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'confirmed', 'rejected', 'cancelled', 'expired')),
  applicant_full_name   TEXT        NOT NULL,
  applicant_email       TEXT        NOT NULL,
  applicant_wa_number   TEXT,
  applicant_address     TEXT        NOT NULL,
  applicant_birth_place TEXT        NOT NULL,
  applicant_birth_date  DATE        NOT NULL,
  applicant_school      TEXT        NOT NULL,
  applicant_class       INTEGER     NOT NULL CHECK (applicant_class BETWEEN 1 AND 12),
  guardian_name         TEXT        NOT NULL,
  guardian_wa_number    TEXT        NOT NULL,
  experience_level      TEXT        NOT NULL DEFAULT 'beginner'
                        CHECK (experience_level IN ('beginner', 'intermediate', 'advanced')),
  preferred_days        TEXT        NOT NULL,  -- JSON array of weekday names
  preferred_time_start  TEXT        NOT NULL,
  preferred_time_end    TEXT        NOT NULL,
  start_date_target     DATE,
  instrument_owned      BOOLEAN,
  notes                 TEXT,
  referral_source       TEXT,
  consent               BOOLEAN     NOT NULL CHECK (consent),
  idempotency_key       TEXT        UNIQUE,
  expires_at            TIMESTAMPTZ,
  confirmed_at          TIMESTAMPTZ,
  rejected_at           TIMESTAMPTZ,
  rejection_reason      TEXT,
  created_at            TIMESTAMPTZ NOT NULL,
  updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX course_bookings_email_idx ON course_bookings (lower(applicant_email), status, expires_at);
CREATE INDEX course_bookings_status_idx ON course_bookings (status, created_at);
CREATE INDEX course_bookings_user_idx ON course_bookings (user_id);

-- At most three unexpired pending bookings per e-mail. Inserts for one e-mail take a
-- transaction-scoped advisory lock (namespace 2 = applicant e-mail) first, so the count
-- below sees every pending booking committed by the transactions that held it before: two
-- connections cannot both pass the check with the third slot.
CREATE FUNCTION course_bookings_pending_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(2, hashtext(lower(NEW.applicant_email)));
  IF (SELECT COUNT(*) FROM course_bookings
      WHERE lower(applicant_email) = lower(NEW.applicant_email) AND status = 'pending'
        AND expires_at > NEW.created_at) >= 3 THEN
    RAISE EXCEPTION 'PENDING_LIMIT_REACHED' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER course_bookings_pending_limit
  BEFORE INSERT ON course_bookings
  FOR EACH ROW WHEN (NEW.status = 'pending') EXECUTE FUNCTION course_bookings_pending_limit();

CREATE TABLE enrollments (
  id          UUID        PRIMARY KEY,
  student_id  BIGINT      REFERENCES users (id) ON DELETE SET NULL,
  booking_id  UUID        REFERENCES course_bookings (id) ON DELETE CASCADE,
  course_id   UUID        NOT NULL REFERENCES courses (id),
  status      TEXT        NOT NULL DEFAULT 'active'
              CHECK (status IN ('pending', 'active', 'completed', 'cancelled')),
  enrolled_at TIMESTAMPTZ NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL
);
-- One active enrollment per (student or booking, course).
CREATE UNIQUE INDEX enrollments_active_booking_key
  ON enrollments (booking_id, course_id) WHERE status = 'active' AND booking_id IS NOT NULL;
CREATE UNIQUE INDEX enrollments_active_student_key
  ON enrollments (student_id, course_id) WHERE status = 'active' AND student_id IS NOT NULL;
CREATE INDEX enrollments_course_idx ON enrollments (course_id);

-- Proof-of-work captcha challenges already used; a challenge is accepted once.
CREATE TABLE used_captchas (
  challenge  TEXT        PRIMARY KEY,
  expires_at TIMESTAMPTZ NOT NULL
);
