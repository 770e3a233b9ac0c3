#include "app/openapi.hpp"

#include "http/errors.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>

namespace janji {

namespace json = boost::json;

namespace {

constexpr std::string_view kSchemas = R"json({
  "ValidationError": {"type": "object", "required": ["loc", "msg", "type"], "properties": {
    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
    "msg": {"type": "string"}, "type": {"type": "string"}, "input": {}, "ctx": {"type": "object"}}},
  "HTTPValidationError": {"type": "object", "properties": {
    "detail": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}}}},
  "HTTPError": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
  "Health": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok", "degraded", "unavailable"]}, "database": {"type": "string", "enum": ["ok", "unavailable"]}, "redis": {"type": "string", "enum": ["ok", "unavailable"]}}},
  "UserCreate": {"type": "object", "required": ["name", "email", "password"], "additionalProperties": false, "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 100},
    "email": {"type": "string", "format": "email"},
    "password": {"type": "string", "minLength": 6, "maxLength": 1024},
    "address": {"anyOf": [{"type": "string", "maxLength": 255}, {"type": "null"}]},
    "phone_number": {"anyOf": [{"type": "string", "maxLength": 20}, {"type": "null"}]}}},
  "UserUpdate": {"type": "object", "additionalProperties": false, "properties": {
    "name": {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 100}, {"type": "null"}]},
    "email": {"anyOf": [{"type": "string", "format": "email"}, {"type": "null"}]},
    "address": {"anyOf": [{"type": "string", "maxLength": 255}, {"type": "null"}]},
    "phone_number": {"anyOf": [{"type": "string", "maxLength": 20}, {"type": "null"}]}}},
  "UserRead": {"type": "object", "required": ["id", "name", "email", "address", "phone_number", "role"], "properties": {
    "id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string", "format": "email"},
    "address": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "phone_number": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "role": {"type": "string", "enum": ["customer", "admin"]}}},
  "LoginRequest": {"type": "object", "required": ["username", "password"], "properties": {
    "username": {"type": "string", "description": "The account's e-mail address"},
    "password": {"type": "string"},
    "grant_type": {"type": "string"}, "scope": {"type": "string"},
    "client_id": {"type": "string"}, "client_secret": {"type": "string"}}},
  "Token": {"type": "object", "required": ["access_token", "token_type"], "properties": {
    "access_token": {"type": "string"}, "token_type": {"type": "string", "examples": ["bearer"]}}},
  "ServiceTypeRead": {"type": "object", "required": ["id", "package_id", "name", "description", "price"], "properties": {
    "id": {"type": "integer"}, "package_id": {"type": "integer"}, "name": {"type": "string"},
    "description": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "price": {"type": "string", "pattern": "^\\d+\\.\\d{2}$", "examples": ["350000.00"]}}},
  "PackageRead": {"type": "object", "required": ["id", "name", "description", "service_types"], "properties": {
    "id": {"type": "integer"}, "name": {"type": "string"},
    "description": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "service_types": {"type": "array", "items": {"$ref": "#/components/schemas/ServiceTypeRead"}}}},
  "PackageCreate": {"type": "object", "required": ["name"], "additionalProperties": false, "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 120},
    "description": {"anyOf": [{"type": "string"}, {"type": "null"}]}}},
  "PackageUpdate": {"type": "object", "additionalProperties": false, "properties": {
    "name": {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 120}, {"type": "null"}]},
    "description": {"anyOf": [{"type": "string"}, {"type": "null"}]}}},
  "ServiceTypeCreate": {"type": "object", "required": ["package_id", "name", "price"], "additionalProperties": false, "properties": {
    "package_id": {"type": "integer"},
    "name": {"type": "string", "minLength": 1, "maxLength": 120},
    "description": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "price": {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": "^\\d+(\\.\\d{1,2})?$"}]}}},
  "ServiceTypeUpdate": {"type": "object", "additionalProperties": false, "properties": {
    "name": {"anyOf": [{"type": "string", "minLength": 1, "maxLength": 120}, {"type": "null"}]},
    "description": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    "price": {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}, {"type": "null"}]}}},
  "BookingCreate": {"type": "object", "required": ["service_type_id", "tanggal_acara", "jumlah_client"], "additionalProperties": false, "properties": {
    "service_type_id": {"type": "integer"},
    "tanggal_acara": {"type": "string", "format": "date-time", "description": "Naive times are UTC; offsets are converted"},
    "jumlah_client": {"type": "integer", "minimum": 1, "maximum": 1000}}},
  "BookingStatusUpdate": {"type": "object", "required": ["status"], "additionalProperties": false, "properties": {
    "status": {"type": "string", "enum": ["pending", "confirmed", "dp", "paid", "completed", "cancelled"]}}},
  "SegmentItem": {"type": "object", "required": ["user_id", "name", "recency", "frequency", "monetary", "cluster", "customer_segment"], "properties": {
    "user_id": {"type": "integer"}, "name": {"type": "string"},
    "recency": {"type": "integer", "description": "Whole days since the last booking"},
    "frequency": {"type": "integer", "description": "Bookings, cancelled ones excluded"},
    "monetary": {"type": "string", "pattern": "^\\d+\\.\\d{2}$", "description": "Sum of price_locked"},
    "cluster": {"type": "integer", "minimum": 0, "maximum": 3, "description": "0 = Loyal … 3 = Pasif"},
    "customer_segment": {"type": "string", "enum": ["Loyal", "Aktif", "Potensial", "Pasif"]}}},
  "Settings": {"type": "object", "required": ["business_timezone", "daily_client_capacity", "cancel_cutoff_hours", "currency"], "properties": {
    "business_timezone": {"type": "string", "description": "IANA zone of the business (BUSINESS_TIMEZONE): dates and times are told in it"},
    "daily_client_capacity": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}], "description": "DAILY_CLIENT_CAPACITY; null: unlimited"},
    "cancel_cutoff_hours": {"type": "integer", "description": "CANCEL_CUTOFF in whole hours"},
    "currency": {"type": "string", "enum": ["IDR"]}}},
  "CalendarDay": {"type": "object", "required": ["date", "capacity", "booked_clients", "remaining"], "properties": {
    "date": {"type": "string", "format": "date", "description": "A date in BUSINESS_TIMEZONE"},
    "capacity": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}], "description": "Clients the date can take; null: unlimited"},
    "booked_clients": {"type": "integer", "description": "Sum of jumlah_client of its bookings that are not cancelled"},
    "remaining": {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]}}},
  "CalendarCapacity": {"type": "object", "required": ["capacity"], "additionalProperties": false, "properties": {
    "capacity": {"type": "integer", "minimum": 0, "maximum": 1000000, "description": "0 blocks a day off"}}},
  "Envelope": {"type": "object", "required": ["success"], "properties": {
    "success": {"type": "boolean"}, "data": {},
    "meta": {"type": "object", "properties": {"timestamp": {"type": "string", "format": "date-time"}}},
    "error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"},
      "details": {"type": "array", "items": {"type": "object"}}}}}},
  "Course": {"type": "object", "required": ["id", "title", "instrument", "level", "price_per_session", "duration_minutes", "max_students", "is_active"], "properties": {
    "id": {"type": "string", "format": "uuid"}, "title": {"type": "string"},
    "description": {"anyOf": [{"type": "string"}, {"type": "null"}]}, "instrument": {"type": "string"},
    "level": {"type": "string", "enum": ["beginner", "intermediate", "advanced", "all_levels"]},
    "price_per_session": {"type": "number"}, "duration_minutes": {"type": "integer"},
    "max_students": {"type": "integer"}, "is_active": {"type": "boolean"},
    "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
    "seats_taken": {"type": "integer", "description": "Active enrollments (GET /api/courses only)"},
    "waitlisted": {"type": "integer", "description": "Bookings on the waiting list (GET /api/courses only)"}}},
  "CourseInput": {"type": "object", "additionalProperties": false, "properties": {
    "title": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": {"anyOf": [{"type": "string", "maxLength": 5000}, {"type": "null"}]},
    "instrument": {"type": "string", "minLength": 1, "maxLength": 100},
    "level": {"type": "string", "enum": ["beginner", "intermediate", "advanced", "all_levels"]},
    "price_per_session": {"type": "number", "minimum": 0},
    "duration_minutes": {"type": "integer", "minimum": 1, "maximum": 1440},
    "max_students": {"type": "integer", "minimum": 1, "maximum": 10000},
    "is_active": {"type": "boolean"}}},
  "CourseEnvelope": {"type": "object", "properties": {"success": {"type": "boolean"}, "data": {"$ref": "#/components/schemas/Course"}}},
  "CourseList": {"type": "object", "properties": {"success": {"type": "boolean"}, "data": {"type": "array", "items": {"$ref": "#/components/schemas/Course"}}}},
  "CaptchaEnvelope": {"type": "object", "properties": {"success": {"type": "boolean"}, "data": {"type": "object", "properties": {
    "algorithm": {"type": "string", "enum": ["SHA-256"]}, "challenge": {"type": "string"},
    "salt": {"type": "string", "description": "ends with ?expires=<unix seconds>"},
    "signature": {"type": "string"}, "maxnumber": {"type": "integer"}}}}},
  "CourseRegistration": {"type": "object", "required": ["full_name", "email", "course_id", "address", "birth_place", "birth_date", "school", "class", "guardian_name", "guardian_wa_number", "preferred_days", "preferred_time_range", "consent", "captcha_token", "idempotency_key"], "properties": {
    "full_name": {"type": "string", "minLength": 2, "maxLength": 255},
    "email": {"type": "string", "format": "email"},
    "wa_number": {"type": "string", "pattern": "^\\+62\\d{9,12}$"},
    "course_id": {"type": "string", "format": "uuid"},
    "address": {"type": "string", "minLength": 1, "maxLength": 255},
    "birth_place": {"type": "string", "minLength": 1, "maxLength": 255},
    "birth_date": {"type": "string", "format": "date"},
    "school": {"type": "string", "minLength": 1, "maxLength": 255},
    "class": {"type": "integer", "minimum": 1, "maximum": 12},
    "guardian_name": {"type": "string", "minLength": 2, "maxLength": 255},
    "guardian_wa_number": {"type": "string", "pattern": "^\\+62\\d{9,12}$"},
    "experience_level": {"type": "string", "enum": ["beginner", "intermediate", "advanced"], "default": "beginner"},
    "preferred_days": {"type": "array", "minItems": 1, "uniqueItems": true, "items": {"type": "string", "enum": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}},
    "preferred_time_range": {"type": "object", "required": ["start", "end"], "properties": {"start": {"type": "string", "pattern": "^\\d{2}:\\d{2}$"}, "end": {"type": "string", "pattern": "^\\d{2}:\\d{2}$"}}},
    "start_date_target": {"type": "string", "format": "date"},
    "instrument_owned": {"type": "boolean"},
    "notes": {"type": "string", "maxLength": 1000},
    "referral_source": {"type": "string", "enum": ["instagram", "facebook", "google", "tiktok", "friend", "website", "other"]},
    "consent": {"type": "boolean", "const": true},
    "captcha_token": {"type": "string", "description": "base64 of the solved ALTCHA payload"},
    "idempotency_key": {"type": "string", "format": "uuid"}}},
  "BookingEnvelope": {"type": "object", "properties": {"success": {"type": "boolean"}, "data": {"type": "object", "properties": {"booking": {"type": "object"}}}}},
  "EnrollmentInput": {"type": "object", "required": ["course_id"], "additionalProperties": false, "properties": {
    "course_id": {"type": "string", "format": "uuid"}, "student_id": {"type": "integer"},
    "booking_id": {"type": "string", "format": "uuid"},
    "status": {"type": "string", "enum": ["pending", "active", "completed", "cancelled"], "default": "active"}}},
  "EnrollmentUpdate": {"type": "object", "required": ["status"], "additionalProperties": false, "properties": {
    "status": {"type": "string", "enum": ["pending", "active", "completed", "cancelled"]}}},
  "WebhookInput": {"type": "object", "required": ["url", "events"], "properties": {
    "url": {"type": "string", "format": "uri", "maxLength": 2000},
    "events": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": ["*", "booking_created", "booking_updated", "segment_updated", "booking.created", "booking.confirmed", "booking.rejected", "booking.expired", "booking.cancelled", "booking.waitlisted", "booking.seat_offered"]}},
    "description": {"type": "string", "maxLength": 500}}},
  "RejectInput": {"type": "object", "additionalProperties": false, "properties": {"reason": {"type": "string", "maxLength": 1000}}},
  "BookingRead": {"type": "object", "required": ["id", "user_id", "service_type_id", "price_locked", "status", "tanggal_booking", "tanggal_acara", "jumlah_client", "priority_score", "priority_segment", "urgency_level", "monetary_level", "updated_priority_at", "user"], "properties": {
    "id": {"type": "integer"}, "user_id": {"type": "integer"}, "service_type_id": {"type": "integer"},
    "price_locked": {"type": "string", "pattern": "^\\d+\\.\\d{2}$"},
    "status": {"type": "string", "enum": ["pending", "confirmed", "dp", "paid", "completed", "cancelled"]},
    "tanggal_booking": {"type": "string", "format": "date-time"},
    "tanggal_acara": {"type": "string", "format": "date-time"},
    "jumlah_client": {"type": "integer"},
    "priority_score": {"type": "integer"},
    "priority_segment": {"type": "string", "enum": ["high", "medium", "low"]},
    "urgency_level": {"type": "string", "enum": ["urgent", "soon", "upcoming"]},
    "monetary_level": {"type": "string", "enum": ["vip", "premium", "regular"]},
    "updated_priority_at": {"type": "string", "format": "date-time"},
    "user": {"$ref": "#/components/schemas/UserRead"}}}
})json";

