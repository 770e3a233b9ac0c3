#include "bookings/self_service.hpp"

namespace janji::bookings {

namespace {

// "48 hours", "30 minutes", "2 days": the cutoff as the customer reads it.
std::string in_words(std::chrono::milliseconds cutoff) {
  using namespace std::chrono;
  const auto minutes = duration_cast<std::chrono::minutes>(cutoff).count();
  if (minutes % (24 * 60) == 0 && minutes >= 24 * 60 * 3)
    return std::to_string(minutes / (24 * 60)) + " days";
  if (minutes % 60 == 0) return std::to_string(minutes / 60) + " hours";
  return std::to_string(minutes) + " minutes";
}

}  // namespace

std::optional<std::string> cancel_refusal(std::string_view status, Timestamp event_at,
                                          Timestamp now, std::chrono::milliseconds cutoff) {
  if (status == "cancelled") return "Booking is already cancelled";
  if (status != "pending" && status != "confirmed" && status != "dp")
    return "A booking that is " + std::string(status) + " can only be cancelled by the owner";
  if (now > event_at - cutoff)
    return "Bookings can be cancelled only until " + in_words(cutoff) + " before the event";
  return std::nullopt;
}

}  // namespace janji::bookings
