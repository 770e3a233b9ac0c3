-- Users of both surfaces. Times are integer microseconds since the Unix epoch (UTC);
-- money is integer minor units.
CREATE TABLE users (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  name            TEXT    NOT NULL,
  email           TEXT    NOT NULL,
  address         TEXT,
  phone_number    TEXT,
  hashed_password TEXT    NOT NULL,
  role            TEXT    NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin')),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE packages (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT    NOT NULL,
  description TEXT,
  created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX packages_name_key ON packages (name);

CREATE TABLE service_types (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  package_id  INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
  name        TEXT    NOT NULL,
  description TEXT,
  price       INTEGER NOT NULL CHECK (price >= 0)
);
CREATE INDEX service_types_package_idx ON service_types (package_id);

CREATE TABLE service_bookings (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id             INTEGER NOT NULL REFERENCES users (id),
  service_type_id     INTEGER NOT NULL REFERENCES service_types (id),
  price_locked        INTEGER NOT NULL CHECK (price_locked >= 0),
  status              TEXT    NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'confirmed', 'dp', 'paid', 'completed', 'cancelled')),
  tanggal_booking     INTEGER NOT NULL,
  tanggal_acara       INTEGER NOT NULL,
  jumlah_client       INTEGER NOT NULL CHECK (jumlah_client >= 1),
  priority_score      INTEGER NOT NULL,
  priority_segment    TEXT    NOT NULL,
  urgency_level       TEXT    NOT NULL,
  monetary_level      TEXT    NOT NULL,
  updated_priority_at INTEGER NOT NULL,
  -- Where a row came from when it was loaded rather than booked (demo, import); re-loading
  -- the same source is then a no-op.
  source_ref          TEXT UNIQUE
);
CREATE INDEX service_bookings_user_idx ON service_bookings (user_id);
CREATE INDEX service_bookings_type_idx ON service_bookings (service_type_id);
CREATE INDEX service_bookings_priority_idx
  ON service_bookings (priority_score DESC, tanggal_acara, id);
CREATE INDEX service_bookings_segment_idx ON service_bookings (priority_segment);

-- A retried POST /bookings/ with the same Idempotency-Key returns the first booking.
CREATE TABLE service_booking_idempotency (
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key         TEXT    NOT NULL,
  fingerprint TEXT    NOT NULL,
  booking_id  INTEGER NOT NULL REFERENCES service_bookings (id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);
