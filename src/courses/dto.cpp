#include "courses/dto.hpp"

#include "core/csv.hpp"

#include "core/json.hpp"

#include <boost/json.hpp>

#include <cctype>

namespace janji::courses {

namespace json = boost::json;

namespace {
json::value time_or_null(const std::optional<Timestamp>& t) {
  return t ? json::value(format_iso_z(*t)) : json::value(nullptr);
}
}  // namespace

json::value money_number(Money m) {
  if (m % 100 == 0) return json::value(m / 100);
  return json::value(static_cast<double>(m) / 100.0);
}

json::value to_json(const Course& c) {
  json::object o{{"id", c.id},
                 {"title", c.title},
                 {"description", json_or_null(c.description)},
                 {"instrument", c.instrument},
                 {"level", c.level},
                 {"price_per_session", money_number(c.price_per_session)},
                 {"duration_minutes", c.duration_minutes},
                 {"max_students", c.max_students},
                 {"is_active", c.is_active},
                 {"created_at", format_iso_z(c.created_at)},
                 {"updated_at", format_iso_z(c.updated_at)}};
  if (c.seats_taken) o["seats_taken"] = *c.seats_taken;
  if (c.waitlisted) o["waitlisted"] = *c.waitlisted;
  return o;
}

json::value to_json(const CourseBooking& b) {
  const auto& f = b.form;
  json::array days;
  for (const auto& d : f.preferred_days) days.push_back(json::value(d));
  json::object o{{"id", b.id},
                 {"course_id", b.course_id},
                 {"user_id", b.user_id ? json::value(*b.user_id) : json::value(nullptr)},
                 {"status", b.status},
                 {"applicant_full_name", f.full_name},
                 {"applicant_email", f.email},
                 {"applicant_wa_number", json_or_null(f.wa_number)},
                 {"applicant_address", f.address},
                 {"applicant_birth_place", f.birth_place},
                 {"applicant_birth_date", f.birth_date},
                 {"applicant_school", f.school},
                 {"applicant_class", f.class_year},
                 {"guardian_name", f.guardian_name},
                 {"guardian_wa_number", f.guardian_wa_number},
                 {"experience_level", f.experience_level},
                 {"preferred_days", std::move(days)},
                 {"preferred_time_range", {{"start", f.time_start}, {"end", f.time_end}}},
                 {"start_date_target", json_or_null(f.start_date_target)},
                 {"instrument_owned",
                  f.instrument_owned ? json::value(*f.instrument_owned) : json::value(nullptr)},
                 {"notes", json_or_null(f.notes)},
                 {"referral_source", json_or_null(f.referral_source)},
                 {"consent", true},
                 {"idempotency_key", f.idempotency_key},
                 {"expires_at", time_or_null(b.expires_at)},
                 {"confirmed_at", time_or_null(b.confirmed_at)},
                 {"rejected_at", time_or_null(b.rejected_at)},
                 {"rejection_reason", json_or_null(b.rejection_reason)},
                 {"created_at", format_iso_z(b.created_at)},
                 {"updated_at", format_iso_z(b.updated_at)}};
  if (b.course_title) o["course"] = {{"id", b.course_id}, {"title", *b.course_title}};
  return o;
}

json::value to_json(const Enrollment& e) {
  return json::object{
      {"id", e.id},
      {"student_id", e.student_id ? json::value(*e.student_id) : json::value(nullptr)},
      {"booking_id", json_or_null(e.booking_id)},
      {"course_id", e.course_id},
      {"status", e.status},
      {"enrolled_at", format_iso_z(e.enrolled_at)}};
}

json::value to_json(const EnrollmentDetail& d) {
  auto o = to_json(d.enrollment).as_object();
  o["student"] = {{"name", json_or_null(d.student_name)}, {"email", json_or_null(d.student_email)}};
  o["course"] = {{"id", d.enrollment.course_id}, {"title", d.course_title}};
  return o;
}

json::value pagination_json(const EnrollmentFilter& filter, std::int64_t total) {
  return janji::pagination_json(filter.page, filter.limit, total);
}

std::string event_data(std::string_view type, const CourseBooking& b, Timestamp now) {
  // booking.created -> BOOKING_CREATED
  std::string event_type;
  for (const char ch : type.substr(type.find('.') + 1))
    event_type += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  event_type = "BOOKING_" + event_type;
  json::array days;
  for (const auto& d : b.form.preferred_days) days.push_back(json::value(d));
  const json::object payload{{"eventType", event_type},
                             {"bookingId", b.id},
                             {"userId", b.user_id ? json::value(*b.user_id) : json::value(nullptr)},
                             {"courseId", b.course_id},
                             {"experienceLevel", b.form.experience_level},
                             {"preferredDays", std::move(days)},
                             {"timestamp", format_iso_z(now)}};
  return json::serialize(payload);
}

namespace {

std::string csv_time(const std::optional<Timestamp>& t) {
  return t ? csv_text(format_iso_z(*t)) : std::string();
}

}  // namespace

std::string booking_csv_header() {
  return csv_row({"id", "created_at", "status", "course", "applicant_full_name", "applicant_email",
                  "applicant_wa_number", "applicant_class", "applicant_school", "guardian_name",
                  "guardian_wa_number", "experience_level", "preferred_days",
                  "preferred_time_start", "preferred_time_end", "expires_at", "confirmed_at"});
}

std::string to_csv(const CourseBooking& b) {
  const auto& f = b.form;
  std::string days;
  for (const auto& d : f.preferred_days) days += (days.empty() ? "" : " ") + d;
  return csv_row({csv_text(b.id), csv_time(b.created_at), csv_text(b.status),
                  csv_text(b.course_title.value_or("")), csv_text(f.full_name), csv_text(f.email),
                  csv_text(f.wa_number.value_or("")), csv_number(std::to_string(f.class_year)),
                  csv_text(f.school), csv_text(f.guardian_name), csv_text(f.guardian_wa_number),
                  csv_text(f.experience_level), csv_text(days), csv_text(f.time_start),
                  csv_text(f.time_end), csv_time(b.expires_at), csv_time(b.confirmed_at)});
}

std::string enrollment_csv_header() {
  return csv_row({"id", "enrolled_at", "status", "course", "student_name", "student_email",
                  "student_id", "booking_id"});
}

std::string to_csv(const EnrollmentDetail& d) {
  const auto& e = d.enrollment;
  return csv_row({csv_text(e.id), csv_time(e.enrolled_at), csv_text(e.status),
                  csv_text(d.course_title), csv_text(d.student_name.value_or("")),
                  csv_text(d.student_email.value_or("")),
                  e.student_id ? csv_number(std::to_string(*e.student_id)) : std::string(),
                  csv_text(e.booking_id.value_or(""))});
}

}  // namespace janji::courses
