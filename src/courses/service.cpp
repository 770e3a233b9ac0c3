#include "courses/service.hpp"

#include "courses/errors.hpp"
#include "courses/validation.hpp"
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

CourseService::CourseService(CourseStore& store, events::Relay& events, IdempotencyCache& keys,
                             std::string secret, CaptchaSettings captcha,
                             std::chrono::seconds booking_ttl, const notify::Outbox* outbox,
                             std::string public_url)
    : courses_(store),
      bookings_(store.runner(), outbox, OfferSettings{booking_ttl, std::move(public_url)}),
      enrollments_(store.runner()),
      events_(events),
      keys_(keys),
      secret_(std::move(secret)),
      captcha_(std::move(captcha)),
      booking_ttl_(booking_ttl) {}

Timestamp CourseService::now() const {
  return now_utc();
}

asio::awaitable<std::vector<Course>> CourseService::list_courses(bool include_inactive) {
  co_return co_await courses_.list_courses(include_inactive);
}

asio::awaitable<Course> CourseService::course(std::string id) {
  auto c = co_await courses_.find_course(std::move(id));
  if (!c) throw errors::course_not_found();
  co_return std::move(*c);
}

asio::awaitable<Course> CourseService::create_course(Course c, audit::Actor by) {
  c.id = new_uuid();
  c.created_at = c.updated_at = now_utc();
  co_return co_await courses_.create_course(std::move(c), by);
}

asio::awaitable<Course> CourseService::update_course(std::string id, CourseChange change,
                                                     audit::Actor by) {
  const bool seats_changed = change.max_students || change.is_active;
  auto c = co_await courses_.update_course(std::move(id), std::move(change), now_utc(), by);
  if (!c) throw errors::course_not_found();
  if (seats_changed) co_await offer_seats(c->id);
  co_return std::move(*c);
}

asio::awaitable<CourseRemoval> CourseService::remove_course(std::string id, audit::Actor by) {
  const auto removal = co_await courses_.remove_course(std::move(id), now_utc(), by);
  if (removal == CourseRemoval::kNotFound) throw errors::course_not_found();
  co_return removal;
}

AltchaChallenge CourseService::new_challenge() const {
  if (is_hosted_provider(captcha_.provider)) throw errors::captcha_not_issued(captcha_.provider);
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
  if (!challenge) throw errors::captcha_invalid(why);
  co_return SpentCaptcha{std::move(*challenge), expires};
}

