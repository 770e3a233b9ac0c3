#include "infra/db/postgres.hpp"

#include "core/money.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <utility>

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

std::string pg_text_array(std::span<const std::string> items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char ch : item) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + '}';
}

std::optional<std::string> insert_of_rows(std::string_view sql, std::size_t params,
                                          std::size_t rows) {
  constexpr std::string_view kValues = " VALUES (";
  const auto at = sql.rfind(kValues);
  if (!sql.starts_with("INSERT INTO ") || at == std::string_view::npos || rows == 0 ||
      sql.back() != ')')
    return std::nullopt;
  const auto tuple = sql.substr(at + kValues.size() - 1);  // "( … )", to the end
  int depth = 0;
  for (std::size_t i = 0; i < tuple.size(); ++i) {
    if (tuple[i] == '\'' || tuple[i] == '"') return std::nullopt;  // no literals to misread
    depth += tuple[i] == '(' ? 1 : tuple[i] == ')' ? -1 : 0;
    if (depth == 0 && i + 1 != tuple.size()) return std::nullopt;  // something after the row
  }
  std::string out(sql.substr(0, at + kValues.size() - 1));
  for (std::size_t r = 0; r < rows; ++r) {
    if (r) out += ", ";
    for (std::size_t i = 0; i < tuple.size(); ++i) {
      if (tuple[i] != '$') {
        out += tuple[i];
        continue;
      }
      std::size_t n = 0, j = i + 1;
      for (; j < tuple.size() && tuple[j] >= '0' && tuple[j] <= '9'; ++j)
        n = n * 10 + static_cast<std::size_t>(tuple[j] - '0');
      if (j == i + 1 || n == 0 || n > params) return std::nullopt;
      out += '$';
      out += std::to_string(n + r * params);
      i = j - 1;
    }
  }
  return out;
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
  // The lock is taken on the way to the next statement, in its round trip; once per
  // transaction (a lock held is held again at once, but that is a statement all the same).
  void serialize_on(std::string_view key) override {
    if (std::find(held_.begin(), held_.end(), key) != held_.end()) return;
    const Param lock_key[] = {std::string(key)};
    keep(bind("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", lock_key));
    held_.emplace_back(key);
  }
  void serialize_on(std::span<const std::string> keys) override {
    std::vector<std::string> fresh;
    for (const auto& k : keys)
      if (std::find(held_.begin(), held_.end(), k) == held_.end() &&
          std::find(fresh.begin(), fresh.end(), k) == fresh.end())
        fresh.push_back(k);
    if (fresh.size() < 2) {
      for (const auto& k : fresh) serialize_on(k);
      return;
    }
    // A function scan yields the array's elements in order, so the locks are taken in it.
    const Param lock_keys[] = {pg_text_array(fresh)};
    keep(bind("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k",
              lock_keys));
    held_.insert(held_.end(), fresh.begin(), fresh.end());
  }
  void move_id_sequence_past_rows(std::string_view table) override {
    const auto t = std::string(table);
    query("SELECT setval(pg_get_serial_sequence('" + t +
              "', 'id'), GREATEST((SELECT MAX(id) FROM " + t + "), 1))",
          {});
  }

  // Transaction control. What needs no answer (setting a savepoint, letting go of the one
  // before, taking a lock) waits to go with the next statement that does, in one round
  // trip (write_queue.hpp's group commit sets a savepoint for every write).
  void begin() {
    held_.clear();
    execute_script("BEGIN");
  }
  void commit() {
    release_pending_ = false;
    held_.clear();
    if (!kept()) return execute_script("COMMIT");
    keep(control("COMMIT"));
    flush_later();
  }
  void rollback() {
    release_pending_ = false;
    held_.clear();
    gathered_.clear();
    later_.clear();
    execute_script("ROLLBACK");
  }
  void savepoint() {
    if (std::exchange(release_pending_, false)) keep(control("RELEASE batched"));
    keep(control("SAVEPOINT batched"));
    held_before_savepoint_ = held_.size();
  }
  // COMMIT or the next savepoint lets go of it. What the write asked for soon is sent first,
  // so an error in it fails this write and not the next one.
  void release_savepoint() {
    if (!gathered_.empty() ||
        std::any_of(later_.begin(), later_.end(), [](const Bound& b) { return b.prepared(); }))
      flush_later();
    release_pending_ = true;
  }
  void rollback_to_savepoint() {
    release_pending_ = false;
    gathered_.clear();  // rows of the writes being undone
    try {
      flush_later();  // the savepoint itself may still be waiting to be set
    } catch (const Error&) {
      // What failed is undone with the rest.
    }
    execute_script("ROLLBACK TO batched; RELEASE batched");
    held_.resize(std::min(held_.size(), held_before_savepoint_));  // its locks went with it
  }
  bool in_transaction() const {
    const auto status = PQtransactionStatus(conn_);
    return !broken_ && (status == PQTRANS_INTRANS || status == PQTRANS_INERROR);
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
    return rows_of(res.get());
  }

  SoonRows query_soon(std::string_view sql, std::span<const Param> params) override {
    auto b = bind(sql, params);
    b.answer = std::make_shared<std::optional<Rows>>();
    SoonRows rows(*this, b.answer);
    wait_with(std::move(b));
    return rows;
  }
  void execute_soon(std::string_view sql, std::span<const Param> params) override {
    if (gathering_ && gather(sql, params)) return;
    wait_with(bind(sql, params));
  }
  void gather_inserts(bool on) override { gathering_ = on; }
  Soon<std::optional<std::int64_t>> insert_id_soon(std::string_view sql,
                                                   std::span<const Param> params) override {
    std::string returning;
    returning.reserve(sql.size() + 13);
    returning.append(sql).append(" RETURNING id");
    return {query_soon(returning, params), [](const Rows& rows) -> std::optional<std::int64_t> {
              if (rows.empty()) return std::nullopt;
              return rows.front().int64(0);
            }};
  }
  void send_soon() override { flush_later(); }
  std::uint64_t asked() const override { return asked_; }

  // The transaction snapshot: which transactions it sees as committed. Any write takes a
  // transaction id, and so changes the next snapshot of every connection.
  std::string data_version() override {
    static const std::string sql = "SELECT " + std::string(shared_data_version(Dialect::kPostgres));
    return query_one(sql)->text(0);
  }

  // Row by row (libpq's single-row mode) and without the statement time limit: a long list
  // goes out as fast as its client reads it, however slow, holding one row at a time.
  void each_row(std::string_view sql, std::span<const Param> params,
                const std::function<void(const Row&)>& fn) override {
    if (limited_) keep(control("SET LOCAL statement_timeout = 0"));
    flush_later();
    const auto b = bind(sql, params);
    send(b);
    PQsetSingleRowMode(conn_);  // when refused, the rows come in one result instead
    Result failed;
    for (;;) {
      auto res = next_result(std::chrono::steady_clock::now() + kStatementDeadline);
      if (!res) break;
      const auto status = PQresultStatus(res.get());
      if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK) {
        if (!failed) failed = std::move(res);
        continue;
      }
      try {
        for (auto& row : rows_of(res.get())) fn(row);
      } catch (...) {
        abandon_statement();
        throw;
      }
    }
    if (failed) throw to_error(conn_, failed.get());
    if (limited_) keep(control("SET LOCAL statement_timeout = DEFAULT"));
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
    return insert_id_soon(sql, params).get();
  }

  void execute_script(std::string_view sql) override {
    flush_later();
    check_usable();
    if (!PQsendQuery(conn_, std::string(sql).c_str())) throw to_error(conn_, nullptr);
    check(conn_, wait_for_result());
  }

 private:
  // A statement ready to send: prepared on this connection (once), with its parameters as
  // text, or for transaction control sent as it is.
  struct Bound {
    std::string name;  // of the prepared statement; empty: `sql` unprepared
    std::string sql;
    std::vector<std::string> texts;
    std::vector<bool> null;
    std::shared_ptr<std::optional<Rows>> answer;  // rows asked for soon, kept here

    /// A statement of the write's own, rather than transaction control.
    bool prepared() const { return !name.empty(); }
  };

  // A pipeline is sent whole before its answers are read; libpq reads what the server
  // answers meanwhile whenever the socket will take no more, so the bound is only on the
  // memory the statements and their answers take. A batch of writes asking together asks
  // about ten statements each.
  static constexpr std::size_t kMaxLater = 1024;

  // Single-row INSERTs held while gathering (gather_inserts), by statement, in the order
  // each statement was first asked for.
  struct Gathered {
    std::string sql;
    std::size_t width;  // parameters a row takes
    std::vector<Param> params;
  };
  // Rows of one multi-row INSERT at most: a power of two, so a few statements serve any count.
  static constexpr std::size_t kMaxGatheredRows = 64;

  bool gather(std::string_view sql, std::span<const Param> params) {
    auto it = std::find_if(gathered_.begin(), gathered_.end(),
                           [&](const Gathered& g) { return g.sql == sql; });
    if (it == gathered_.end()) {
      if (!insert_of_rows(sql, params.size(), 1)) return false;
      it = gathered_.insert(gathered_.end(), Gathered{std::string(sql), params.size(), {}});
    } else if (it->width != params.size()) {
      return false;
    }
    ++asked_;
    it->params.insert(it->params.end(), params.begin(), params.end());
    return true;
  }

  /// Moves the gathered rows into the next round trip, each statement's as few multi-row
  /// INSERTs as its powers of two take.
  void send_gathered_later() {
    if (gathered_.empty()) return;
    const auto groups = std::exchange(gathered_, {});
    for (const auto& g : groups) {
      const std::size_t rows = g.params.size() / g.width;
      for (std::size_t at = 0; at < rows;) {
        std::size_t n = 1;
        while (n * 2 <= rows - at && n * 2 <= kMaxGatheredRows) n *= 2;
        const std::span<const Param> params(g.params.data() + at * g.width, n * g.width);
        later_.push_back(bind(*insert_of_rows(g.sql, g.width, n), params));
        at += n;
      }
    }
  }

  /// Keeps a statement for the next round trip, after the rows gathered before it.
  void keep(Bound b) {
    send_gathered_later();
    later_.push_back(std::move(b));
  }
  /// Whether anything waits for the next round trip.
  bool kept() const { return !later_.empty() || !gathered_.empty(); }

  void wait_with(Bound b) {
    keep(std::move(b));
    if (later_.size() >= kMaxLater) flush_later();
  }

  /// Transaction control, sent as it is.
  static Bound control(const char* sql) { return {{}, sql, {}, {}, {}}; }

  Bound bind(std::string_view sql, std::span<const Param> params) {
    ++asked_;
    Bound b;
    const int n = static_cast<int>(params.size());
    b.texts.resize(params.size());
    b.null.assign(params.size(), false);
    std::vector<Oid> types(params.size(), 0);
    // Parameters go as text. Integers, reals, money and times carry their type; strings and
    // booleans ("1"/"0") are left for the server to infer from the statement, so one text
    // serves uuid, date and text columns alike, and a boolean serves both `flag` and `$n = 1`.
    std::string key;
    key.reserve(params.size() + 1 + sql.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      auto& text = b.texts[i];
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, Null>) {
              b.null[i] = true;
              key += 'n';
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              text = std::to_string(v);
              types[i] = kInt8Oid;
              key += 'i';
            } else if constexpr (std::is_same_v<T, double>) {
              char buf[32];
              const auto r = std::to_chars(buf, buf + sizeof buf, v);
              text.assign(buf, r.ptr);
              types[i] = kFloat8Oid;
              key += 'd';
            } else if constexpr (std::is_same_v<T, bool>) {
              text = v ? "1" : "0";
              key += 'b';
            } else if constexpr (std::is_same_v<T, std::string>) {
              text = v;
              key += 's';
            } else if constexpr (std::is_same_v<T, MoneyValue>) {
              text = format_money(v.minor);
              types[i] = kNumericOid;
              key += 'm';
            } else if constexpr (std::is_same_v<T, TimeValue>) {
              text = format_pg_timestamp(v.at);
              types[i] = kTimestamptzOid;
              key += 't';
            }
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
    b.name = it->second;
    return b;
  }

  void send(const Bound& b) {
    check_usable();
    int sent;
    if (b.name.empty()) {
      sent = PQsendQueryParams(conn_, b.sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    } else {
      std::vector<const char*> values(b.texts.size());
      for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = b.null[i] ? nullptr : b.texts[i].c_str();
      sent = PQsendQueryPrepared(conn_, b.name.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0);
    }
    if (!sent) {
      if (PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) broken_ = true;  // half sent
      throw to_error(conn_, nullptr);
    }
  }

  static Rows rows_of(const PGresult* res) {
    const int n = PQntuples(res);
    const int columns = PQnfields(res);
    std::vector<Oid> types(columns);
    for (int j = 0; j < columns; ++j) types[j] = PQftype(res, j);
    Rows rows;
    rows.reserve(n);
    for (int i = 0; i < n; ++i) {
      std::vector<Cell> cells;
      cells.reserve(columns);
      for (int j = 0; j < columns; ++j) {
        if (PQgetisnull(res, i, j))
          cells.emplace_back(Null{});
        else
          cells.push_back(to_cell(types[j], PQgetvalue(res, i, j), PQgetlength(res, i, j)));
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  /// Stops a statement whose rows are no longer wanted: the server is asked to cancel it and
  /// what it still sends is read and dropped, so the connection can serve the next one.
  void abandon_statement() {
    if (PGcancel* cancel = PQgetCancel(conn_)) {
      char error[256];
      PQcancel(cancel, error, sizeof error);
      PQfreeCancel(cancel);
    }
    try {
      while (next_result(std::chrono::steady_clock::now() + kStatementDeadline)) {
      }
    } catch (const Error&) {
      broken_ = true;
    }
  }

  /// Whether a statement's result is a success (a command done, or its rows).
  static bool succeeded(const Result& res) {
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }
  static void check(PGconn* conn, const Result& res) {
    if (!succeeded(res)) throw to_error(conn, res.get());
  }

  Result run(std::string_view sql, std::span<const Param> params) {
    auto b = bind(sql, params);
    if (!kept()) {
      send(b);
      auto res = wait_for_result();
      check(conn_, res);
      return res;
    }
    keep(std::move(b));
    return flush_later();
  }

  /// Sends what waited for the next round trip (and, last, the statement that ends it) as
  /// one pipeline, and returns the last one's result, or throws the first error.
  Result flush_later() {
    send_gathered_later();
    if (later_.empty()) return nullptr;
    const auto statements = std::move(later_);
    later_.clear();
    check_usable();
    if (!PQenterPipelineMode(conn_)) throw to_error(conn_, nullptr);
    for (const auto& b : statements) send(b);
    if (!PQpipelineSync(conn_)) {
      broken_ = true;
      throw to_error(conn_, nullptr);
    }
    Result last, failed;
    for (std::size_t i = 0; i < statements.size(); ++i) {
      auto res = wait_for_result();  // up to the null that ends each statement's results
      if (res && PQresultStatus(res.get()) == PGRES_PIPELINE_ABORTED) continue;
      if (!succeeded(res)) {
        if (!failed) failed = std::move(res);
      } else {
        if (statements[i].answer) *statements[i].answer = rows_of(res.get());
        last = std::move(res);
      }
    }
    const auto sync = next_result(std::chrono::steady_clock::now() + kStatementDeadline);
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC || !PQexitPipelineMode(conn_)) {
      broken_ = true;
      throw Error(Error::Kind::kUnavailable, "PostgreSQL pipeline ended unexpectedly");
    }
    if (failed) throw to_error(conn_, failed.get());
    return last;
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
      Result next = next_result(deadline);
      if (!next) return kept;
      const auto status = PQresultStatus(next.get());
      const bool failed = status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE;
      if (!kept_failed) {
        kept = std::move(next);
        kept_failed = failed;
      }
    }
  }

  /// The next result, waited for until `deadline` (unless lifted).
  Result next_result(std::chrono::steady_clock::time_point deadline) {
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
    return Result(PQgetResult(conn_));
  }

  PGconn* conn_ = nullptr;
  bool broken_ = false;
  bool limited_ = true;
  bool used_ = false;
  bool release_pending_ = false;
  std::uint64_t asked_ = 0;
  std::vector<std::string> held_;  // the turns this transaction took (serialize_on)
  std::size_t held_before_savepoint_ = 0;
  bool gathering_ = false;
  std::vector<Gathered> gathered_;
  std::vector<Bound> later_;  // sent with the next round trip
  std::chrono::steady_clock::time_point answer_by_ = std::chrono::steady_clock::time_point::max();
  std::unordered_map<std::string, std::string> statements_;  // signature|sql → name
};

namespace {

/// A connection from `get` that answered `first(conn)` (BEGIN, or a read of one statement).
/// One that was used before may have been closed by the server since (a restart): that fails
/// at once and nothing has run yet, so the next is tried, until one that was never used (all
/// the pool kept from before a restart fail in turn, each at once). Waiting for a
/// connection, opening one and its first answer stay within one statement deadline, so
/// nothing waits long on a server that has gone away. What fails on a sound connection fails.
/// `drop(conn, sound)` takes the connections that failed.
template <class Get, class Drop, class First>
std::unique_ptr<PgConnection> answering(Get get, Drop drop, First first) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    auto conn = get();
    try {
      conn->answer_by(start + kStatementDeadline);
      first(*conn);
      conn->mark_used();
      return conn;
    } catch (...) {
      conn->restore_time_limits();
      const bool sound = conn->ok() && !conn->in_transaction();
      const bool retry = !sound && conn->used() &&
                         std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500);
      drop(std::move(conn), sound);
      if (!retry) throw;
    }
  }
}

