#include "courses/handlers.hpp"

#include "core/fields.hpp"
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

std::string uuid_param(const Request& req, std::string_view name) {
  auto id = req.param(name).value_or("");
  if (!is_uuid(id))
    throw ApiError::coded(ErrorCode::kValidation, "VALIDATION_ERROR", "Invalid request data",
                          json::array{{{"path", name}, {"message", "Must be a UUID"}}});
  return id;
}

// Course fields; `partial` for PUT, where every field is optional.
Course read_course(json::value body, bool partial, CourseChange* change) {
  const bool is_object = body.is_object();
  const json::object obj = is_object ? body.as_object() : json::object{};
  Fields f(std::move(body));
  f.forbid_unknown({"title", "description", "instrument", "level", "price_per_session",
                    "duration_minutes", "max_students", "is_active"});
  Course c;
  auto has = [&](std::string_view k) { return !partial || obj.contains(k); };
  if (has("title")) c.title = f.required_string("title", 1, 255);
  const auto description = f.patch_string("description", 0, 5000);
  c.description = description.value;
  if (has("instrument")) c.instrument = f.required_string("instrument", 1, 100);
  if (has("level"))
    c.level = f.required_choice("level", {"beginner", "intermediate", "advanced", "all_levels"});
  if (has("price_per_session")) c.price_per_session = f.required_money("price_per_session");
  if (has("duration_minutes")) c.duration_minutes = f.required_int("duration_minutes", 1, 1440);
  if (has("max_students")) c.max_students = f.required_int("max_students", 1, 10000);
  std::optional<bool> active;
  if (const auto* v = obj.if_contains("is_active"); v && !v->is_null()) {
    if (v->is_bool())
      active = v->get_bool();
    else
      f.add({json::array{"body", "is_active"},
             "Input should be a valid boolean",
             "bool_type",
             *v,
             {}});
  }
  c.is_active = active.value_or(true);
  f.finish();
  if (change) {
    if (obj.contains("title")) change->title = c.title;
    change->set_description = description.present;
    change->description = c.description;
    if (obj.contains("instrument")) change->instrument = c.instrument;
    if (obj.contains("level")) change->level = c.level;
    if (obj.contains("price_per_session")) change->price_per_session = c.price_per_session;
    if (obj.contains("duration_minutes")) change->duration_minutes = c.duration_minutes;
    if (obj.contains("max_students")) change->max_students = c.max_students;
    change->is_active = active;
  }
  return c;
}

ApiError course_not_found() {
  return ApiError::coded(ErrorCode::kNotFound, "COURSE_NOT_FOUND", "Course not found");
}

}  // namespace

