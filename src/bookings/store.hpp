#pragma once

#include "audit/dto.hpp"
#include "bookings/dto.hpp"
#include "calendar/dto.hpp"
#include "infra/db/runner.hpp"
#include "notify/outbox.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <vector>

namespace janji::bookings {

struct IdempotencyKey {
  std::string key;
  std::string fingerprint;  // what the request asked for; a reuse must ask the same
};

struct Created {
  Booking booking;
  bool replayed = false;  // an earlier request with the same key made it
};

using EachBooking = std::function<void(const Booking& booking)>;
/// Told the version of the data a list is read from (db::Connection::data_version) before
/// any row, on the database's thread (or the caller's, when the version was already seen);
/// returning false reads no rows. It never blocks.
using AtVersion = std::function<bool(const std::string& version)>;

/// Service bookings. Writes that depend on a booking's current state take a pure function
/// and run it inside the write transaction.
class BookingStore {
 public:
  /// With an outbox, every event also queues the messages and webhooks it causes. With a
  /// calendar, a booking (or a cancelled one brought back) must fit its date's capacity.
  explicit BookingStore(db::Runner& db, const notify::Outbox* outbox = nullptr,
                        const calendar::Settings* calendar = nullptr)
      : db_(db), outbox_(outbox), calendar_(calendar) {}

  /// Inserts `b` (its id and user ignored) for the user `b.user_id` at its service type's
  /// current price, after `priced` has filled in what depends on the price; 401 when there
  /// is no such user, 404 when there is no such type, 409 when its date is fully booked. With a
  /// key, a retry returns the first booking and a reuse with a different request is a 422.
  boost::asio::awaitable<Created> create(Booking b, std::optional<IdempotencyKey> key,
                                         const std::function<void(Booking&)>& priced);
  boost::asio::awaitable<std::optional<Booking>> find(std::int64_t id);
  /// Calls `each` with every booking the filter selects, in its order, as they are read, on
  /// the database's thread (so a long list is turned into its answer there, not on an IO
  /// thread, and never held whole). With `at`, it is asked first whether to read them, at
  /// `seen` when given (the version the caller was admitted at, http::Request::data_version;
  /// db::Runner::read_if).
  boost::asio::awaitable<void> list(ListFilter filter, const EachBooking& each,
                                    const AtVersion& at = {},
                                    std::optional<std::string> seen = std::nullopt);
  /// Loads, lets `change` edit status and priority, saves, and appends the audit row of
  /// `action` by `by`; nullopt when there is no such id.
  boost::asio::awaitable<std::optional<Booking>> update(std::int64_t id,
                                                        std::function<void(Booking&)> change,
                                                        audit::Actor by, std::string action);
  /// Runs `rescore` on every booking that is neither completed nor cancelled, in one write
  /// transaction; saves and returns those for which it returned true.
  boost::asio::awaitable<std::vector<Booking>> rescore_open(std::function<bool(Booking&)> rescore);
  /// Queues the day-before reminder of each open booking whose reminder is due at `now`
  /// (REMINDER_HOUR business time the day before its event) and whose event is still ahead,
  /// once per booking and event day. Returns how many messages it queued.
  boost::asio::awaitable<std::size_t> queue_reminders(Timestamp now, int reminder_hour);

 private:
  db::Runner& db_;
  const notify::Outbox* outbox_;
  const calendar::Settings* calendar_;
};

/// Blocking versions for loaders (demo, import) that write in a transaction of their own.
/// A loaded booking carries a `source_ref` naming where it came from, so a re-load is a no-op.
bool is_loaded(db::Connection& c, const std::string& source_ref);
bool booking_exists(db::Connection& c, std::int64_t id);
/// Inserts `b` with a new id unless a booking with `source_ref` exists (then returns false).
bool insert_loaded_booking(db::Connection& c, const Booking& b, const std::string& source_ref);
/// Inserts `b` with its own id (an import keeps the ids it was given).
void insert_imported_booking(db::Connection& c, const Booking& b, const std::string& source_ref);
/// After inserts with ids of their own: new rows get ids past the largest.
void move_ids_past_imported(db::Connection& c);

}  // namespace janji::bookings
