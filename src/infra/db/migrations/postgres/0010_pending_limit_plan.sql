-- The pending-limit trigger's count was planned once per connection, usually while
-- course_bookings was still nearly empty: that plan walks every pending booking through
-- course_bookings_status_idx and filters on the e-mail, so each registration grew slower
-- with the table (1 ms at 1,500 pending). Planned for each call instead, the count uses
-- course_bookings_email_idx and stays a few microseconds.
ALTER FUNCTION course_bookings_pending_limit() SET plan_cache_mode = force_custom_plan;
