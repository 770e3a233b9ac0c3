#pragma once

#include "core/money.hpp"
#include "core/time.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace janji::db {

/// The SQL dialect is the one seam between stores and drivers: statements use `$1`, `$2`…
/// placeholders in both, and stores pick a per-dialect text only where the dialects differ.
enum class Dialect { kSqlite, kPostgres };

struct Null {};
struct MoneyValue {
  Money minor;
};
struct TimeValue {
  Timestamp at;
};
/// A bound parameter. Money and Timestamp are typed so each driver stores them natively
/// (SQLite: integer minor units and integer microseconds; PostgreSQL: NUMERIC, timestamptz).
using Param = std::variant<Null, std::int64_t, double, std::string, bool, MoneyValue, TimeValue>;

inline Param money(Money m) {
  return MoneyValue{m};
}
inline Param time(Timestamp t) {
  return TimeValue{t};
}
inline Param text_or_null(const std::optional<std::string>& s) {
  return s ? Param{*s} : Param{Null{}};
}

/// A cell as the driver returned it.
using Cell = std::variant<Null, std::int64_t, double, std::string>;

class Row {
 public:
  explicit Row(std::vector<Cell> cells) : cells_(std::move(cells)) {}
  bool is_null(std::size_t i) const { return std::holds_alternative<Null>(cells_.at(i)); }
  std::int64_t int64(std::size_t i) const;
  std::optional<std::int64_t> opt_int64(std::size_t i) const;
  double real(std::size_t i) const;
  std::string text(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;
  Money money(std::size_t i) const;
  Timestamp time(std::size_t i) const;
  std::optional<Timestamp> opt_time(std::size_t i) const;
  bool boolean(std::size_t i) const { return int64(i) != 0; }

 private:
  std::vector<Cell> cells_;
};

using Rows = std::vector<Row>;

/// Driver failures, translated by stores into ApiErrors.
class Error : public std::runtime_error {
 public:
  enum class Kind {
    kUniqueViolation,
    kForeignKeyViolation,
    kCheckViolation,
    kBusy,
    kUnavailable,
    kOther
  };
  Error(Kind kind, std::string message, std::string constraint = {})
      : std::runtime_error(std::move(message)), kind_(kind), constraint_(std::move(constraint)) {}
  Kind kind() const { return kind_; }
  /// Best-effort name of the violated constraint or column list.
  const std::string& constraint() const { return constraint_; }

 private:
  Kind kind_;
  std::string constraint_;
};

/// The turn (Connection::serialize_on) that the event log's appends take, held to the commit
/// (events/log.hpp). Nearly every write appends an event, so a queued write batch takes it
/// first, before any other lock: the batches of several instances then run one at a time,
/// and none can hold a date's or a customer's lock that another waits for while it waits
/// for theirs (a deadlock PostgreSQL only breaks after a second, by failing one).
inline constexpr std::string_view kWriteTurn = "janji:event-log";

class Connection;

/// Rows asked for with Connection::query_soon, read when they are wanted.
class SoonRows {
 public:
  SoonRows(Connection& c, std::shared_ptr<std::optional<Rows>> slot)
      : connection_(&c), slot_(std::move(slot)) {}
  /// The rows. The first call on PostgreSQL sends whatever waits and waits for the answers;
  /// the first error among them is thrown here.
  const Rows& get();

 private:
  Connection* connection_;
  std::shared_ptr<std::optional<Rows>> slot_;
};

/// A value read from rows asked for soon, or one known at once.
template <class T>
class Soon {
 public:
  explicit Soon(T value) : value_(std::move(value)) {}
  Soon(SoonRows rows, std::function<T(const Rows&)> read)
      : read_([rows, read = std::move(read)]() mutable { return read(rows.get()); }) {}
  T& get() {
    if (!value_) value_ = read_();
    return *value_;
  }

