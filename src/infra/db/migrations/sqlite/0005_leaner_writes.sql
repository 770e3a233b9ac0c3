-- Fewer pages for each write to touch.
-- Spent captchas past their expiry are removed by the expiry sweeper, through this index,
-- instead of by a scan of the whole table on every registration.
CREATE INDEX used_captchas_expires_idx ON used_captchas (expires_at);
-- service_bookings_rfm_idx (user_id, ...) serves every lookup by customer this one did.
DROP INDEX service_bookings_user_idx;
