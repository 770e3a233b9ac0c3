#include "bookings/notices.hpp"

#include "notify/format.hpp"
#include "notify/phone.hpp"

namespace janji::bookings {

using notify::MessageKind;
using notify::Recipient;

notify::Recipient customer(const auth::User& user) {
  if (user.phone_number && notify::to_e164(*user.phone_number))
    return {Recipient::By::kPhone, *user.phone_number, user.name};
  return {Recipient::By::kEmail, user.email, user.name};
}

namespace {

notify::MessageFields fields_of(const Booking& b, const std::string& service,
                                const notify::Zone& zone, notify::Locale locale) {
  notify::MessageFields f;
  f.booking_id = std::to_string(b.id);
  f.service = service;
  f.date = notify::format_date(b.tanggal_acara, zone, locale);
  f.clients = std::to_string(b.jumlah_client);
  f.amount = notify::format_rupiah(b.price_locked);
  f.status = std::string(notify::status_label(b.status, locale));
  f.customer = b.user.name;
  f.contact = b.user.phone_number.value_or(b.user.email);
  return f;
}

}  // namespace

std::vector<notify::Notice> notices_for(std::string_view type, const Booking& b,
                                        const NoticeFacts& facts, const notify::Zone& zone,
                                        notify::Locale locale) {
  std::vector<notify::Notice> out;
  const auto fields = fields_of(b, facts.service, zone, locale);
  if (type == "booking_created") {
    out.push_back({MessageKind::kBookingCreated, fields, {customer(b.user)}});
    if (facts.owner_email && !facts.owner_email->empty())
      out.push_back({MessageKind::kBookingCreatedOwner,
                     fields,
                     {{Recipient::By::kEmail, *facts.owner_email, {}}}});
  } else if (type == "booking_updated" && facts.before && *facts.before != b.status) {
    out.push_back({MessageKind::kBookingStatusChanged, fields, {customer(b.user)}});
  }
  return out;
}

notify::Notice reminder_for(const Booking& b, const std::string& service, const notify::Zone& zone,
                            notify::Locale locale) {
  return {MessageKind::kBookingReminder, fields_of(b, service, zone, locale), {customer(b.user)}};
}

}  // namespace janji::bookings
