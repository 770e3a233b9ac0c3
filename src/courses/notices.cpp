#include "courses/notices.hpp"

#include "notify/format.hpp"

namespace janji::courses {

using notify::MessageKind;
using notify::Recipient;

std::vector<notify::Recipient> recipients(const CourseBooking& b) {
  const auto& f = b.form;
  std::vector<Recipient> out{{Recipient::By::kEmail, f.email, f.full_name}};
  if (f.wa_number && !f.wa_number->empty())
    out.push_back({Recipient::By::kPhone, *f.wa_number, f.full_name});
  if (!f.guardian_wa_number.empty())
    out.push_back({Recipient::By::kPhone, f.guardian_wa_number, f.guardian_name});
  return out;
}

std::vector<notify::Notice> notices_for(std::string_view type, const CourseBooking& b, Money price,
                                        const notify::Zone& zone, notify::Locale locale,
                                        std::string link) {
  MessageKind kind;
  if (type == "booking.created")
    kind = MessageKind::kRegistrationReceived;
  else if (type == "booking.confirmed")
    kind = MessageKind::kBookingConfirmed;
  else if (type == "booking.rejected")
    kind = MessageKind::kBookingRejected;
  else if (type == "booking.expired")
    kind = MessageKind::kBookingExpired;
  else if (type == "booking.seat_offered")
    kind = MessageKind::kSeatOffered;
  else
    return {};
  notify::MessageFields f;
  f.student = b.form.full_name;
  f.course = b.course_title.value_or("");
  f.status = std::string(notify::status_label(b.status, locale));
  f.amount = notify::format_rupiah(price);
  f.reason = b.rejection_reason.value_or("");
  if (b.expires_at) f.deadline = notify::format_date_time(*b.expires_at, zone, locale);
  f.link = std::move(link);
  return {{kind, std::move(f), recipients(b)}};
}

}  // namespace janji::courses
