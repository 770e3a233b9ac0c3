-- Per-customer RFM aggregates of non-cancelled bookings, kept current by triggers so that
-- segmentation reads one row per customer instead of every booking.
CREATE TABLE customer_rfm (
  user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  last_booking INTEGER NOT NULL,
  bookings     INTEGER NOT NULL,
  total        INTEGER NOT NULL
);

CREATE INDEX service_bookings_rfm_idx
  ON service_bookings (user_id, status, tanggal_booking, price_locked);

INSERT INTO customer_rfm (user_id, last_booking, bookings, total)
  SELECT user_id, MAX(tanggal_booking), COUNT(*), SUM(price_locked)
  FROM service_bookings WHERE status <> 'cancelled' GROUP BY user_id;

-- Each trigger recomputes the affected customers from the index above: a handful of rows.
CREATE TRIGGER customer_rfm_after_insert AFTER INSERT ON service_bookings BEGIN
  DELETE FROM customer_rfm WHERE user_id = NEW.user_id;
  INSERT INTO customer_rfm (user_id, last_booking, bookings, total)
    SELECT user_id, MAX(tanggal_booking), COUNT(*), SUM(price_locked)
    FROM service_bookings WHERE user_id = NEW.user_id AND status <> 'cancelled' GROUP BY user_id;
END;

CREATE TRIGGER customer_rfm_after_update
AFTER UPDATE OF user_id, status, tanggal_booking, price_locked ON service_bookings BEGIN
  DELETE FROM customer_rfm WHERE user_id IN (OLD.user_id, NEW.user_id);
  INSERT INTO customer_rfm (user_id, last_booking, bookings, total)
    SELECT user_id, MAX(tanggal_booking), COUNT(*), SUM(price_locked)
    FROM service_bookings WHERE user_id IN (OLD.user_id, NEW.user_id) AND status <> 'cancelled'
    GROUP BY user_id;
END;

CREATE TRIGGER customer_rfm_after_delete AFTER DELETE ON service_bookings BEGIN
  DELETE FROM customer_rfm WHERE user_id = OLD.user_id;
  INSERT INTO customer_rfm (user_id, last_booking, bookings, total)
    SELECT user_id, MAX(tanggal_booking), COUNT(*), SUM(price_locked)
    FROM service_bookings WHERE user_id = OLD.user_id AND status <> 'cancelled' GROUP BY user_id;
END;
