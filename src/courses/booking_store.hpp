#pragma once

#include "courses/captcha.hpp"
#include "courses/dto.hpp"
#include "infra/db/runner.hpp"
#include "notify/outbox.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace janji::courses {

/// A registration to insert, with what the service decided about it.
struct NewBooking {
  std::string id;
  Registration form;
  std::optional<std::int64_t> user_id;  // a logged-in user's own booking
  Timestamp now;
  Timestamp expires_at;
};

/// Course bookings (registrations). Rules that must hold under concurrency live in the
/// database: the unique idempotency key, the pending-limit trigger, single-use captcha
/// challenges, one active enrollment per booking and course.
class BookingStore {
 public:
  /// With an outbox, every event also queues the messages and webhooks it causes.
  explicit BookingStore(db::Runner& db, const notify::Outbox* outbox = nullptr)
      : db_(db), outbox_(outbox) {}

  /// Spends the captcha (400 CAPTCHA_INVALID when it was spent before), then the course
  /// check, same-course pending rule and insert (the trigger enforces the 3-pending
  /// limit), in one write transaction. Throws the course surface's coded errors; a
  /// registration refused after its captcha was spent keeps it spent.
  boost::asio::awaitable<CourseBooking> register_booking(NewBooking booking,
                                                         std::optional<SpentCaptcha> captcha);
  boost::asio::awaitable<std::vector<CourseBooking>> pending();
  /// Confirms an unexpired pending booking and inserts `enrollment` (its id and time set by
  /// the caller; the rest taken from the booking), atomically.
  boost::asio::awaitable<std::pair<CourseBooking, Enrollment>> confirm(std::string id,
                                                                       Enrollment enrollment);
  boost::asio::awaitable<CourseBooking> reject(std::string id, std::optional<std::string> reason,
                                               Timestamp now);
  /// Deletes the booking and its enrollments; false when there was no such booking.
  boost::asio::awaitable<bool> remove(std::string id);
  boost::asio::awaitable<std::vector<CourseBooking>> of_user(std::int64_t user_id);

  /// Marks pending bookings past expires_at as expired and returns them; also forgets the
  /// spent captchas that have expired.
  boost::asio::awaitable<std::vector<CourseBooking>> expire(Timestamp now);

 private:
  db::Runner& db_;
  const notify::Outbox* outbox_;
};

}  // namespace janji::courses