 private:
  std::function<T()> read_;
  std::optional<T> value_;
};

/// One connection, used by one thread at a time.
///
/// A request's transaction is mostly round trips, not work: statements whose answers are not
/// needed yet can be asked for soon (query_soon, execute_soon, insert_id_soon). SQLite, in the
/// process, answers them at once; PostgreSQL sends everything asked for soon in one pipeline
/// with the next statement that is waited for. A write asks first for everything it will read,
/// then reads it, so one round trip serves several statements.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Rows query(std::string_view sql, std::span<const Param> params = {}) = 0;
  /// Runs a query and hands `fn` its rows one at a time as they come, without keeping them
  /// (a long list streamed out). What `fn` throws ends the query and propagates.
  virtual void each_row(std::string_view sql, std::span<const Param> params,
                        const std::function<void(const Row&)>& fn) {
    for (const auto& row : query(sql, params)) fn(row);
  }
  /// Names the data this transaction reads: equal in two transactions only if nothing was
  /// committed between them, by anyone (another connection, process or instance). The first
  /// statement of a read transaction, so the rows read after it are of that version. Only
  /// comparable between transactions of the same connection on SQLite, whose count is per
  /// connection (the text says which connection).
  virtual std::string data_version() = 0;
  /// Runs a statement and returns the number of rows it changed.
  virtual std::int64_t execute(std::string_view sql, std::span<const Param> params = {}) = 0;
  /// Runs an INSERT of one row into a table keyed by an `id` it hands out, and gives that id;
  /// nothing when no row was inserted (ON CONFLICT DO NOTHING). `sql` has no RETURNING
  /// clause: SQLite reads the rowid instead, as RETURNING builds a temporary table on every
  /// call; PostgreSQL is asked for the id.
  virtual std::optional<std::int64_t> insert_id(std::string_view sql,
                                                std::span<const Param> params = {}) = 0;
  /// Runs several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
  /// For maintenance (migrations, imports): the rest of this transaction may take as long
  /// as it needs instead of failing fast like a request.
  virtual void lift_time_limits() {}
  /// Until this transaction ends, holds back other transactions that name the same `key`,
  /// so a check followed by an insert on that key cannot interleave with another. SQLite
  /// runs one writer at a time already; engines with concurrent writers take a lock.
  virtual void serialize_on(std::string_view key) { (void)key; }
  /// serialize_on each of `keys`, in their order (PostgreSQL: one statement for all).
  virtual void serialize_on(std::span<const std::string> keys) {
    for (const auto& k : keys) serialize_on(k);
  }
  /// After rows were inserted with ids of their own (an import), lets the ids `table`
  /// hands out next start past its largest. SQLite's AUTOINCREMENT does so by itself.
  virtual void move_id_sequence_past_rows(std::string_view table) { (void)table; }

  /// Asks for rows without waiting for them (see above); their error is thrown by whatever
  /// waits for the round trip that carries them.
  virtual SoonRows query_soon(std::string_view sql, std::span<const Param> params) {
    return SoonRows(*this, std::make_shared<std::optional<Rows>>(query(sql, params)));
  }
  /// A statement whose answer nobody needs. It goes with the next round trip; the end of the
  /// transaction, or of a queued write's savepoint, sends it at the latest, so an error fails
  /// the write it belongs to.
  virtual void execute_soon(std::string_view sql, std::span<const Param> params) {
    execute(sql, params);
  }
  /// insert_id, asked for soon.
  virtual Soon<std::optional<std::int64_t>> insert_id_soon(std::string_view sql,
                                                           std::span<const Param> params) {
    return Soon<std::optional<std::int64_t>>(insert_id(sql, params));
  }
  /// Sends what was asked for soon and waits for the answers.
  virtual void send_soon() {}
  /// How many statements were asked of it so far, soon or not (where that is counted).
  virtual std::uint64_t asked() const { return 0; }
  /// While on, query_soon_shared answers a read equal to one asked before (the same statement
  /// with the same parameters) with that one's rows instead of asking again. Only while
  /// nothing is written: the asks of a run of staged writes (write_queue.hpp), which write
  /// nothing in between. Turning it either way forgets what was shared.
  void share_reads(bool on) {
    sharing_ = on;
    shared_.clear();
  }
  /// query_soon, shared (share_reads) with an equal read asked earlier in the run. For reads
  /// that no lock taken between the two could change: a user, a service type, the webhook
  /// endpoints; a batch of one customer's bookings then reads the customer once.
  SoonRows query_soon_shared(std::string_view sql, std::span<const Param> params);
  /// While on, single-row INSERTs asked for soon (execute_soon) may be held back until the
  /// next other statement and sent before it as one multi-row INSERT per statement, in the
  /// order the statements were first asked for. Only for writes whose rows depend on no other
  /// write's and on no row of theirs inserted by a later statement: the staged writes asked
  /// together in a run (write_queue.hpp).
  virtual void gather_inserts(bool on) { (void)on; }

