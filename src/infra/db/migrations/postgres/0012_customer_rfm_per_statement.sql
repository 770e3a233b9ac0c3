-- New bookings add themselves to their customers' aggregates once per INSERT statement
-- instead of once per row: a batch of bookings reaches the table as one multi-row INSERT
-- (the writer gathers them), and the row trigger's call cost as much as the upsert it made.
-- The customers of the statement are locked in order (namespace 1, as customer_rfm_refresh
-- takes it), then each is added to in one upsert. Updates and deletes keep the row trigger.
CREATE FUNCTION customer_rfm_track_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1, (customer % 2147483647)::integer)
    FROM (SELECT DISTINCT user_id AS customer FROM inserted
          WHERE status <> 'cancelled' ORDER BY 1) AS customers;
  INSERT INTO customer_rfm AS r (user_id, last_booking, bookings, total)
    SELECT user_id, MAX(tanggal_booking), COUNT(*), SUM(price_locked) FROM inserted
    WHERE status <> 'cancelled' GROUP BY user_id
    ON CONFLICT (user_id) DO UPDATE SET
      last_booking = GREATEST(r.last_booking, EXCLUDED.last_booking),
      bookings = r.bookings + EXCLUDED.bookings,
      total = r.total + EXCLUDED.total;
  RETURN NULL;
END $$;

DROP TRIGGER customer_rfm_after_insert ON service_bookings;
CREATE TRIGGER customer_rfm_after_insert
  AFTER INSERT ON service_bookings REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION customer_rfm_track_inserts();