// The repository carries no licence file, so no licence is granted.
constexpr const char* kLicenseName = "Proprietary";
constexpr const char* kLicenseIdentifier = "LicenseRef-Proprietary";

json::value schema_ref(const std::string& name) {
  if (name.size() > 2 && name.front() == '[')
    return json::object{
        {"type", "array"},
        {"items", {{"$ref", "#/components/schemas/" + name.substr(1, name.size() - 2)}}}};
  return json::object{{"$ref", "#/components/schemas/" + name}};
}

json::object error_response(std::string description, const char* schema = "HTTPError") {
  return {{"description", std::move(description)},
          {"content", {{"application/json", {{"schema", schema_ref(schema)}}}}}};
}

const char* reason(unsigned status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Not authenticated or invalid token";
    case 403:
      return "Not enough permissions";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 413:
      return "Request body too large";
    case 429:
      return "Too many attempts; see Retry-After";
    default:
      return "Error";
  }
}

// Every tag a route may carry, described once: the document lists them in this order.
const std::vector<std::pair<std::string, std::string>>& tag_descriptions() {
  static const std::vector<std::pair<std::string, std::string>> tags{
      {"system", "Health and this document"},
      {"auth", "Accounts and bearer tokens (OAuth2 password flow)"},
      {"services", "The catalogue: service packages and their service types"},
      {"bookings", "Service bookings, their priority and their live stream"},
      {"calendar", "The make-up artist's daily client capacity and days off"},
      {"segments", "RFM customer segments of the service bookings"},
      {"courses", "Music courses (course envelope API)"},
      {"course bookings", "Course registration without an account, and its review by admins"},
      {"enrollments", "Students enrolled in courses"},
      {"audit", "The record of every admin write (read-only)"},
      {"notifications",
       "Webhook endpoints and the deliveries of WhatsApp, e-mail and webhook messages (admin)"},
  };
  return tags;
}

