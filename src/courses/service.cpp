#include "courses/service.hpp"

#include "infra/net/http_client.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace janji::courses {

namespace json = boost::json;
namespace asio = boost::asio;

namespace {
// An applicant waits for siteverify; past this the registration fails with 503.
constexpr auto kVerifyTimeout = std::chrono::seconds(5);
}  // namespace

CourseService::CourseService(CourseStore& store, events::Bus& bus, IdempotencyCache& keys,
                             std::string secret, CaptchaSettings captcha,
                             std::chrono::seconds booking_ttl)
    : store_(store),
      bus_(bus),
      keys_(keys),
      secret_(std::move(secret)),
      captcha_(std::move(captcha)),
      booking_ttl_(booking_ttl) {}

AltchaChallenge CourseService::new_challenge() const {
  return make_altcha_challenge(secret_, captcha_.max_number, captcha_.ttl, now_utc());
}

asio::awaitable<std::optional<SpentCaptcha>> CourseService::check_captcha(
    const std::string& token) {
  if (captcha_.provider == "none") co_return std::nullopt;
  if (is_hosted_provider(captcha_.provider)) {
    // The provider itself accepts each of its tokens once.
    co_await check_hosted_captcha(token);
    co_return std::nullopt;
  }
  std::string why;
  Timestamp expires{};
  auto challenge = verify_altcha(token, secret_, now_utc(), why, &expires);
  if (!challenge) throw captcha_invalid(why);
  co_return SpentCaptcha{std::move(*challenge), expires};
}

asio::awaitable<void> CourseService::check_hosted_captcha(const std::string& token) {
  const auto unavailable = [this](const std::string& why) {
    spdlog::warn("captcha: {} siteverify failed: {}", captcha_.provider, why);
    return ApiError::coded(ErrorCode::kUnavailable, "CAPTCHA_UNAVAILABLE",
                           "Captcha verification is unavailable; please try again shortly");
  };
  net::HttpReply reply;
  try {
    reply = co_await net::post(captcha_.verify_url, "application/x-www-form-urlencoded",
                               siteverify_form(captcha_.secret, token), kVerifyTimeout);
  } catch (const net::HttpClientError& e) {
    throw unavailable(e.what());
  }
  if (reply.status != 200) throw unavailable("HTTP status " + std::to_string(reply.status));
  SiteverifyVerdict verdict;
  try {
    verdict = parse_siteverify(reply.body);
  } catch (const std::invalid_argument& e) {
    throw unavailable(e.what());
  }
  if (!verdict.success) throw captcha_invalid(verdict.why);
}

asio::awaitable<CourseBooking> CourseService::register_course(Registration form,
                                                              std::optional<std::int64_t> user_id) {
  std::optional<SpentCaptcha> captcha;
  if (!user_id) captcha = co_await check_captcha(form.captcha_token);
  if (auto first = co_await keys_.find(form.idempotency_key))
    throw ApiError::coded(ErrorCode::kConflict, "DUPLICATE_REQUEST",
                          "This request was already received",
                          json::array{{{"bookingId", *first}}});
  const auto now = now_utc();
  // The captcha is spent in the registration's own transaction.
  auto booking = co_await store_.register_booking(std::move(form), user_id, now, now + booking_ttl_,
                                                  std::move(captcha));
  co_await keys_.remember(booking.form.idempotency_key, booking.id);
  publish("booking.created", "BOOKING_CREATED", booking);
  co_return booking;
}

asio::awaitable<std::pair<CourseBooking, Enrollment>> CourseService::confirm(std::string id) {
  auto result = co_await store_.confirm(std::move(id), now_utc());
  publish("booking.confirmed", "BOOKING_CONFIRMED", result.first);
  co_return result;
}

asio::awaitable<CourseBooking> CourseService::reject(std::string id,
                                                     std::optional<std::string> reason) {
  auto b = co_await store_.reject(std::move(id), std::move(reason), now_utc());
  publish("booking.rejected", "BOOKING_REJECTED", b);
  co_return b;
}

asio::awaitable<std::size_t> CourseService::expire_due() {
  const auto expired = co_await store_.expire(now_utc());
  for (const auto& b : expired) publish("booking.expired", "BOOKING_EXPIRED", b);
  co_return expired.size();
}

void CourseService::publish(std::string_view type, std::string_view event_type,
                            const CourseBooking& b) {
  json::array days;
  for (const auto& d : b.form.preferred_days) days.push_back(json::value(d));
  const json::object payload{{"eventType", event_type},
                             {"bookingId", b.id},
                             {"userId", b.user_id ? json::value(*b.user_id) : json::value(nullptr)},
                             {"courseId", b.course_id},
                             {"experienceLevel", b.form.experience_level},
                             {"preferredDays", std::move(days)},
                             {"timestamp", format_iso_z(now_utc())}};
  bus_.publish(std::string(kStream), std::string(type), json::serialize(payload));
}

}  // namespace janji::courses
