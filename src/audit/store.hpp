#pragma once

#include "audit/dto.hpp"
#include "infra/db/runner.hpp"

#include <boost/asio/awaitable.hpp>

namespace janji::audit {

/// Appends `change` in the caller's transaction, so the log holds a write exactly when the
/// write was committed.
void record(db::Connection& c, const Change& change, Timestamp at);

/// Reads the log, newest first. Nothing here updates or deletes it.
class AuditStore {
 public:
  explicit AuditStore(db::Runner& db) : db_(db) {}

  boost::asio::awaitable<Page> list(Filter filter);

 private:
  db::Runner& db_;
};

}  // namespace janji::audit
