#include "ops/store.hpp"

#include "events/log.hpp"

namespace janji::ops {

void read_queues(db::Connection& c, Snapshot& s) {
  for (const auto& row :
       c.query("SELECT channel, status, COUNT(*) FROM notifications GROUP BY channel, status "
               "ORDER BY channel, status"))
    s.notifications.push_back({row.text(0), row.text(1), row.int64(2)});
  s.newest_event = events::last_id(c);
}

}  // namespace janji::ops
