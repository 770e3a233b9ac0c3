#include "infra/db/postgres.hpp"

#include "core/money.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <unordered_map>

namespace janji::db {

namespace {

// Type OIDs (catalog/pg_type_d.h is a server header, so the few needed are named here).
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26,
              kFloat4Oid = 700, kFloat8Oid = 701, kTimestampOid = 1114, kTimestamptzOid = 1184,
              kNumericOid = 1700;

// A request waits this long for a connection before it is answered 503.
constexpr auto kAcquireTimeout = std::chrono::milliseconds(2500);
// No statement waits longer for the server than this, even one that stopped answering
// without closing the connection; the server's own statement_timeout fires first.
constexpr auto kStatementDeadline = std::chrono::milliseconds(4800);

// Every session: UTC so timestamptz text is parseable as UTC, and bounds on how long any
// statement or lock wait may take, so a request never hangs on a stuck server.
constexpr const char* kSessionOptions =
    "-c TimeZone=UTC -c DateStyle=ISO -c statement_timeout=4500 -c lock_timeout=4000 "
    "-c idle_in_transaction_session_timeout=60000";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

Error to_error(PGconn* conn, const PGresult* res) {
  std::string msg = trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (msg.empty()) msg = trimmed(PQerrorMessage(conn));
  if (PQstatus(conn) == CONNECTION_BAD) return {Error::Kind::kUnavailable, msg};
  const char* state_text = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view state = state_text ? state_text : "";
  const char* constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  if (state == "23505") return {Error::Kind::kUniqueViolation, msg, constraint ? constraint : ""};
  if (state == "23503")
    return {Error::Kind::kForeignKeyViolation, msg, constraint ? constraint : ""};
  if (state == "23514" || state == "23502") return {Error::Kind::kCheckViolation, msg, msg};
  // Serialization failure, deadlock, lock or statement timeout: worth retrying later.
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014")
    return {Error::Kind::kBusy, msg};
  // Connection exceptions, shutdown in progress, too many connections, out of resources.
  if (state.empty() || state.starts_with("08") || state.starts_with("53") ||
      state.starts_with("57P"))
    return {Error::Kind::kUnavailable, msg};
  return {Error::Kind::kOther, msg};
}

Cell to_cell(Oid type, const char* text, int length) {
  const std::string_view s(text, static_cast<std::size_t>(length));
  switch (type) {
    case kInt8Oid:
    case kInt4Oid:
    case kInt2Oid:
    case kOidOid: {
      std::int64_t v = 0;
      if (std::from_chars(s.data(), s.data() + s.size(), v).ec == std::errc{}) return v;
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid:
      return std::strtod(std::string(s).c_str(), nullptr);
    case kBoolOid:
      return std::int64_t{s == "t" ? 1 : 0};
    case kTimestamptzOid:
    case kTimestampOid:
      if (auto t = parse_pg_timestamp(s)) return std::int64_t{t->time_since_epoch().count()};
      break;
    default:
      break;
  }
  return std::string(s);  // text, uuid, date, numeric (Row::money reads its decimal text)
}

}  // namespace

std::optional<Timestamp> parse_pg_timestamp(std::string_view s) {
  auto num = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    return std::from_chars(s.data() + at, s.data() + at + n, out).ec == std::errc{};
  };
  int y, mo, d, h, mi, sec;
  if (s.size() < 19 || !num(0, 4, y) || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' ||
      !num(8, 2, d) || (s[10] != ' ' && s[10] != 'T') || !num(11, 2, h) || s[13] != ':' ||
      !num(14, 2, mi) || s[16] != ':' || !num(17, 2, sec))
    return std::nullopt;
  std::size_t i = 19;
  long long micros = 0;
  if (i < s.size() && s[i] == '.') {
    int digits = 0;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits)
      if (digits < 6) micros = micros * 10 + (s[i] - '0');
    for (; digits < 6; ++digits) micros *= 10;
  }
  int offset_minutes = 0;
  if (i < s.size()) {
    const int sign = s[i] == '-' ? -1 : s[i] == '+' ? 1 : 0;
    int oh = 0, om = 0;
    if (sign == 0 || !num(i + 1, 2, oh)) return std::nullopt;
    if (i + 3 < s.size() && (s[i + 3] != ':' || !num(i + 4, 2, om))) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  }
  namespace chr = std::chrono;
  const chr::year_month_day ymd{chr::year{y}, chr::month{unsigned(mo)}, chr::day{unsigned(d)}};
  if (!ymd.ok()) return std::nullopt;
  return Timestamp{chr::sys_days{ymd}} + chr::hours{h} + chr::minutes{mi - offset_minutes} +
         chr::seconds{sec} + chr::microseconds{micros};
}

