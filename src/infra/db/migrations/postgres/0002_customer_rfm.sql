-- Per-customer RFM aggregates of non-cancelled bookings, kept current by a trigger so that
-- segmentation reads one row per customer instead of every booking.
CREATE TABLE customer_rfm (
  user_id      BIGINT        PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  last_booking TIMESTAMPTZ   NOT NULL,
  bookings     BIGINT        NOT NULL,
  total        NUMERIC(16,2) NOT NULL
);

CREATE INDEX service_bookings_rfm_idx
  ON service_bookings (user_id, status, tanggal_booking, price_locked);

INSERT INTO customer_rfm (user_id, last_booking, bookings, total)
  SELECT user_id, MAX(tanggal_booking), COUNT(*), SUM(price_locked)
  FROM service_bookings WHERE status <> 'cancelled' GROUP BY user_id;

-- Recomputes one customer from the index above. The advisory lock (namespace 1 = customer
-- RFM) serialises transactions touching the same customer, and the statements after it
-- see the bookings of every transaction that held it before: concurrent writes can neither
-- lose an update nor collide on the primary key.
CREATE FUNCTION customer_rfm_refresh(customer BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1, (customer % 2147483647)::integer);
  DELETE FROM customer_rfm WHERE user_id = customer;
  INSERT INTO customer_rfm (user_id, last_booking, bookings, total)
    SELECT user_id, MAX(tanggal_booking), COUNT(*), SUM(price_locked)
    FROM service_bookings WHERE user_id = customer AND status <> 'cancelled' GROUP BY user_id;
END $$;

CREATE FUNCTION customer_rfm_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM customer_rfm_refresh(OLD.user_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.user_id <> OLD.user_id) THEN
    PERFORM customer_rfm_refresh(NEW.user_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER customer_rfm_after_insert AFTER INSERT ON service_bookings
  FOR EACH ROW EXECUTE FUNCTION customer_rfm_track();
CREATE TRIGGER customer_rfm_after_update
  AFTER UPDATE OF user_id, status, tanggal_booking, price_locked ON service_bookings
  FOR EACH ROW EXECUTE FUNCTION customer_rfm_track();
CREATE TRIGGER customer_rfm_after_delete AFTER DELETE ON service_bookings
  FOR EACH ROW EXECUTE FUNCTION customer_rfm_track();
