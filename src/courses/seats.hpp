#pragma once

#include <cstdint>
#include <string>
#include <string_view>

/// The rules of seats, the waitlist and self-service links (DESIGN.md "Capacity, waitlist,
/// calendar", "Self-service"). Pure.
namespace janji::courses {

/// How many unexpired pending bookings one e-mail may hold across courses (429
/// PENDING_LIMIT_REACHED beyond); the database's pending-limit trigger enforces the same.
inline constexpr std::int64_t kPendingLimit = 3;

/// A course is full when its active enrollments fill max_students; a registration then
/// waits for a seat.
bool course_is_full(std::int64_t max_students, std::int64_t active);

/// How many waitlisted bookings may be offered a seat now: the seats that neither an active
/// enrollment nor an unexpired pending booking (an offer still open, or a registration
/// awaiting its decision) stands to take. Never negative.
std::int64_t seats_to_offer(std::int64_t max_students, std::int64_t active, std::int64_t pending);

/// Whether a course booking in `status` may be moved to the waitlist (pending only).
bool can_waitlist(std::string_view status);
/// Whether the applicant may cancel a course booking in `status` (pending or waitlisted).
bool applicant_can_cancel(std::string_view status);

/// A manage token as made: 32 bytes (6 of time, then 26 random; all 32 random before),
/// base64url without padding (43 characters).
bool is_manage_token_shaped(std::string_view token);

/// The applicant's page for a token: PUBLIC_URL + "/register/status?token=" + token, or ""
/// when PUBLIC_URL is unset (a message without a base address cannot carry a working link).
std::string manage_link(std::string_view public_url, std::string_view token);

}  // namespace janji::courses