  std::optional<Row> query_one(std::string_view sql, std::span<const Param> params = {}) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }
  Rows query(std::string_view sql, std::initializer_list<Param> params) {
    return query(sql, std::span<const Param>(params.begin(), params.size()));
  }
  std::optional<Row> query_one(std::string_view sql, std::initializer_list<Param> params) {
    return query_one(sql, std::span<const Param>(params.begin(), params.size()));
  }
  std::int64_t execute(std::string_view sql, std::initializer_list<Param> params) {
    return execute(sql, std::span<const Param>(params.begin(), params.size()));
  }
  std::optional<std::int64_t> insert_id(std::string_view sql, std::initializer_list<Param> params) {
    return insert_id(sql, std::span<const Param>(params.begin(), params.size()));
  }
  SoonRows query_soon(std::string_view sql, std::initializer_list<Param> params) {
    return query_soon(sql, std::span<const Param>(params.begin(), params.size()));
  }
  void execute_soon(std::string_view sql, std::initializer_list<Param> params) {
    execute_soon(sql, std::span<const Param>(params.begin(), params.size()));
  }
  Soon<std::optional<std::int64_t>> insert_id_soon(std::string_view sql,
                                                   std::initializer_list<Param> params) {
    return insert_id_soon(sql, std::span<const Param>(params.begin(), params.size()));
  }
  SoonRows query_soon_shared(std::string_view sql, std::initializer_list<Param> params) {
    return query_soon_shared(sql, std::span<const Param>(params.begin(), params.size()));
  }

 private:
  bool sharing_ = false;
  std::unordered_map<std::string, SoonRows> shared_;  // by statement and parameters
};

inline const Rows& SoonRows::get() {
  if (!*slot_) connection_->send_soon();
  if (!*slot_) throw Error(Error::Kind::kOther, "a statement asked for soon was never answered");
  return **slot_;
}

/// An expression that grows with the distance between the times `a` and `b` (columns or
/// placeholders), for ordering by nearness; its unit is the dialect's, so only compare it.
std::string time_distance(Dialect dialect, std::string_view a, std::string_view b);

/// What ends a SELECT that claims rows for this transaction, skipping rows another
/// transaction holds (PostgreSQL's FOR UPDATE SKIP LOCKED; nothing for SQLite, whose
/// writers run one at a time).
std::string_view skip_locked(Dialect dialect);

/// A SELECT expression giving the data's version as Connection::data_version names it, where
/// every connection shares that version (PostgreSQL: read beside another statement's rows,
/// it saves a round trip); NULL on SQLite, whose version is per connection.
std::string_view shared_data_version(Dialect dialect);

enum class TxMode { kRead, kWrite };

/// A write for the database's writer (Database::queue_write). A plain one is only `finish`,
/// run once. A staged one also has `ask`, which asks for everything the write reads (soon)
/// and waits for nothing, so that the staged writes of a batch can ask together, in one
/// round trip, and then finish one after the other. Writes whose `keys` overlap (a date whose
/// count they check, an idempotency key) are never asked together: each finishes on answers
/// that no write before it in the batch changed. Either step may run again (when a write
/// asked with it failed in the database, its fellows are undone and run one by one), so both
/// change nothing outside the write's own state, and `finish` throws only before it writes.
struct Write {
  std::vector<std::string> keys;
  std::function<void(Connection&)> ask;
  std::function<void(Connection&)> finish;
  bool staged() const { return static_cast<bool>(ask); }
};

