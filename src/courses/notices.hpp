#pragma once

#include "courses/dto.hpp"
#include "notify/outbox.hpp"

#include <string_view>
#include <vector>

namespace janji::courses {

/// The applicant by e-mail and at their WhatsApp number, and the guardian at theirs.
std::vector<notify::Recipient> recipients(const CourseBooking& b);

/// The messages a course booking event sends (DESIGN.md, "Notifications"): received,
/// confirmed, rejected (with the reason), expired and seat offered, each to every
/// recipient. `price` is the course's price per session; `link` the applicant's manage page
/// ("" when there is none to give). Pure.
std::vector<notify::Notice> notices_for(std::string_view type, const CourseBooking& b, Money price,
                                        const notify::Zone& zone, notify::Locale locale,
                                        std::string link = {});

}  // namespace janji::courses