/// A transaction begun on a connection from `get` (answering).
template <class Get, class Drop>
std::unique_ptr<PgConnection> begun(Get get, Drop drop) {
  return answering(std::move(get), std::move(drop), [](PgConnection& c) { c.begin(); });
}

}  // namespace

/// What the group commit (run_in_one_transaction) drives: the writer's own connection,
/// opened on first use and again after it broke.
class PostgresDatabase::Writer {
 public:
  explicit Writer(PostgresDatabase& db) : db_(db) {}
  Connection& connection() { return *db_.writer_; }
  void begin() {
    db_.writer_ = begun(
        [this] {
          auto& c = db_.writer_;
          return c && c->ok() ? std::move(c) : std::make_unique<PgConnection>(db_.url_);
        },
        [](std::unique_ptr<PgConnection>, bool) {});
    db_.writer_->serialize_on(kWriteTurn);  // before any other lock (db.hpp)
  }
  void commit() { db_.writer_->commit(); }
  void rollback() { db_.writer_->rollback(); }
  void savepoint() { db_.writer_->savepoint(); }
  void release_savepoint() { db_.writer_->release_savepoint(); }
  void rollback_to_savepoint() { db_.writer_->rollback_to_savepoint(); }
  bool in_transaction() const { return db_.writer_ && db_.writer_->in_transaction(); }