void add_routes(http::Router& router, auth::AuthService& auth, CourseStore& store,
                CourseService& courses) {
  router.add(
      Verb::get, "/api/courses",
      [&auth, &store](Request& req) -> awaitable<Response> {
        const bool all = req.query_value("include_inactive").value_or("") == "true";
        if (all) co_await auth.require_admin(req);
        json::array out;
        for (const auto& c : co_await store.list_courses(all)) out.push_back(to_json(c));
        co_return http::envelope(200, std::move(out));
      },
      {.tag = "courses",
       .summary = "Active courses (admins may add ?include_inactive=true)",
       .response_schema = "CourseList",
       .query = {
           {"include_inactive", "Also list inactive courses (admin only)", {"true", "false"}}}});

  router.add(Verb::get, "/api/courses/{id}",
             [&store](Request& req) -> awaitable<Response> {
               auto c = co_await store.find_course(uuid_param(req, "id"));
               if (!c) throw course_not_found();
               co_return http::envelope(200, to_json(*c));
             },
             {.tag = "courses",
              .summary = "One course",
              .response_schema = "CourseEnvelope",
              .errors = {400, 404}});

  router.add(Verb::post, "/api/courses",
             [&auth, &store](Request& req) -> awaitable<Response> {
               co_await auth.require_admin(req);
               auto c = read_course(http::json_body(req), false, nullptr);
               c.id = new_uuid();
               c.created_at = c.updated_at = now_utc();
               co_return http::envelope(201, to_json(co_await store.create_course(std::move(c))));
             },
             {.tag = "courses",
              .summary = "Create a course",
              .access = Access::kAdmin,
              .request_schema = "CourseInput",
              .status = 201,
              .response_schema = "CourseEnvelope",
              .errors = {400}});

  router.add(Verb::put, "/api/courses/{id}",
             [&auth, &store](Request& req) -> awaitable<Response> {
               co_await auth.require_admin(req);
               const auto id = uuid_param(req, "id");
               CourseChange change;
               read_course(http::json_body(req), true, &change);
               auto c = co_await store.update_course(id, std::move(change));
               if (!c) throw course_not_found();
               co_return http::envelope(200, to_json(*c));
             },
             {.tag = "courses",
              .summary = "Update a course (fields not sent are kept)",
              .access = Access::kAdmin,
              .request_schema = "CourseInput",
              .response_schema = "CourseEnvelope",
              .errors = {400, 404}});

  router.add(Verb::delete_, "/api/courses/{id}",
             [&auth, &store](Request& req) -> awaitable<Response> {
               co_await auth.require_admin(req);
               const auto id = uuid_param(req, "id");
               switch (co_await store.remove_course(id)) {
                 case CourseRemoval::kNotFound:
                   throw course_not_found();
                 case CourseRemoval::kDeleted:
                   co_return http::envelope(200, json::object{{"id", id}, {"deleted", true}});
                 case CourseRemoval::kDeactivated:
                   break;
               }
               co_return http::envelope(
                   200, json::object{{"id", id}, {"deleted", false}, {"deactivated", true}});
             },
             {.tag = "courses",
              .summary = "Delete a course; one that has bookings is deactivated instead",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {400, 404}});

  router.add(Verb::get, "/api/booking/captcha",
             [&courses](Request&) -> awaitable<Response> {
               co_return http::envelope(200, to_json(courses.new_challenge()));
             },
             {.tag = "course bookings",
              .summary = "A fresh proof-of-work captcha challenge (ALTCHA)",
              .response_schema = "CaptchaEnvelope"});

  router.add(
      Verb::post, "/api/booking/register-course",
      [&courses](Request& req) -> awaitable<Response> {
        auto form = parse_registration(http::json_body(req), now_utc());
        auto booking = co_await courses.register_course(std::move(form), std::nullopt);
        co_return http::envelope(201, json::object{{"booking", to_json(booking)}});
      },
      {.tag = "course bookings",
       .summary = "Register for a course without an account (captcha and idempotency key required)",
       .request_schema = "CourseRegistration",
       .status = 201,
       .response_schema = "BookingEnvelope",
       .errors = {400, 404, 409, 429}});

  router.add(Verb::get, "/api/booking/pending",
             [&auth, &store](Request& req) -> awaitable<Response> {
               co_await auth.require_admin(req);
               json::array out;
               for (const auto& b : co_await store.pending()) out.push_back(to_json(b));
               co_return http::envelope(200, std::move(out));
             },
             {.tag = "course bookings",
              .summary = "Pending course bookings with their course, oldest first",
              .access = Access::kAdmin,
              .response_schema = "Envelope"});

  router.add(Verb::post, "/api/bookings/{id}/confirm",
             [&auth, &courses](Request& req) -> awaitable<Response> {
               co_await auth.require_admin(req);
               auto [booking, enrollment] = co_await courses.confirm(uuid_param(req, "id"));
               co_return http::envelope(200, json::object{{"booking", to_json(booking)},
                                                          {"enrollment", to_json(enrollment)}});
             },
             {.tag = "course bookings",
              .summary = "Confirm an unexpired pending booking; creates its active enrollment",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {400, 404, 409}});

  router.add(Verb::post, "/api/bookings/{id}/reject",
             [&auth, &courses](Request& req) -> awaitable<Response> {
               co_await auth.require_admin(req);
               const auto id = uuid_param(req, "id");
               auto body = http::json_body(req);
               if (body.is_null())
                 body = json::object{};  // the reason is optional, and so is the body
               Fields f(std::move(body));
               f.forbid_unknown({"reason"});
               auto reason = f.optional_string("reason", 1000);
               f.finish();
               auto booking = co_await courses.reject(id, std::move(reason));
               co_return http::envelope(200, json::object{{"booking", to_json(booking)}});
             },
             {.tag = "course bookings",
              .summary = "Reject a pending booking, with an optional reason",
              .access = Access::kAdmin,
              .request_schema = "RejectInput",
              .response_schema = "Envelope",
              .errors = {400, 404, 409}});

  router.add(Verb::delete_, "/api/booking/{id}",
             [&auth, &store](Request& req) -> awaitable<Response> {
               co_await auth.require_admin(req);
               const auto id = uuid_param(req, "id");
               if (!co_await store.remove_booking(id))
                 throw ApiError::coded(ErrorCode::kNotFound, "BOOKING_NOT_FOUND",
                                       "Booking not found");
               co_return http::envelope(200, json::object{{"id", id}, {"deleted", true}});
             },
             {.tag = "course bookings",
              .summary = "Delete a course booking and its enrollments",
              .access = Access::kAdmin,
              .response_schema = "Envelope",
              .errors = {400, 404}});
}

}  // namespace janji::courses