/// A pool of connections. Every call blocks: run it on a blocking pool, never an IO thread.
/// What /metrics reports of a database, counted with relaxed atomics: no lock on any path.
struct DatabaseStats {
  /// Upper bounds of the write batch size buckets (the last one is the largest batch).
  static constexpr std::array<std::uint64_t, 9> kBatchBounds = {1, 2, 4, 8, 16, 32, 64, 128, 256};

  std::atomic<std::uint64_t> pool_waits{0};  // transactions that waited for a free connection
  std::atomic<std::int64_t> in_flight{0};    // transactions open now
  std::atomic<std::uint64_t> writes{0};      // writes run by the writer, in batches
  std::array<std::atomic<std::uint64_t>, kBatchBounds.size()> batches{};  // by size bucket

  void batch(std::size_t size) {
    writes.fetch_add(size, std::memory_order_relaxed);
    std::size_t i = 0;
    while (i + 1 < kBatchBounds.size() && size > kBatchBounds[i]) ++i;
    batches[i].fetch_add(1, std::memory_order_relaxed);
  }
  /// Counts a transaction open while it lives.
  struct Open {
    explicit Open(DatabaseStats& s) : stats(s) {
      stats.in_flight.fetch_add(1, std::memory_order_relaxed);
    }
    ~Open() { stats.in_flight.fetch_sub(1, std::memory_order_relaxed); }
    Open(const Open&) = delete;
    Open& operator=(const Open&) = delete;
    DatabaseStats& stats;
  };
};

class Database {
 public:
  virtual ~Database() = default;
  DatabaseStats& stats() { return stats_; }
  virtual Dialect dialect() const = 0;
  /// Runs `fn` inside one transaction; commits when it returns, rolls back when it throws.
  virtual void transaction(TxMode mode, const std::function<void(Connection&)>& fn) = 0;
  /// Whether writes can be handed to the database's own writer (queue_write) instead of
  /// blocking a thread in transaction().
  virtual bool queues_writes() const { return false; }
  /// Runs `write` in a write transaction on the database's writer thread, then calls `done`
  /// there with what it threw (null once committed). Does not block; only when
  /// queues_writes().
  virtual void queue_write(Write write, std::function<void(std::exception_ptr)> done) {
    (void)write;
    done(std::make_exception_ptr(std::logic_error("this database has no write queue")));
  }
  /// A read that asks first which data it would read (Connection::data_version) and goes
  /// on only when `wanted(version)`; what `fn` then reads, in a read transaction, is of that
  /// version or newer. (On PostgreSQL the version usually comes with the caller's statement
  /// instead: db::Runner::read_if's `seen`.)
  virtual void read_if(const std::function<bool(const std::string&)>& wanted,
                       const std::function<void(Connection&)>& fn);
  /// A read of one statement and nothing else: on PostgreSQL it runs alone, a transaction of
  /// its own, without BEGIN and COMMIT (one round trip instead of three). `fn` may run
  /// again on another connection when the first had been closed by the server.
  virtual void read_alone(const std::function<void(Connection&)>& fn) {
    transaction(TxMode::kRead, fn);
  }
  /// Cheap liveness check for /health: one trivial read transaction.
  bool ping();

 protected:
  DatabaseStats stats_;
};

/// Opens the database named by a URL: `sqlite:///relative/path.db`, `sqlite:////abs/path.db`,
/// `sqlite://:memory:`, or `postgresql://user:pass@host:port/db` (libpq's URI form).
std::unique_ptr<Database> open_database(const std::string& url, std::size_t pool_size);

}  // namespace janji::db
