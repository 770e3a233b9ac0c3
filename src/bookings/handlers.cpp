#include "bookings/handlers.hpp"

#include "bookings/validation.hpp"
#include "core/csv.hpp"
#include "core/json.hpp"
#include "http/body.hpp"
#include "http/produced.hpp"
#include "infra/text_cache.hpp"

#include <algorithm>

namespace janji::bookings {

using boost::asio::awaitable;
using http::Access;
using http::QueryDoc;
using http::Request;
using http::Response;
using http::Verb;

namespace {

// A booking as the answer: its text written once, not built into a value and serialized.
Response booking_json(unsigned status, const Booking& b) {
  Response r;
  r.status = status;
  append_json(r.body, b);
  return r;
}

// How long a request waits for another making the same list before reading it itself.
constexpr auto kPatience = std::chrono::seconds(2);

// The list's text is written on the database's thread as the rows are read (no tree of
// every booking, no long serialization on an IO thread). While it fits in `lists` it is
// made whole, kept, and sent whole; asked again while the data is unchanged (an owner's
// pages and app refreshing, many clients at once), it is sent from there without reading
// the rows. A list too long to keep is sent as it is made, so its memory stays bounded.
awaitable<void> write_list(BookingService& bookings, TextCache& lists, ListFilter filter,
                           std::optional<std::string> seen, http::BodySink& out) {
  const auto key = describe(filter);
  co_await lists.await_making(key, kPatience);
  std::unique_ptr<TextCache::Making> making;  // this request makes the text to keep
  bool resent = false;
  const AtVersion at = [&](const std::string& version) {
    auto found = lists.find(key, version);
    making = std::move(found.making);
    if (found.text) {
      out.add(found.text);  // nothing sent yet: it goes as it is kept
      resent = true;
    }
    // The rows are read to send them, or to make the text that replaces one past its age.
    return !resent || making;
  };
  std::string whole;  // the text to keep, while it still fits
  std::string text = "[";
  const EachBooking each = [&](const Booking& b) {
    append_json(text, b);
    if (making && !lists.keeps(whole.size() + text.size())) {
      making.reset();  // too long to keep: sent as it is made from here on
      if (!resent) out.append(whole);
      whole = std::string();
    }
    if (making)
      whole += text;
    else if (!resent)
      out.append(text);
    text.assign(1, ',');
  };
  co_await bookings.list(std::move(filter), each, at, std::move(seen));
  text = text == "[" ? "[]" : "]";
  if (making) {
    whole += text;
    auto kept = making->put(std::move(whole));
    if (!resent) out.add(kept);
  } else if (!resent) {
    out.add(text);
  }
}

awaitable<void> write_csv(BookingService& bookings, ListFilter filter, http::BodySink& out) {
  out.add(std::string(kUtf8Bom) + csv_header());
  co_await bookings.list(std::move(filter), [&out](const Booking& b) { out.append(to_csv(b)); });
}

// A plain lambda hands its captures to the coroutine as parameters, and it is named before
// the co_await: GCC 12 destroys some captures of coroutine lambdas, and some temporaries in
// a co_await's arguments, twice.
awaitable<Response> list_response(BookingService& bookings, TextCache& lists, ListFilter filter,
                                  std::optional<std::string> seen) {
  http::Produce produce = [&bookings, &lists, filter = std::move(filter),
                           seen = std::move(seen)](http::BodySink& out) {
    return write_list(bookings, lists, filter, seen, out);
  };
  std::string type = "application/json; charset=utf-8";
  co_return co_await http::produced_response(std::move(type), std::move(produce));
}

const std::vector<QueryDoc> kListQuery = {
    {"order_by",
     "Order of the list; priority ties break by nearest event, then id",
     {"priority_score_desc", "tanggal_acara_asc", "tanggal_acara_desc", "id_asc", "id_desc"}},
    {"segment", "Only bookings in this priority segment", {"high", "medium", "low"}},
    {"status",
     "Only bookings with this status",
     {"pending", "confirmed", "dp", "paid", "completed", "cancelled"}},
    {"state",
     "open: pending, confirmed, dp and paid; finished: completed and cancelled",
     {"open", "finished"}},
    {"skip", "Number of bookings to leave out from the start", {}, "integer"},
    {"limit", "Largest number of bookings to return", {}, "integer"},
};

}  // namespace

void add_routes(http::Router& router, BookingService& bookings, TextCache& lists, events::Hub& hub,
                events::SseOptions sse) {
  router.add(Verb::get, "/bookings/stream",
             [&hub, sse](Request& req) -> awaitable<Response> {
               co_return events::sse_response(hub, std::string(kStream), req, sse);
             },
             {.tag = "bookings",
              .summary = "Live bookings (SSE): booking_created and booking_updated",
              .access = Access::kAdmin,
              .query_token = true,
              .event_stream = true});

  router.add(Verb::post, "/bookings/",
             [&bookings](Request& req) -> awaitable<Response> {
               const auto r = parse_booking_request(http::json_body(req), bookings.now());
               auto key = parse_idempotency_key(req.header("Idempotency-Key"));
               auto created = co_await bookings.create(req.user_id, r, std::move(key));
               auto res = booking_json(201, created.booking);
               if (created.replayed) res.with_header("Idempotent-Replayed", "true");
               co_return res;
             },
             {.tag = "bookings",
              .summary = "Book a service type; the price is locked and the priority computed",
              .access = Access::kUser,
              // The user is looked up in the booking's own transaction.
              .token_only = true,
              .request_schema = "BookingCreate",
              .status = 201,
              .response_schema = "BookingRead",
              .errors = {404},
              .headers = {"Idempotency-Key"}});

  router.add(Verb::get, "/bookings/",
             [&bookings, &lists](Request& req) -> awaitable<Response> {
               auto filter = parse_list_filter(req.query);
               auto seen = req.data_version;
               co_return co_await list_response(bookings, lists, std::move(filter),
                                                std::move(seen));
             },
             {.tag = "bookings",
              .summary = "All bookings (admin)",
              .access = Access::kAdmin,
              .response_schema = "[BookingRead]",
              .query = kListQuery});

  router.add(
      Verb::get, "/bookings/export.csv",
      [&bookings](Request& req) -> awaitable<Response> {
        http::Produce produce = [&bookings,
                                 filter = parse_list_filter(req.query)](http::BodySink& out) {
          return write_csv(bookings, filter, out);
        };
        std::string type = "text/csv; charset=utf-8";
        auto r = co_await http::produced_response(std::move(type), std::move(produce));
        co_return r.with_header("Content-Disposition", "attachment; filename=\"bookings.csv\"");
      },
      {.tag = "bookings",
       .summary = "All bookings as CSV for spreadsheets (admin; the list's filters)",
       .access = Access::kAdmin,
       .media_type = "text/csv",
       .query = kListQuery});

  router.add(Verb::get, "/bookings/me",
             [&bookings, &lists](Request& req) -> awaitable<Response> {
               auto filter = parse_list_filter(req.query);
               filter.user_id = req.caller().id;
               auto seen = req.data_version;
               co_return co_await list_response(bookings, lists, std::move(filter),
                                                std::move(seen));
             },
             {.tag = "bookings",
              .summary = "The current user's bookings",
              .access = Access::kUser,
              .response_schema = "[BookingRead]",
              .query = kListQuery});

  router.add(Verb::get, "/bookings/{booking_id}",
             [&bookings](Request& req) -> awaitable<Response> {
               const auto id = http::path_id(req, "booking_id");
               co_return booking_json(200, co_await bookings.get(req.caller(), id));
             },
             {.tag = "bookings",
              .summary = "One booking (its owner or an admin)",
              .access = Access::kUser,
              .response_schema = "BookingRead",
              .errors = {404}});

  router.add(Verb::post, "/bookings/{booking_id}/cancel",
             [&bookings](Request& req) -> awaitable<Response> {
               const auto id = http::path_id(req, "booking_id");
               co_return booking_json(200, co_await bookings.cancel(req.caller(), id));
             },
             {.tag = "bookings",
              .summary = "Cancel one's own booking (pending, confirmed or dp) before "
                         "CANCEL_CUTOFF",
              .access = Access::kUser,
              .response_schema = "BookingRead",
              .errors = {403, 404, 409}});

  router.add(Verb::patch, "/bookings/{booking_id}",
             [&bookings](Request& req) -> awaitable<Response> {
               const auto id = http::path_id(req, "booking_id");
               auto status = parse_status_update(http::json_body(req));
               co_return booking_json(
                   200, co_await bookings.set_status(id, std::move(status), req.caller().id));
             },
             {.tag = "bookings",
              .summary = "Change a booking's status (admin); the priority is re-computed",
              .access = Access::kAdmin,
              .request_schema = "BookingStatusUpdate",
              .response_schema = "BookingRead",
              .errors = {404}});
}

}  // namespace janji::bookings
