-- A new booking adds itself to its customer's aggregate instead of recomputing it from all
-- of that customer's bookings, so a write costs the same however many bookings a customer
-- has. Updates that leave the aggregate as it was (most status changes, every re-scoring)
-- no longer touch it; the rest, and deletes, still recompute that one customer.
DROP TRIGGER customer_rfm_after_insert;
DROP TRIGGER customer_rfm_after_update;

CREATE TRIGGER customer_rfm_after_insert AFTER INSERT ON service_bookings
WHEN NEW.status <> 'cancelled' BEGIN
  INSERT INTO customer_rfm (user_id, last_booking, bookings, total)
    VALUES (NEW.user_id, NEW.tanggal_booking, 1, NEW.price_locked)
    ON CONFLICT (user_id) DO UPDATE SET
      last_booking = MAX(last_booking, excluded.last_booking),
      bookings = bookings + 1,
      total = total + excluded.total;
END;

CREATE TRIGGER customer_rfm_after_update
AFTER UPDATE OF user_id, status, tanggal_booking, price_locked ON service_bookings
WHEN OLD.user_id IS NOT NEW.user_id
  OR (OLD.status = 'cancelled') IS NOT (NEW.status = 'cancelled')
  OR OLD.tanggal_booking IS NOT NEW.tanggal_booking
  OR OLD.price_locked IS NOT NEW.price_locked
BEGIN
  DELETE FROM customer_rfm WHERE user_id IN (OLD.user_id, NEW.user_id);
  INSERT INTO customer_rfm (user_id, last_booking, bookings, total)
    SELECT user_id, MAX(tanggal_booking), COUNT(*), SUM(price_locked)
    FROM service_bookings WHERE user_id IN (OLD.user_id, NEW.user_id) AND status <> 'cancelled'
    GROUP BY user_id;
END;
