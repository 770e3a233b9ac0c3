#include "audit/validation.hpp"

#include "core/fields.hpp"
#include "http/body.hpp"

namespace janji::audit {

Filter parse_filter(const http::Pairs& query) {
  const auto q = http::to_object(query);
  Fields f(q, "query", Coercion::kLax);
  Filter filter;
  if (q.contains("subject_type")) filter.subject_type = f.required_string("subject_type", 1, 64);
  if (q.contains("subject_id")) filter.subject_id = f.required_string("subject_id", 1, 255);
  if (q.contains("actor_id")) filter.actor_id = f.required_int("actor_id", 1, INT64_MAX);
  if (q.contains("page")) filter.page = f.required_int("page", 1, 1000000);
  if (q.contains("limit")) filter.limit = f.required_int("limit", 1, 100);
  f.finish();
  return filter;
}

}  // namespace janji::audit