// The routes' own statement of who may call them: an empty list overrides any default.
json::array security_of(http::Access access) {
  if (access == http::Access::kPublic) return {};
  return {json::object{{"OAuth2PasswordBearer", json::array{}}}};
}

}  // namespace

const json::object& openapi_schemas() {
  static const json::object schemas = json::parse(kSchemas).as_object();
  return schemas;
}

std::vector<std::string> path_parameters(const std::string& pattern) {
  std::vector<std::string> out;
  for (auto seg : http::split_path(pattern))
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}')
      out.emplace_back(seg.substr(1, seg.size() - 2));
  return out;
}

std::string operation_id(std::string_view method, std::string_view pattern) {
  std::string out;
  for (auto c : method) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string path;
  char prev = '/';
  for (auto c : pattern) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isupper(u) && (std::islower(static_cast<unsigned char>(prev)) ||
                            std::isdigit(static_cast<unsigned char>(prev))))
      path += '_';  // {userId} -> user_id
    if (std::isalnum(u))
      path += static_cast<char>(std::tolower(u));
    else if (!path.empty() && path.back() != '_')
      path += '_';
    prev = c;
  }
  while (!path.empty() && path.back() == '_') path.pop_back();
  return out + '_' + (path.empty() ? "root" : path);
}

json::value build_openapi(const http::Router& router) {
  json::object paths;
  std::set<std::string> operation_ids, tags_used;
  for (const auto& r : router.routes()) {
    if (!r.doc.in_openapi) continue;
    const auto& d = r.doc;
    auto id = operation_id(http::bhttp::to_string(r.method), r.pattern);
    // Two routes that differ only in punctuation would share an id; that is a bug in the
    // route table, so it fails the start (and the unit tests) rather than being renamed.
    if (!operation_ids.insert(id).second)
      throw std::logic_error("two routes have the operationId " + id);
    tags_used.insert(d.tag);
    json::object op{{"tags", json::array{d.tag}}, {"summary", d.summary}, {"operationId", id}};
    const json::object id_schema = d.id_format == "integer"
                                       ? json::object{{"type", "integer"}}
                                       : json::object{{"type", "string"}, {"format", d.id_format}};
    json::array parameters;
    for (const auto& p : path_parameters(r.pattern))
      parameters.push_back(
          {{"name", p}, {"in", "path"}, {"required", true}, {"schema", id_schema}});
    for (const auto& q : d.query) {
      json::object schema{{"type", q.type}};
      if (!q.values.empty()) {
        json::array values;
        for (const auto& v : q.values) values.push_back(json::value(v));
        schema["enum"] = std::move(values);
      }
      parameters.push_back({{"name", q.name},
                            {"in", "query"},
                            {"required", false},
                            {"description", q.description},
                            {"schema", std::move(schema)}});
    }
    for (const auto& h : d.headers)
      parameters.push_back(
          {{"name", h}, {"in", "header"}, {"required", false}, {"schema", {{"type", "string"}}}});
    op["security"] = security_of(d.access);
    if (d.event_stream) {
      // Browsers' EventSource cannot send headers.
      parameters.push_back({{"name", "access_token"},
                            {"in", "query"},
                            {"required", false},
                            {"schema", {{"type", "string"}}}});
      parameters.push_back({{"name", "Last-Event-ID"},
                            {"in", "header"},
                            {"required", false},
                            {"schema", {{"type", "string"}}}});
      parameters.push_back({{"name", "last_event_id"},
                            {"in", "query"},
                            {"required", false},
                            {"description", "Last-Event-ID for clients that cannot send it"},
                            {"schema", {{"type", "string"}}}});
    }
    if (!parameters.empty()) op["parameters"] = std::move(parameters);

    if (!d.request_schema.empty()) {
      json::object content{{"application/json", {{"schema", schema_ref(d.request_schema)}}}};
      if (d.form_request)
        content["application/x-www-form-urlencoded"] = {{"schema", schema_ref(d.request_schema)}};
      op["requestBody"] = {{"required", true}, {"content", std::move(content)}};
    }

    json::object responses;
    json::object ok{{"description", d.status == 204 ? "No Content" : "Successful Response"}};
    if (d.event_stream)
      ok["content"] = {{"text/event-stream", {{"schema", {{"type", "string"}}}}}};
    else if (!d.media_type.empty())
      ok["content"] = {{d.media_type, {{"schema", {{"type", "string"}}}}}};
    else if (!d.response_schema.empty())
      ok["content"] = {{"application/json", {{"schema", schema_ref(d.response_schema)}}}};
    responses[std::to_string(d.status)] = std::move(ok);
    // Errors are rendered as the route's surface renders them (http/errors.cpp): the course
    // envelope under /api/, where invalid input is a 400, and FastAPI's `detail` elsewhere.
    const bool envelope = http::is_envelope_surface(r.pattern);
    const char* error_schema = envelope ? "Envelope" : "HTTPError";
    for (auto s : d.errors) responses[std::to_string(s)] = error_response(reason(s), error_schema);
    if (d.access != http::Access::kPublic)
      responses["401"] = error_response(reason(401), error_schema);
    if (d.access == http::Access::kAdmin || d.access == http::Access::kMetrics)
      responses["403"] = error_response(reason(403), error_schema);
    if (!d.request_schema.empty() || !d.query.empty() || !path_parameters(r.pattern).empty()) {
      if (!envelope)
        responses["422"] = error_response("Validation Error", "HTTPValidationError");
      else if (!responses.contains("400"))
        responses["400"] = error_response("Invalid request data", error_schema);
    }
    // The transport itself refuses a malformed or oversized request on any route.
    const bool has_client_error =
        std::any_of(responses.begin(), responses.end(),
                    [](const auto& kv) { return kv.key().starts_with('4'); });
    if (!has_client_error)
      responses["4XX"] = error_response("Malformed or oversized request", error_schema);
    op["responses"] = std::move(responses);

    auto method = std::string(http::bhttp::to_string(r.method));
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto& item = paths[r.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[method] = std::move(op);
  }

  json::array tags;
  for (const auto& [name, description] : tag_descriptions())
    if (tags_used.erase(name) > 0) tags.push_back({{"name", name}, {"description", description}});
  if (!tags_used.empty())
    throw std::logic_error("the route tag \"" + *tags_used.begin() + "\" has no description");

  return json::object{
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Janji"},
        {"version", JANJI_VERSION},
        {"description",
         "Service bookings (Alfiyah Booking API compatible) and course registration."},
        {"license", {{"name", kLicenseName}, {"identifier", kLicenseIdentifier}}}}},
      // The document is served by the API it describes: paths are relative to that host.
      {"servers", json::array{json::object{{"url", "/"}}}},
      {"tags", std::move(tags)},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas", openapi_schemas()},
        {"securitySchemes",
         {{"OAuth2PasswordBearer",
           {{"type", "oauth2"},
            {"flows",
             {{"password", {{"scopes", json::object{}}, {"tokenUrl", "auth/login"}}}}}}}}}}}};
}

}  // namespace janji