std::string format_pg_timestamp(Timestamp t) {
  namespace chr = std::chrono;
  const auto day = chr::floor<chr::days>(t);
  const chr::year_month_day ymd{day};
  const chr::hh_mm_ss hms{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d.%06lld+00", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                static_cast<long long>(hms.subseconds().count()));
  return buf;
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& url) {
    const char* keys[] = {"dbname",
                          "connect_timeout",
                          "options",
                          "application_name",
                          "keepalives",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "tcp_user_timeout",
                          nullptr};
    const char* values[] = {url.c_str(), "2", kSessionOptions, "janji", "1", "10",
                            "3",         "3", "5000",          nullptr};
    conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      const std::string msg = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw Error(Error::Kind::kUnavailable, "cannot connect to PostgreSQL: " + msg);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool ok() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

  void lift_time_limits() override {
    execute_script("SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0");
    limited_ = false;
  }
  void serialize_on(std::string_view key) override {
    const Param lock_key[] = {std::string(key)};
    query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", lock_key);
  }
  void move_id_sequence_past_rows(std::string_view table) override {
    const auto t = std::string(table);
    query("SELECT setval(pg_get_serial_sequence('" + t +
              "', 'id'), GREATEST((SELECT MAX(id) FROM " + t + "), 1))",
          {});
  }

  /// The next statement must be answered by `t` (sooner than its own deadline).
  void answer_by(std::chrono::steady_clock::time_point t) { answer_by_ = t; }
  /// Back to request limits once a transaction ends.
  void restore_time_limits() { limited_ = true; }
  /// Whether any transaction has run on it yet: a new connection that fails is a real
  /// outage, an old one may just have been dropped by a server restart.
  bool used() const { return used_; }
  void mark_used() { used_ = true; }

  Rows query(std::string_view sql, std::span<const Param> params) override {
    const auto res = run(sql, params);
    const int n = PQntuples(res.get());
    const int columns = PQnfields(res.get());
    std::vector<Oid> types(columns);
    for (int j = 0; j < columns; ++j) types[j] = PQftype(res.get(), j);
    Rows rows;
    rows.reserve(n);
    for (int i = 0; i < n; ++i) {
      std::vector<Cell> cells;
      cells.reserve(columns);
      for (int j = 0; j < columns; ++j) {
        if (PQgetisnull(res.get(), i, j))
          cells.emplace_back(Null{});
        else
          cells.push_back(
              to_cell(types[j], PQgetvalue(res.get(), i, j), PQgetlength(res.get(), i, j)));
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  std::int64_t execute(std::string_view sql, std::span<const Param> params) override {
    const auto res = run(sql, params);
    const char* count = PQcmdTuples(res.get());
    std::int64_t n = 0;
    if (count && *count) std::from_chars(count, count + std::strlen(count), n);
    return n;
  }

  std::optional<std::int64_t> insert_id(std::string_view sql,
                                        std::span<const Param> params) override {
    std::string returning;
    returning.reserve(sql.size() + 13);
    returning.append(sql).append(" RETURNING id");
    const auto rows = query(returning, params);
    if (rows.empty()) return std::nullopt;
    return rows.front().int64(0);
  }

  void execute_script(std::string_view sql) override {
    check_usable();
    if (!PQsendQuery(conn_, std::string(sql).c_str())) throw to_error(conn_, nullptr);
    const auto res = wait_for_result();
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw to_error(conn_, res.get());
  }

 private:
  Result run(std::string_view sql, std::span<const Param> params) {
    const int n = static_cast<int>(params.size());
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), 0);
    // Parameters go as text. Integers, reals, money and times carry their type; strings and
    // booleans ("1"/"0") are left for the server to infer from the statement, so one text
    // serves uuid, date and text columns alike, and a boolean serves both `flag` and `$n = 1`.
    std::string key;
    key.reserve(params.size() + 1 + sql.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Null>) {
              key += 'n';
              return;
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              texts[i] = std::to_string(v);
              types[i] = kInt8Oid;
              key += 'i';
            } else if constexpr (std::is_same_v<T, double>) {
              char buf[32];
              const auto r = std::to_chars(buf, buf + sizeof buf, v);
              texts[i].assign(buf, r.ptr);
              types[i] = kFloat8Oid;
              key += 'd';
            } else if constexpr (std::is_same_v<T, bool>) {
              texts[i] = v ? "1" : "0";
              key += 'b';
            } else if constexpr (std::is_same_v<T, std::string>) {
              texts[i] = v;
              key += 's';
            } else if constexpr (std::is_same_v<T, MoneyValue>) {
              texts[i] = format_money(v.minor);
              types[i] = kNumericOid;
              key += 'm';
            } else if constexpr (std::is_same_v<T, TimeValue>) {
              texts[i] = format_pg_timestamp(v.at);
              types[i] = kTimestamptzOid;
              key += 't';
            }
            values[i] = texts[i].c_str();
          },
          params[i]);
    }
    key += '|';
    key += sql;
    auto it = statements_.find(key);
    if (it == statements_.end()) {
      const std::string name = "j" + std::to_string(statements_.size());
      check_usable();
      if (!PQsendPrepare(conn_, name.c_str(), std::string(sql).c_str(), n, types.data()))
        throw to_error(conn_, nullptr);
      const auto prepared = wait_for_result();
      if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK)
        throw to_error(conn_, prepared.get());
      it = statements_.emplace(std::move(key), name).first;
    }
    check_usable();
    if (!PQsendQueryPrepared(conn_, it->second.c_str(), n, values.data(), nullptr, nullptr, 0))
      throw to_error(conn_, nullptr);
    auto res = wait_for_result();
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw to_error(conn_, res.get());
    return res;
  }

  void check_usable() const {
    if (broken_) throw Error(Error::Kind::kUnavailable, "PostgreSQL connection was abandoned");
  }

  /// Collects the results of what was just sent, waiting at most kStatementDeadline (unless
  /// lifted) for the server. A server that does not answer in time leaves the connection
  /// abandoned: it is closed when returned to the pool. Of several results the first error
  /// wins, else the last result is returned.
  Result wait_for_result() {
    const auto deadline =
        std::min(std::chrono::steady_clock::now() + kStatementDeadline, answer_by_);
    answer_by_ = std::chrono::steady_clock::time_point::max();
    Result kept;
    bool kept_failed = false;
    for (;;) {
      while (PQisBusy(conn_)) {
        int wait_ms = -1;
        if (limited_) {
          const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
              deadline - std::chrono::steady_clock::now());
          if (left.count() <= 0) {
            broken_ = true;
            throw Error(Error::Kind::kUnavailable, "PostgreSQL did not answer within 4.8 s");
          }
          wait_ms = static_cast<int>(left.count());
        }
        pollfd p{PQsocket(conn_), POLLIN, 0};
        const int rc = ::poll(&p, 1, wait_ms);
        if (rc < 0 && errno == EINTR) continue;
        if (rc < 0 || (rc > 0 && !PQconsumeInput(conn_))) {
          broken_ = true;
          throw to_error(conn_, nullptr);
        }
      }
      Result next(PQgetResult(conn_));
      if (!next) return kept;
      const auto status = PQresultStatus(next.get());
      const bool failed = status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE;
      if (!kept_failed) {
        kept = std::move(next);
        kept_failed = failed;
      }
    }
  }

  PGconn* conn_ = nullptr;
  bool broken_ = false;
  bool limited_ = true;
  bool used_ = false;
  std::chrono::steady_clock::time_point answer_by_ = std::chrono::steady_clock::time_point::max();
  std::unordered_map<std::string, std::string> statements_;  // signature|sql → name
};

