#include "segments/handlers.hpp"

namespace janji::segments {

using boost::asio::awaitable;
using http::Access;
using http::Request;
using http::Response;
using http::Verb;

void add_routes(http::Router& router, SegmentService& segments, events::Hub& hub,
                events::SseOptions sse) {
  router.add(Verb::get, "/segments/",
             [&segments](Request&) -> awaitable<Response> {
               Response r;
               r.body = co_await segments.current();
               co_return r;
             },
             {.tag = "segments",
              .summary = "RFM customer segments (k-means, k = 4): Loyal, Aktif, Potensial, Pasif",
              .access = Access::kAdmin,
              .response_schema = "[SegmentItem]",
              .errors = {400}});

  router.add(Verb::get, "/segments/stream",
             [&segments, &hub, sse](Request& req) -> awaitable<Response> {
               co_return events::sse_response(hub, std::string(kStream), req, sse,
                                              [&segments] { return segments.snapshot(); });
             },
             {.tag = "segments",
              .summary = "Live segments (SSE): the current segments first, then segment_updated",
              .access = Access::kAdmin,
              .query_token = true,
              .event_stream = true});
}

}  // namespace janji::segments
