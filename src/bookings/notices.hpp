#pragma once

#include "bookings/dto.hpp"
#include "notify/outbox.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace janji::bookings {

/// What a message about a booking says besides the booking itself.
struct NoticeFacts {
  std::string service;                     // the service type's name
  std::optional<std::string> before;       // the status before an update
  std::optional<std::string> owner_email;  // OWNER_EMAIL
};

/// The customer, reached by WhatsApp at their phone number when they gave one that is a
/// number, else by e-mail.
notify::Recipient customer(const auth::User& user);

/// The messages an event of this domain sends (DESIGN.md, "Notifications"): a created
/// booking tells the customer and the owner; an update that changes the status tells the
/// customer; a re-scoring tells no one. Dates in `zone`, money as rupiah. Pure.
std::vector<notify::Notice> notices_for(std::string_view type, const Booking& b,
                                        const NoticeFacts& facts, const notify::Zone& zone,
                                        notify::Locale locale);

/// The day-before reminder of `b`.
notify::Notice reminder_for(const Booking& b, const std::string& service, const notify::Zone& zone,
                            notify::Locale locale);

}  // namespace janji::bookings
