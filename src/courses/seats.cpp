#include "courses/seats.hpp"

#include <algorithm>

namespace janji::courses {

bool course_is_full(std::int64_t max_students, std::int64_t active) {
  return active >= max_students;
}

std::int64_t seats_to_offer(std::int64_t max_students, std::int64_t active, std::int64_t pending) {
  return std::max<std::int64_t>(0, max_students - active - pending);
}

bool can_waitlist(std::string_view status) {
  return status == "pending";
}

bool applicant_can_cancel(std::string_view status) {
  return status == "pending" || status == "waitlisted";
}

bool is_manage_token_shaped(std::string_view token) {
  if (token.size() != 43) return false;
  return std::all_of(token.begin(), token.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_';
  });
}

std::string manage_link(std::string_view public_url, std::string_view token) {
  if (public_url.empty()) return {};
  while (!public_url.empty() && public_url.back() == '/') public_url.remove_suffix(1);
  return std::string(public_url) + "/register/status?token=" + std::string(token);
}

}  // namespace janji::courses
