#include "courses/handlers.hpp"

#include "core/csv.hpp"
#include "courses/validation.hpp"
#include "http/body.hpp"
#include "http/errors.hpp"

#include <boost/json.hpp>

namespace janji::courses {

namespace json = boost::json;
using boost::asio::awaitable;
using http::Access;
using http::Request;
using http::Response;
using http::Verb;

namespace {

template <typename Items>
json::array to_json_array(const Items& items) {
  json::array out;
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

// The 201 of a registration: the booking, and its manage token (given this once).
json::object registered_json(const CourseBooking& b) {
  json::object data{{"booking", to_json(b)}};
  if (b.manage_token) data["manage_token"] = *b.manage_token;
  return data;
}

void add_stream_and_user_routes(http::Router& router, CourseService& courses, events::Hub& hub,
                                events::SseOptions sse) {
  router.add(
      Verb::get, "/api/booking/stream",
      [&hub, sse](Request& req) -> awaitable<Response> {
        co_return events::sse_response(hub, std::string(kStream), req, sse);
      },
      {.tag = "course bookings",
       .summary = "Live course bookings (SSE): booking.created, .confirmed, .rejected, .expired",
       .access = Access::kAdmin,
       .query_token = true,
       .event_stream = true});

  router.add(
      Verb::post, "/api/bookings/create",
      [&courses](Request& req) -> awaitable<Response> {
        const auto& user = req.caller();
        auto form = parse_user_registration(http::json_body(req), user, courses.now());
        auto booking = co_await courses.register_course(std::move(form), user.id);
        co_return http::envelope(201, registered_json(booking));
      },
      {.tag = "course bookings",
       .summary =
           "Book a course for the logged-in user (applicant fields default from the profile)",
       .access = Access::kUser,
       .request_schema = "CourseRegistration",
       .status = 201,
       .response_schema = "BookingEnvelope",
       .errors = {400, 404, 409, 429, 503}});

  router.add(Verb::get, "/api/bookings/user/{userId}",
             [&courses](Request& req) -> awaitable<Response> {
               const auto id = http::path_id(req, "userId");
               co_return http::envelope(
                   200, to_json_array(co_await courses.bookings_of_user(req.caller(), id)));
             },
             {.tag = "course bookings",
              .summary = "A user's course bookings (that user or an admin)",
              .access = Access::kUser,
              .response_schema = "Envelope"});
}

void add_enrollment_routes(http::Router& router, CourseService& courses) {
  router.add(
      Verb::get, "/api/booking/enrollments/export.csv",
      [&courses](Request& req) -> awaitable<Response> {
        auto filter = parse_enrollment_filter(req.query);
        filter.paginate = false;
        std::string body(kUtf8Bom);
        body += enrollment_csv_header();
        for (const auto& e : (co_await courses.enrollments(filter)).items) body += to_csv(e);
        co_return Response::csv(std::move(body), "enrollments.csv");
      },
      {.tag = "enrollments",
       .summary = "Enrollments as CSV for spreadsheets (admin; the list's filters)",
       .access = Access::kAdmin,
       .media_type = "text/csv",
       .query = {{"status", "Only this status", {"pending", "active", "completed", "cancelled"}},
                 {"course_id", "Only this course (UUID)"},
                 {"student_id", "Only this student (user id)", {}, "integer"}},
       .errors = {400}});

  router.add(
      Verb::get, "/api/booking/enrollments",
      [&courses](Request& req) -> awaitable<Response> {
        const auto filter = parse_enrollment_filter(req.query);
        const auto page = co_await courses.enrollments(filter);
        // The pagination stands beside `data`, as {data: [...], pagination: {...}}.
        co_return http::envelope(200, to_json_array(page.items), {},
                                 {{"pagination", pagination_json(filter, page.total)}});
      },
      {.tag = "enrollments",
       .summary = "Enrollments with student and course, filtered and paginated",
       .access = Access::kAdmin,
       .response_schema = "Envelope",
       .query = {{"status", "Only this status", {"pending", "active", "completed", "cancelled"}},
                 {"course_id", "Only this course"},
                 {"student_id", "Only this student", {}, "integer"},
                 {"page", "Page, from 1", {}, "integer"},
                 {"limit", "Items per page, 1 to 100 (20)", {}, "integer"}}});

  router.add(Verb::post, "/api/booking/enrollments",
             [&courses](Request& req) -> awaitable<Response> {
               auto e = parse_new_enrollment(http::json_body(req));
               co_return http::envelope(
                   201, to_json(co_await courses.enroll(std::move(e), req.caller().id)));
             },
             {.tag = "enrollments",
              .summary = "Enroll a student (or a booking's applicant) in a course",
              .access = Access::kAdmin,
              .request_schema = "EnrollmentInput",
              .status = 201,
              .response_schema = "Envelope",
              .errors = {400, 404, 409}});

  router.add(Verb::get, "/api/booking/enrollments/{id}",
             [&courses](Request& req) -> awaitable<Response> {
               const auto e = co_await courses.enrollment(uuid_param(req, "id"));
               co_return http::envelope(200, to_json(e));
             },
             {.tag = "enrollments",
              .summary = "One enrollment",
              .id_format = "uuid",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {400, 404}});

  router.add(Verb::put, "/api/booking/enrollments/{id}",
             [&courses](Request& req) -> awaitable<Response> {
               const auto id = uuid_param(req, "id");
               auto status = parse_enrollment_status(http::json_body(req));
               const auto e =
                   co_await courses.set_enrollment_status(id, std::move(status), req.caller().id);
               co_return http::envelope(200, to_json(e));
             },
             {.tag = "enrollments",
              .summary = "Change an enrollment's status",
              .id_format = "uuid",
              .access = Access::kAdmin,
              .request_schema = "EnrollmentUpdate",
              .response_schema = "Envelope",
              .errors = {400, 404, 409}});
}

}  // namespace

void add_routes(http::Router& router, CourseService& courses, events::Hub& hub,
                events::SseOptions sse) {
  add_stream_and_user_routes(router, courses, hub, sse);
  add_enrollment_routes(router, courses);

  router.add(
      Verb::get, "/api/courses",
      [&courses](Request& req) -> awaitable<Response> {
        const bool all = req.query_value("include_inactive").value_or("") == "true";
        co_return http::envelope(200, to_json_array(co_await courses.list_courses(all)));
      },
      {.tag = "courses",
       .summary = "Active courses (admins may add ?include_inactive=true)",
       .admin_flag = "include_inactive",
       .response_schema = "CourseList",
       .query = {
           {"include_inactive", "Also list inactive courses (admin only)", {"true", "false"}}}});

  router.add(Verb::get, "/api/courses/{id}",
             [&courses](Request& req) -> awaitable<Response> {
               const auto c = co_await courses.course(uuid_param(req, "id"));
               co_return http::envelope(200, to_json(c));
             },
             {.tag = "courses",
              .summary = "One course",
              .id_format = "uuid",
              .response_schema = "CourseEnvelope",
              .errors = {400, 404}});

  router.add(Verb::post, "/api/courses",
             [&courses](Request& req) -> awaitable<Response> {
               auto c = parse_course(http::json_body(req), false);
               co_return http::envelope(
                   201, to_json(co_await courses.create_course(std::move(c), req.caller().id)));
             },
             {.tag = "courses",
              .summary = "Create a course",
              .access = Access::kAdmin,
              .request_schema = "CourseInput",
              .status = 201,
              .response_schema = "CourseEnvelope",
              .errors = {400}});

  router.add(Verb::put, "/api/courses/{id}",
             [&courses](Request& req) -> awaitable<Response> {
               const auto id = uuid_param(req, "id");
               CourseChange change;
               parse_course(http::json_body(req), true, &change);
               const auto c =
                   co_await courses.update_course(id, std::move(change), req.caller().id);
               co_return http::envelope(200, to_json(c));
             },
             {.tag = "courses",
              .summary = "Update a course (fields not sent are kept)",
              .id_format = "uuid",
              .access = Access::kAdmin,
              .request_schema = "CourseInput",
              .response_schema = "CourseEnvelope",
              .errors = {400, 404}});

  router.add(Verb::delete_, "/api/courses/{id}",
             [&courses](Request& req) -> awaitable<Response> {
               const auto id = uuid_param(req, "id");
               if (co_await courses.remove_course(id, req.caller().id) == CourseRemoval::kDeleted)
                 co_return http::envelope(200, json::object{{"id", id}, {"deleted", true}});
               co_return http::envelope(
                   200, json::object{{"id", id}, {"deleted", false}, {"deactivated", true}});
             },
             {.tag = "courses",
              .summary = "Delete a course; one that has bookings is deactivated instead",
              .id_format = "uuid",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {400, 404}});

  router.add(Verb::get, "/api/booking/captcha",
             [&courses](Request&) -> awaitable<Response> {
               co_return http::envelope(200, to_json(courses.new_challenge()));
             },
             {.tag = "course bookings",
              .summary = "A fresh proof-of-work captcha challenge (ALTCHA)",
              .response_schema = "CaptchaEnvelope",
              .errors = {404}});

  router.add(
      Verb::post, "/api/booking/register-course",
      [&courses](Request& req) -> awaitable<Response> {
        auto form = parse_registration(http::json_body(req), courses.now());
        auto booking = co_await courses.register_course(std::move(form), std::nullopt);
        co_return http::envelope(201, registered_json(booking));
      },
      {.tag = "course bookings",
       .summary = "Register for a course without an account (captcha and idempotency key required)",
       .request_schema = "CourseRegistration",
       .status = 201,
       .response_schema = "BookingEnvelope",
       .errors = {400, 404, 409, 429, 503}});

  router.add(
      Verb::get, "/api/booking/export.csv",
      [&courses](Request& req) -> awaitable<Response> {
        auto status = parse_booking_status_filter(req.query);
        std::string body(kUtf8Bom);
        body += booking_csv_header();
        for (const auto& b : co_await courses.all_bookings(std::move(status))) body += to_csv(b);
        co_return Response::csv(std::move(body), "registrations.csv");
      },
      {.tag = "course bookings",
       .summary = "Course bookings (registrations) as CSV for spreadsheets (admin)",
       .access = Access::kAdmin,
       .media_type = "text/csv",
       .query = {{"status",
                  "Only this status",
                  {"pending", "confirmed", "rejected", "cancelled", "expired", "waitlisted"}}},
       .errors = {400}});

  router.add(Verb::get, "/api/booking/pending",
             [&courses](Request&) -> awaitable<Response> {
               co_return http::envelope(200, to_json_array(co_await courses.pending()));
             },
             {.tag = "course bookings",
              .summary = "Pending course bookings with their course, oldest first",
              .access = Access::kAdmin,
              .response_schema = "Envelope"});

  router.add(Verb::get, "/api/booking/waitlist",
             [&courses](Request&) -> awaitable<Response> {
               co_return http::envelope(
                   200, to_json_array(co_await courses.all_bookings(std::string("waitlisted"))));
             },
             {.tag = "course bookings",
              .summary = "The waiting list: waitlisted course bookings with their course, oldest "
                         "(first offered a seat) first",
              .access = Access::kAdmin,
              .response_schema = "Envelope"});

  router.add(Verb::post, "/api/bookings/{id}/confirm",
             [&courses](Request& req) -> awaitable<Response> {
               auto [booking, enrollment] =
                   co_await courses.confirm(uuid_param(req, "id"), req.caller().id);
               co_return http::envelope(200, json::object{{"booking", to_json(booking)},
                                                          {"enrollment", to_json(enrollment)}});
             },
             {.tag = "course bookings",
              .summary = "Confirm an unexpired pending booking; creates its active enrollment",
              .id_format = "uuid",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {400, 404, 409}});

  router.add(Verb::post, "/api/bookings/{id}/reject",
             [&courses](Request& req) -> awaitable<Response> {
               const auto id = uuid_param(req, "id");
               auto reason = parse_rejection(http::json_body(req));
               auto booking = co_await courses.reject(id, std::move(reason), req.caller().id);
               co_return http::envelope(200, json::object{{"booking", to_json(booking)}});
             },
             {.tag = "course bookings",
              .summary = "Reject a pending booking, with an optional reason",
              .id_format = "uuid",
              .access = Access::kAdmin,
              .request_schema = "RejectInput",
              .response_schema = "Envelope",
              .errors = {400, 404, 409}});

  router.add(Verb::post, "/api/bookings/{id}/waitlist",
             [&courses](Request& req) -> awaitable<Response> {
               auto booking = co_await courses.waitlist(uuid_param(req, "id"), req.caller().id);
               co_return http::envelope(200, json::object{{"booking", to_json(booking)}});
             },
             {.tag = "course bookings",
              .summary = "Move a pending booking to the waitlist",
              .id_format = "uuid",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {400, 404, 409}});

  router.add(Verb::get, "/api/booking/manage/{token}",
             [&courses](Request& req) -> awaitable<Response> {
               auto m = co_await courses.managed(req.param("token").value_or(""));
               co_return http::envelope(200, json::object{{"booking", to_json(m.booking)},
                                                          {"course", to_json(m.course)}});
             },
             {.tag = "course bookings",
              .summary = "The applicant's own booking and its course, by its manage token",
              .response_schema = "Envelope",
              .errors = {404}});

  router.add(Verb::post, "/api/booking/manage/{token}/cancel",
             [&courses](Request& req) -> awaitable<Response> {
               auto b = co_await courses.cancel_managed(req.param("token").value_or(""));
               co_return http::envelope(200, json::object{{"booking", to_json(b)}});
             },
             {.tag = "course bookings",
              .summary = "The applicant cancels their pending or waitlisted booking",
              .response_schema = "Envelope",
              .errors = {404, 409}});

  router.add(Verb::delete_, "/api/booking/{id}",
             [&courses](Request& req) -> awaitable<Response> {
               const auto id = uuid_param(req, "id");
               co_await courses.remove_booking(id, req.caller().id);
               co_return http::envelope(200, json::object{{"id", id}, {"deleted", true}});
             },
             {.tag = "course bookings",
              .summary = "Delete a course booking and its enrollments",
              .id_format = "uuid",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {400, 404}});
}

}  // namespace janji::courses