PostgresDatabase::PostgresDatabase(std::string url, std::size_t pool_size)
    : url_(std::move(url)), max_size_(std::max<std::size_t>(1, pool_size)) {
  // Fail at start, with libpq's message, when the server cannot be reached at all.
  idle_.push_back(std::make_unique<PgConnection>(url_));
  open_ = 1;
}

PostgresDatabase::~PostgresDatabase() = default;

std::unique_ptr<PgConnection> PostgresDatabase::acquire() {
  std::unique_lock lock(mutex_);
  if (!available_.wait_for(lock, kAcquireTimeout,
                           [&] { return !idle_.empty() || open_ < max_size_; }))
    throw Error(Error::Kind::kBusy, "no PostgreSQL connection became free within 5 s");
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return c;
  }
  ++open_;
  lock.unlock();
  try {
    return std::make_unique<PgConnection>(url_);
  } catch (...) {
    lock.lock();
    --open_;
    lock.unlock();
    available_.notify_one();
    throw;
  }
}

void PostgresDatabase::release(std::unique_ptr<PgConnection> c, bool healthy) {
  std::vector<std::unique_ptr<PgConnection>> dropped;
  {
    std::lock_guard lock(mutex_);
    if (healthy && c->ok()) {
      idle_.push_back(std::move(c));
    } else {
      --open_;
      // One broken connection usually means the server went away: the idle ones are
      // likely dead too, so they are replaced rather than each failing a request.
      open_ -= idle_.size();
      dropped = std::move(idle_);
      idle_.clear();
    }
  }
  available_.notify_all();
  // `c` and `dropped` close their sockets here, outside the lock.
}

void PostgresDatabase::transaction(TxMode, const std::function<void(Connection&)>& fn) {
  // Waiting for a connection, opening one and beginning together stay within one
  // statement deadline, so a request never waits long on a server that has gone away.
  const auto start = std::chrono::steady_clock::now();
  for (int attempt = 0;; ++attempt) {
    auto conn = acquire();
    try {
      conn->answer_by(start + kStatementDeadline);
      conn->execute_script("BEGIN");
    } catch (const Error&) {
      // A pooled connection may have been closed by the server (a restart) since its last
      // use; that fails at once and nothing has run yet, so try once more on a new one.
      const bool retry = conn->used() && attempt == 0 &&
                         std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500);
      release(std::move(conn), false);
      if (retry) continue;
      throw;
    }
    conn->mark_used();
    try {
      fn(*conn);
      conn->execute_script("COMMIT");
    } catch (...) {
      conn->restore_time_limits();
      bool healthy = conn->ok();
      if (healthy) {
        try {
          conn->execute_script("ROLLBACK");
        } catch (...) {
          healthy = false;
        }
      }
      release(std::move(conn), healthy);
      throw;
    }
    conn->restore_time_limits();
    release(std::move(conn), true);
    return;
  }
}

}  // namespace janji::db
