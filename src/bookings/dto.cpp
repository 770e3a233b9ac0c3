#include "bookings/dto.hpp"

#include "core/csv.hpp"
#include "core/json_text.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>

namespace janji::bookings {

bool is_status(std::string_view s) {
  return std::find(kStatuses.begin(), kStatuses.end(), s) != kStatuses.end();
}

void append_json(std::string& out, const Booking& b) {
  JsonText w(out);
  w.object()
      .field("id", b.id)
      .field("user_id", b.user_id)
      .field("service_type_id", b.service_type_id)
      .field("price_locked", format_money(b.price_locked))
      .field("status", b.status)
      .field("tanggal_booking", format_naive(b.tanggal_booking))
      .field("tanggal_acara", format_naive(b.tanggal_acara))
      .field("jumlah_client", b.jumlah_client)
      .field("priority_score", b.priority_score)
      .field("priority_segment", b.priority_segment)
      .field("urgency_level", b.urgency_level)
      .field("monetary_level", b.monetary_level)
      .field("updated_priority_at", format_naive(b.updated_priority_at))
      .object("user");
  auth::write_fields(w, b.user);
  w.end().end();
}

boost::json::value to_json(const Booking& b, boost::json::storage_ptr sp) {
  std::string text;
  append_json(text, b);
  return boost::json::parse(text, std::move(sp));
}

std::string describe(const ListFilter& f) {
  std::string line = "order " + std::to_string(static_cast<int>(f.order));
  const auto put = [&line](std::string_view name, const auto& value) {
    if (!value) return;
    line += ' ';
    line += name;
    line += ' ';
    if constexpr (std::is_same_v<std::decay_t<decltype(*value)>, std::string>)
      line += *value;  // a choice from a short list: no spaces
    else
      line += std::to_string(*value);
  };
  put("user", f.user_id);
  put("segment", f.segment);
  put("status", f.status);
  put("state", f.state);
  put("skip", f.skip);
  put("limit", f.limit);
  return line;
}

std::string csv_header() {
  return csv_row({"id", "customer", "email", "phone", "service_type_id", "price_locked", "status",
                  "tanggal_booking", "tanggal_acara", "jumlah_client", "priority_score",
                  "priority_segment"});
}

std::string to_csv(const Booking& b) {
  return csv_row(
      {csv_number(std::to_string(b.id)), csv_text(b.user.name), csv_text(b.user.email),
       csv_text(b.user.phone_number.value_or("")), csv_number(std::to_string(b.service_type_id)),
       csv_money(b.price_locked), csv_text(b.status), csv_text(format_naive(b.tanggal_booking)),
       csv_text(format_naive(b.tanggal_acara)), csv_number(std::to_string(b.jumlah_client)),
       csv_number(std::to_string(b.priority_score)), csv_text(b.priority_segment)});
}

}  // namespace janji::bookings
