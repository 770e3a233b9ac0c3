#pragma once

#include "courses/captcha.hpp"
#include "courses/idempotency.hpp"
#include "courses/store.hpp"
#include "events/bus.hpp"

#include <chrono>

namespace janji::courses {

inline constexpr std::string_view kStream = "course_bookings";

struct CaptchaSettings {
  std::string provider = "altcha";  // altcha | turnstile | hcaptcha | recaptcha | none
  std::string secret;               // the hosted provider's secret key
  std::string verify_url;           // the hosted provider's siteverify URL
  std::uint64_t max_number = 100000;
  std::chrono::seconds ttl{600};
};

/// Course registration as seed 000 orders it: validate → captcha → idempotency → course →
/// spam rules → insert → remember the key → publish booking.created.
class CourseService {
 public:
  CourseService(CourseStore& store, events::Bus& bus, IdempotencyCache& keys, std::string secret,
                CaptchaSettings captcha, std::chrono::seconds booking_ttl);

  AltchaChallenge new_challenge() const;
  /// A logged-in user's booking (`user_id` set) skips the captcha.
  boost::asio::awaitable<CourseBooking> register_course(Registration form,
                                                        std::optional<std::int64_t> user_id);
  boost::asio::awaitable<std::pair<CourseBooking, Enrollment>> confirm(std::string id);
  boost::asio::awaitable<CourseBooking> reject(std::string id, std::optional<std::string> reason);
  /// Marks overdue pending bookings expired and publishes booking.expired for each.
  boost::asio::awaitable<std::size_t> expire_due();

  const CaptchaSettings& captcha() const { return captcha_; }

 private:
  /// Verifies the registration's captcha; for ALTCHA returns the challenge to spend.
  boost::asio::awaitable<std::optional<SpentCaptcha>> check_captcha(const std::string& token);
  boost::asio::awaitable<void> check_hosted_captcha(const std::string& token);
  void publish(std::string_view type, std::string_view event_type, const CourseBooking& b);

  CourseStore& store_;
  events::Bus& bus_;
  IdempotencyCache& keys_;
  std::string secret_;
  CaptchaSettings captcha_;
  std::chrono::seconds booking_ttl_;
};

}  // namespace janji::courses
