#include "infra/db/db.hpp"

#include "infra/db/postgres.hpp"
#include "infra/db/sqlite.hpp"
#include "infra/db/sqlite_backup.hpp"

#include <charconv>
#include <type_traits>

namespace janji::db {

std::int64_t Row::int64(std::size_t i) const {
  const auto& c = cells_.at(i);
  if (const auto* v = std::get_if<std::int64_t>(&c)) return *v;
  if (const auto* d = std::get_if<double>(&c)) return static_cast<std::int64_t>(*d);
  if (const auto* s = std::get_if<std::string>(&c)) {
    std::int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

std::optional<std::int64_t> Row::opt_int64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}

double Row::real(std::size_t i) const {
  const auto& c = cells_.at(i);
  if (const auto* d = std::get_if<double>(&c)) return *d;
  if (const auto* v = std::get_if<std::int64_t>(&c)) return static_cast<double>(*v);
  if (const auto* s = std::get_if<std::string>(&c)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

std::string Row::text(std::size_t i) const {
  const auto& c = cells_.at(i);
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* v = std::get_if<std::int64_t>(&c)) return std::to_string(*v);
  if (const auto* d = std::get_if<double>(&c)) return std::to_string(*d);
  return {};
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

Money Row::money(std::size_t i) const {
  const auto& c = cells_.at(i);
  // SQLite keeps minor units as integers; PostgreSQL returns NUMERIC as decimal text.
  if (const auto* v = std::get_if<std::int64_t>(&c)) return *v;
  if (const auto* s = std::get_if<std::string>(&c)) {
    Money m = 0;
    if (parse_money(*s, m) == MoneyParse::kOk) return m;
  }
  return 0;
}

Timestamp Row::time(std::size_t i) const {
  const auto& c = cells_.at(i);
  // Both drivers return microseconds since the epoch; a time stored as text is parsed.
  if (const auto* v = std::get_if<std::int64_t>(&c))
    return Timestamp{std::chrono::microseconds{*v}};
  if (const auto* s = std::get_if<std::string>(&c)) {
    if (auto t = parse_datetime(*s)) return *t;
  }
  return Timestamp{};
}

std::optional<Timestamp> Row::opt_time(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return time(i);
}

namespace {

// A statement and its parameters as one text: equal only when both are (each parameter
// tagged with its kind, so 1 and "1" differ).
std::string read_key(std::string_view sql, std::span<const Param> params) {
  std::string key(sql);
  for (const auto& p : params) {
    key += '\x1f';
    key += static_cast<char>('a' + p.index());
    std::visit(
        [&key](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>)
            key += v;
          else if constexpr (std::is_same_v<T, MoneyValue>)
            key += std::to_string(v.minor);
          else if constexpr (std::is_same_v<T, TimeValue>)
            key += std::to_string(v.at.time_since_epoch().count());
          else if constexpr (std::is_same_v<T, Null>)
            key += '-';
          else
            key += std::to_string(v);
        },
        p);
  }
  return key;
}

}  // namespace

SoonRows Connection::query_soon_shared(std::string_view sql, std::span<const Param> params) {
  if (!sharing_) return query_soon(sql, params);
  auto key = read_key(sql, params);
  if (auto it = shared_.find(key); it != shared_.end()) return it->second;
  auto rows = query_soon(sql, params);
  shared_.emplace(std::move(key), rows);
  return rows;
}

std::string time_distance(Dialect dialect, std::string_view a, std::string_view b) {
  const auto difference = std::string(a) + " - " + std::string(b);
  // SQLite keeps times as integer microseconds; PostgreSQL subtracts to an interval, whose
  // seconds date_part gives as a double (EXTRACT's numeric made sorting 10,000 bookings
  // take 100 ms).
  return dialect == Dialect::kSqlite ? "ABS(" + difference + ")"
                                     : "ABS(date_part('epoch', " + difference + "))";
}

std::string_view skip_locked(Dialect dialect) {
  return dialect == Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
}

std::string_view shared_data_version(Dialect dialect) {
  return dialect == Dialect::kPostgres ? "'pg ' || pg_current_snapshot()::text" : "NULL";
}

void Database::read_if(const std::function<bool(const std::string&)>& wanted,
                       const std::function<void(Connection&)>& fn) {
  transaction(TxMode::kRead, [&](Connection& c) {
    if (wanted(c.data_version())) fn(c);
  });
}

bool Database::ping() {
  try {
    transaction(TxMode::kRead, [](Connection& c) { c.query("SELECT 1"); });
    return true;
  } catch (const Error&) {
    return false;
  }
}

std::unique_ptr<Database> open_database(const std::string& url, std::size_t pool_size) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.rfind(kSqlite, 0) == 0) {
    // sqlite:///./data/janji.db → ./data/janji.db; sqlite:////abs/janji.db → /abs/janji.db
    if (auto file = sqlite_file(url)) return std::make_unique<SqliteDatabase>(*file, pool_size);
    if (url == "sqlite://:memory:" || url == "sqlite:///:memory:")
      return std::make_unique<SqliteDatabase>(":memory:", pool_size);
    throw std::runtime_error("DATABASE_URL names no SQLite file: " + url);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return std::make_unique<PostgresDatabase>(url, pool_size);
  throw std::runtime_error("unsupported DATABASE_URL scheme: " + url);
}

}  // namespace janji::db
