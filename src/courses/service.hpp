#pragma once

#include "auth/dto.hpp"
#include "courses/booking_store.hpp"
#include "courses/captcha.hpp"
#include "courses/enrollment_store.hpp"
#include "courses/idempotency.hpp"
#include "courses/store.hpp"
#include "events/relay.hpp"

#include <chrono>

namespace janji::courses {

struct CaptchaSettings {
  std::string provider = "altcha";  // altcha | turnstile | hcaptcha | recaptcha | none
  std::string secret;               // the hosted provider's secret key
  std::string verify_url;           // the hosted provider's siteverify URL
  std::uint64_t max_number = 100000;
  std::chrono::seconds ttl{600};
};

/// Everything the course surface does: the catalogue, registrations and their decisions,
/// enrollments. It gives new records their ids and times, throws the errors of
/// courses/errors.hpp and publishes the booking events.
///
/// Course registration as seed 000 orders it: validate → captcha → idempotency → course →
/// spam rules → insert → remember the key → publish booking.created.
class CourseService {
 public:
  /// The booking and enrollment stores work on `store`'s database.
  /// With `outbox`, the booking events also queue their messages and webhooks.
  CourseService(CourseStore& store, events::Relay& events, IdempotencyCache& keys,
                std::string secret, CaptchaSettings captcha, std::chrono::seconds booking_ttl,
                const notify::Outbox* outbox = nullptr, std::string public_url = {});

  /// The time requests are validated against (a birth date must be in the past, ...).
  Timestamp now() const;

  boost::asio::awaitable<std::vector<Course>> list_courses(bool include_inactive);
  boost::asio::awaitable<Course> course(std::string id);
  boost::asio::awaitable<Course> create_course(Course c, audit::Actor by);
  boost::asio::awaitable<Course> update_course(std::string id, CourseChange change,
                                               audit::Actor by);
  /// kDeleted or kDeactivated (a course with bookings is kept, inactive).
  boost::asio::awaitable<CourseRemoval> remove_course(std::string id, audit::Actor by);

  /// A fresh ALTCHA challenge; 404 CAPTCHA_NOT_ISSUED when a hosted provider checks tokens.
  AltchaChallenge new_challenge() const;
  /// A logged-in user's booking (`user_id` set) skips the captcha.
  boost::asio::awaitable<CourseBooking> register_course(Registration form,
                                                        std::optional<std::int64_t> user_id);
  boost::asio::awaitable<std::vector<CourseBooking>> pending();
  /// Every booking, or those with `status`, oldest first (the CSV export).
  boost::asio::awaitable<std::vector<CourseBooking>> all_bookings(
      std::optional<std::string> status);
  /// The bookings of `user_id`, which only that user and admins may see.
  boost::asio::awaitable<std::vector<CourseBooking>> bookings_of_user(const auth::User& caller,
                                                                      std::int64_t user_id);
  boost::asio::awaitable<std::pair<CourseBooking, Enrollment>> confirm(std::string id,
                                                                       audit::Actor by);
  boost::asio::awaitable<CourseBooking> reject(std::string id, std::optional<std::string> reason,
                                               audit::Actor by);
  /// Moves a pending booking to the waitlist (booking.waitlisted).
  boost::asio::awaitable<CourseBooking> waitlist(std::string id, audit::Actor by);
  /// Deletes a booking and its enrollments.
  boost::asio::awaitable<void> remove_booking(std::string id, audit::Actor by);
  /// Marks overdue pending bookings expired and publishes booking.expired for each, then
  /// offers the seats that are free to the waitlists.
  boost::asio::awaitable<std::size_t> expire_due();

  /// The booking a manage token names, with its course; 404 for any other token.
  boost::asio::awaitable<ManagedBooking> managed(std::string token);
  /// The applicant cancels through the manage token (pending or waitlisted only).
  boost::asio::awaitable<CourseBooking> cancel_managed(std::string token);

  boost::asio::awaitable<EnrollmentPage> enrollments(EnrollmentFilter filter);
  boost::asio::awaitable<EnrollmentDetail> enrollment(std::string id);
  boost::asio::awaitable<EnrollmentDetail> enroll(Enrollment e, audit::Actor by);
  boost::asio::awaitable<EnrollmentDetail> set_enrollment_status(std::string id, std::string status,
                                                                 audit::Actor by);

  const CaptchaSettings& captcha() const { return captcha_; }

 private:
  /// Verifies the registration's captcha; for ALTCHA returns the challenge to spend.
  boost::asio::awaitable<std::optional<SpentCaptcha>> check_captcha(const std::string& token);
  boost::asio::awaitable<void> check_hosted_captcha(const std::string& token);
  /// After a change that may free seats of `course_id`: offers them to its waitlist. The
  /// offer is its own transaction; the expiry sweeper offers what a crash left unoffered.
  boost::asio::awaitable<void> offer_seats(std::string course_id);

  CourseStore& courses_;
  BookingStore bookings_;
  EnrollmentStore enrollments_;
  events::Relay& events_;
  IdempotencyCache& keys_;
  std::string secret_;
  CaptchaSettings captcha_;
  std::chrono::seconds booking_ttl_;
};

}  // namespace janji::courses
