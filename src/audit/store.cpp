#include "audit/store.hpp"

#include "infra/db/query.hpp"

#include <boost/json/serialize.hpp>

namespace janji::audit {

namespace {

db::Param json_or_null(const std::optional<boost::json::value>& v) {
  if (!v) return db::Null{};
  return boost::json::serialize(*v);
}

}  // namespace

void record(db::Connection& c, const Change& change, Timestamp at) {
  c.execute_soon(
      "INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, before, after) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {db::time(at), change.actor ? db::Param{*change.actor} : db::Param{db::Null{}}, change.action,
       change.subject_type, change.subject_id, json_or_null(change.before),
       json_or_null(change.after)});
}

boost::asio::awaitable<Page> AuditStore::list(Filter f) {
  co_return co_await db_.read([&f](db::Connection& c) {
    db::Query q;
    if (f.subject_type) q.where_equals("subject_type", *f.subject_type);
    if (f.subject_id) q.where_equals("subject_id", *f.subject_id);
    if (f.actor_id) q.where_equals("actor_id", *f.actor_id);
    Page page;
    page.total = c.query_one("SELECT COUNT(*) FROM audit_log" + q.where(), q.params())->int64(0);
    auto sql =
        "SELECT id, at, actor_id, action, subject_type, subject_id, before, after FROM audit_log" +
        q.where() + " ORDER BY id DESC";
    sql += q.page(f.page, f.limit);
    for (const auto& r : c.query(sql, q.params()))
      page.items.push_back({r.int64(0), r.time(1), r.opt_int64(2), r.text(3), r.text(4), r.text(5),
                            r.opt_text(6), r.opt_text(7)});
    return page;
  });
}

}  // namespace janji::audit
