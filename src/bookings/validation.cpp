#include "bookings/validation.hpp"

#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/text.hpp"
#include "http/body.hpp"

#include <array>
#include <cstdint>

namespace janji::bookings {

namespace json = boost::json;

namespace {

constexpr std::int64_t kMaxClients = 1000;
constexpr std::size_t kIdempotencyKeyMax = 255;

// An event more than a day in the past cannot be booked; the slack covers clients that
// send local midnight of today.
constexpr auto kPastSlack = std::chrono::hours(24);

struct OrderName {
  std::string_view name;
  Order order;
};
constexpr OrderName kOrders[] = {{"priority_score_desc", Order::kPriorityDesc},
                                 {"tanggal_acara_asc", Order::kEventAsc},
                                 {"tanggal_acara_desc", Order::kEventDesc},
                                 {"id_asc", Order::kId},
                                 {"id_desc", Order::kIdDesc}};

constexpr auto kOrderNames = [] {
  std::array<std::string_view, std::size(kOrders)> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = kOrders[i].name;
  return names;
}();

}  // namespace

BookingRequest parse_booking_request(json::value body, Timestamp now) {
  Fields f(std::move(body));
  f.forbid_unknown({"service_type_id", "tanggal_acara", "jumlah_client"});
  BookingRequest r;
  r.service_type_id = f.required_int("service_type_id", 1, INT64_MAX);
  r.tanggal_acara = f.required_datetime("tanggal_acara");
  r.jumlah_client = f.required_int("jumlah_client", 1, kMaxClients);
  if (f.ok() && r.tanggal_acara < now - kPastSlack)
    f.add({json::array{"body", "tanggal_acara"},
           "Value error, the event date is in the past",
           "value_error",
           json::value(format_naive(r.tanggal_acara)),
           {}});
  f.finish();
  return r;
}

std::string parse_status_update(json::value body) {
  return single_choice(std::move(body), "status", kStatuses);
}

std::optional<std::string> parse_idempotency_key(std::string_view header) {
  if (header.empty()) return std::nullopt;
  const json::array loc{"header", "idempotency-key"};
  if (header.size() > kIdempotencyKeyMax)
    throw ApiError::validation({{loc,
                                 "String should have at most 255 characters",
                                 "string_too_long",
                                 json::value(nullptr),
                                 {}}});
  if (!is_valid_utf8(header))
    throw ApiError::validation({{loc,
                                 "Input should be a valid string, unable to parse raw data as a "
                                 "unicode string",
                                 "string_unicode",
                                 json::value(header),
                                 {}}});
  return std::string(header);
}

ListFilter parse_list_filter(const http::Pairs& query) {
  const auto q = http::to_object(query);
  Fields f(q, "query");
  ListFilter filter;
  if (q.contains("order_by")) {
    const auto name = f.required_choice("order_by", kOrderNames);
    for (const auto& o : kOrders)
      if (o.name == name) filter.order = o.order;
  }
  if (q.contains("segment"))
    filter.segment = f.required_choice("segment", {"high", "medium", "low"});
  if (q.contains("status")) filter.status = f.required_choice("status", kStatuses);
  if (q.contains("state")) filter.state = f.required_choice("state", {"open", "finished"});
  if (q.contains("skip")) filter.skip = f.required_int("skip", 0, INT64_MAX);
  if (q.contains("limit")) filter.limit = f.required_int("limit", 1, 100000);
  f.finish();
  return filter;
}

}  // namespace janji::bookings