asio::awaitable<void> CourseService::check_hosted_captcha(const std::string& token) {
  const auto unavailable = [this](const std::string& why) {
    spdlog::warn("captcha: {} siteverify failed: {}", captcha_.provider, why);
    return errors::captcha_unavailable();
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
  if (!verdict.success) throw errors::captcha_invalid(verdict.why);
}

asio::awaitable<CourseBooking> CourseService::register_course(Registration form,
                                                              std::optional<std::int64_t> user_id) {
  std::optional<SpentCaptcha> captcha;
  if (!user_id) captcha = co_await check_captcha(form.captcha_token);
  if (auto first = co_await keys_.find(form.idempotency_key))
    throw errors::duplicate_request(std::move(*first));
  const auto now = now_utc();
  // The captcha is spent in the registration's own transaction.
  // Named, not braced into the call: GCC 12 frees a braced coroutine argument twice.
  NewBooking fresh{new_uuid(), std::move(form), user_id, now, now + booking_ttl_};
  auto booking = co_await bookings_.register_booking(std::move(fresh), std::move(captcha));
  co_await keys_.remember(booking.form.idempotency_key, booking.id);
  events_.committed(kStream);
  co_return booking;
}

asio::awaitable<std::vector<CourseBooking>> CourseService::pending() {
  co_return co_await bookings_.pending();
}

asio::awaitable<std::vector<CourseBooking>> CourseService::all_bookings(
    std::optional<std::string> status) {
  co_return co_await bookings_.all(std::move(status));
}

asio::awaitable<std::vector<CourseBooking>> CourseService::bookings_of_user(
    const auth::User& caller, std::int64_t user_id) {
  if (user_id != caller.id && !caller.is_admin()) throw errors::not_your_bookings();
  co_return co_await bookings_.of_user(user_id);
}

asio::awaitable<std::pair<CourseBooking, Enrollment>> CourseService::confirm(std::string id,
                                                                             audit::Actor by) {
  Enrollment enrollment;
  enrollment.id = new_uuid();
  enrollment.enrolled_at = now_utc();
  auto result = co_await bookings_.confirm(std::move(id), std::move(enrollment), by);
  events_.committed(kStream);
  co_return result;
}

asio::awaitable<CourseBooking> CourseService::reject(std::string id,
                                                     std::optional<std::string> reason,
                                                     audit::Actor by) {
  auto b = co_await bookings_.reject(std::move(id), std::move(reason), now_utc(), by);
  events_.committed(kStream);
  // A rejected offer is a seat for the next one waiting.
  co_await offer_seats(b.course_id);
  co_return b;
}

asio::awaitable<CourseBooking> CourseService::waitlist(std::string id, audit::Actor by) {
  auto b = co_await bookings_.waitlist(std::move(id), now_utc(), by);
  events_.committed(kStream);
  co_return b;
}

asio::awaitable<void> CourseService::remove_booking(std::string id, audit::Actor by) {
  const auto course = co_await bookings_.remove(std::move(id), now_utc(), by);
  if (!course) throw errors::booking_not_found();
  co_await offer_seats(*course);
}

asio::awaitable<std::size_t> CourseService::expire_due() {
  const auto now = now_utc();
  const auto expired = co_await bookings_.expire(now);
  // Every course with a waitlist: an expired offer's seat, and whatever a crash between a
  // change and its offer left unoffered.
  const auto offered = co_await bookings_.offer_seats(std::nullopt, now);
  if (!expired.empty() || !offered.empty()) events_.committed(kStream);
  co_return expired.size();
}

asio::awaitable<ManagedBooking> CourseService::managed(std::string token) {
  auto m = co_await bookings_.managed(std::move(token));
  if (!m) throw errors::unknown_manage_token();
  co_return std::move(*m);
}

asio::awaitable<CourseBooking> CourseService::cancel_managed(std::string token) {
  auto b = co_await bookings_.cancel_managed(std::move(token), now_utc());
  events_.committed(kStream);
  co_await offer_seats(b.course_id);
  co_return b;
}

asio::awaitable<void> CourseService::offer_seats(std::string course_id) {
  const auto offered = co_await bookings_.offer_seats(std::move(course_id), now_utc());
  if (!offered.empty()) events_.committed(kStream);
}

asio::awaitable<EnrollmentPage> CourseService::enrollments(EnrollmentFilter filter) {
  co_return co_await enrollments_.list(std::move(filter));
}

asio::awaitable<EnrollmentDetail> CourseService::enrollment(std::string id) {
  auto e = co_await enrollments_.find(std::move(id));
  if (!e) throw errors::enrollment_not_found();
  co_return std::move(*e);
}

asio::awaitable<EnrollmentDetail> CourseService::enroll(Enrollment e, audit::Actor by) {
  e.id = new_uuid();
  e.enrolled_at = now_utc();
  co_return co_await enrollments_.create(std::move(e), by);
}

asio::awaitable<EnrollmentDetail> CourseService::set_enrollment_status(std::string id,
                                                                       std::string status,
                                                                       audit::Actor by) {
  const bool frees = status == "cancelled" || status == "completed";
  auto e = co_await enrollments_.set_status(std::move(id), std::move(status), now_utc(), by);
  if (!e) throw errors::enrollment_not_found();
  if (frees) co_await offer_seats(e->enrollment.course_id);
  co_return std::move(*e);
}

}  // namespace janji::courses
