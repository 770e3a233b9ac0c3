#pragma once

#include "core/time.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace janji::bookings {

/// Why a customer may not cancel her own booking now, or nullopt when she may: only while
/// it is pending, confirmed or dp (paid and later need the owner), and at least `cutoff`
/// (CANCEL_CUTOFF) before the event. Pure.
std::optional<std::string> cancel_refusal(std::string_view status, Timestamp event_at,
                                          Timestamp now, std::chrono::milliseconds cutoff);

}  // namespace janji::bookings
