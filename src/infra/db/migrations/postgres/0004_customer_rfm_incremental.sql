-- A new booking adds itself to its customer's aggregate instead of recomputing it from all
-- of that customer's bookings, so a write costs the same however many bookings a customer
-- has. Updates that leave the aggregate as it was (most status changes, every re-scoring)
-- no longer touch it; the rest, and deletes, still recompute that one customer. The
-- insert takes the same per-customer advisory lock as customer_rfm_refresh, so an
-- increment and a recomputation of one customer never interleave.
CREATE OR REPLACE FUNCTION customer_rfm_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'cancelled' THEN
      PERFORM pg_advisory_xact_lock(1, (NEW.user_id % 2147483647)::integer);
      INSERT INTO customer_rfm AS r (user_id, last_booking, bookings, total)
        VALUES (NEW.user_id, NEW.tanggal_booking, 1, NEW.price_locked)
        ON CONFLICT (user_id) DO UPDATE SET
          last_booking = GREATEST(r.last_booking, EXCLUDED.last_booking),
          bookings = r.bookings + 1,
          total = r.total + EXCLUDED.total;
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.user_id = OLD.user_id
     AND (NEW.status = 'cancelled') = (OLD.status = 'cancelled')
     AND NEW.tanggal_booking = OLD.tanggal_booking
     AND NEW.price_locked = OLD.price_locked THEN
    RETURN NULL;
  END IF;
  PERFORM customer_rfm_refresh(OLD.user_id);
  IF TG_OP = 'UPDATE' AND NEW.user_id <> OLD.user_id THEN
    PERFORM customer_rfm_refresh(NEW.user_id);
  END IF;
  RETURN NULL;
END $$;