 private:
  PostgresDatabase& db_;
};

PostgresDatabase::PostgresDatabase(std::string url, std::size_t pool_size)
    : url_(std::move(url)), max_size_(std::max<std::size_t>(1, pool_size)) {
  // Fail at start, with libpq's message, when the server cannot be reached at all.
  idle_.push_back(std::make_unique<PgConnection>(url_));
  open_ = 1;
  writes_ = std::make_unique<WriteQueue>("janji-writer", kMaxBatch,
                                         [this](const WriteQueue::Batch& b) { run_batch(b); });
}

PostgresDatabase::~PostgresDatabase() {
  writes_.reset();
}  // after the writes still queued

std::unique_ptr<PgConnection> PostgresDatabase::acquire() {
  std::unique_lock lock(mutex_);
  if (idle_.empty() && open_ >= max_size_)
    stats_.pool_waits.fetch_add(1, std::memory_order_relaxed);
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

// Its one statement is the connection's first since it rested in the pool, as BEGIN is for
// a transaction: `answering` tries the next connection when the server had closed it.
void PostgresDatabase::read_alone(const std::function<void(Connection&)>& fn) {
  const DatabaseStats::Open open(stats_);
  auto conn = answering(
      [this] { return acquire(); },
      [this](std::unique_ptr<PgConnection> c, bool sound) { release(std::move(c), sound); },
      [&fn](PgConnection& c) { fn(c); });
  conn->restore_time_limits();
  release(std::move(conn), true);
}

void PostgresDatabase::transaction(TxMode, const std::function<void(Connection&)>& fn) {
  auto conn =
      begun([this] { return acquire(); },
            [this](std::unique_ptr<PgConnection> c, bool sound) { release(std::move(c), sound); });
  const DatabaseStats::Open open(stats_);
  try {
    fn(*conn);
    conn->commit();
  } catch (...) {
    conn->restore_time_limits();
    bool healthy = conn->ok();
    if (healthy) {
      try {
        conn->rollback();
      } catch (...) {
        healthy = false;
      }
    }
    release(std::move(conn), healthy);
    throw;
  }
  conn->restore_time_limits();
  release(std::move(conn), true);
}

void PostgresDatabase::queue_write(Write write, std::function<void(std::exception_ptr)> done) {
  writes_->push(std::move(write), std::move(done));
}

void PostgresDatabase::run_batch(const WriteQueue::Batch& batch) {
  Writer writer(*this);
  stats_.batch(batch.size());
  const DatabaseStats::Open open(stats_);
  run_in_one_transaction(writer, batch, /*ask_together=*/true);
  if (writer_) writer_->restore_time_limits();
}

}  // namespace janji::db
