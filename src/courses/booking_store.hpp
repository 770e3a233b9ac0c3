#pragma once

#include "audit/dto.hpp"
#include "courses/captcha.hpp"
#include "courses/dto.hpp"
#include "infra/db/runner.hpp"
#include "notify/outbox.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>

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

/// How freed seats are offered: how long an offer is held (COURSE_BOOKING_TTL) and the
/// base address of the applicants' page (PUBLIC_URL) for the links in messages.
struct OfferSettings {
  std::chrono::seconds ttl{3 * 86400};
  std::string public_url;
};

/// A course booking with its course, as the manage page shows it.
struct ManagedBooking {
  CourseBooking booking;
  Course course;
};

/// Course bookings (registrations). Rules that must hold under concurrency live in the
/// database: the unique idempotency key, the pending-limit trigger, single-use captcha
/// challenges, one active enrollment per booking and course.
class BookingStore {
 public:
  /// With an outbox, every event also queues the messages and webhooks it causes.
  explicit BookingStore(db::Runner& db, const notify::Outbox* outbox = nullptr,
                        OfferSettings offers = {})
      : db_(db), outbox_(outbox), offers_(std::move(offers)) {}

  /// Spends the captcha (400 CAPTCHA_INVALID when it was spent before), then the course
  /// check, same-course pending rule, the 3-pending limit (which the trigger also enforces)
  /// and insert, in one write transaction, staged (db::Write). A full course's registration is
  /// stored waitlisted. The booking returned carries its manage token. Throws the course surface's
  /// coded errors; a registration refused after its captcha was spent keeps it spent.
  boost::asio::awaitable<CourseBooking> register_booking(NewBooking booking,
                                                         std::optional<SpentCaptcha> captcha);
  boost::asio::awaitable<std::vector<CourseBooking>> pending();
  /// Every booking (with `status` only those), oldest first.
  boost::asio::awaitable<std::vector<CourseBooking>> all(std::optional<std::string> status);
  /// Confirms an unexpired pending booking and inserts `enrollment` (its id and time set by
  /// the caller; the rest taken from the booking), atomically; 409 COURSE_FULL when the
  /// enrollment's seat trigger finds no seat.
  boost::asio::awaitable<std::pair<CourseBooking, Enrollment>> confirm(std::string id,
                                                                       Enrollment enrollment,
                                                                       audit::Actor by);
  boost::asio::awaitable<CourseBooking> reject(std::string id, std::optional<std::string> reason,
                                               Timestamp now, audit::Actor by);
  /// Moves a pending booking to the waitlist (no expiry while it waits).
  boost::asio::awaitable<CourseBooking> waitlist(std::string id, Timestamp now, audit::Actor by);
  /// Deletes the booking and its enrollments; the booking's course when there was one.
  boost::asio::awaitable<std::optional<std::string>> remove(std::string id, Timestamp now,
                                                            audit::Actor by);
  /// The booking a manage token names, with its course; nullopt for any other token.
  boost::asio::awaitable<std::optional<ManagedBooking>> managed(std::string token);
  /// Cancels the booking a manage token names while it is pending or waitlisted.
  boost::asio::awaitable<CourseBooking> cancel_managed(std::string token, Timestamp now);
  /// Offers freed seats of `course_id` (or of every course with a waitlist) to the oldest
  /// waitlisted bookings: they become pending until now + the offer's ttl, each with a
  /// booking.seat_offered event whose messages carry a fresh manage link.
  boost::asio::awaitable<std::vector<CourseBooking>> offer_seats(
      std::optional<std::string> course_id, Timestamp now);
  boost::asio::awaitable<std::vector<CourseBooking>> of_user(std::int64_t user_id);

  /// Marks pending bookings past expires_at as expired and returns them; also forgets the
  /// spent captchas that have expired.
  boost::asio::awaitable<std::vector<CourseBooking>> expire(Timestamp now);

 private:
  db::Runner& db_;
  const notify::Outbox* outbox_;
  OfferSettings offers_;
};

}  // namespace janji::courses
