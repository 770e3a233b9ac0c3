#include "bookings/store.hpp"

#include "audit/store.hpp"
#include "auth/store.hpp"
#include "bookings/notices.hpp"
#include "calendar/store.hpp"
#include "events/log.hpp"
#include "infra/db/query.hpp"
#include "notify/schedule.hpp"

#include <boost/json/serialize.hpp>

#include <limits>

namespace janji::bookings {

namespace {

constexpr std::string_view kSelect =
    "SELECT b.id, b.user_id, b.service_type_id, b.price_locked, b.status, b.tanggal_booking, "
    "b.tanggal_acara, b.jumlah_client, b.priority_score, b.priority_segment, b.urgency_level, "
    "b.monetary_level, b.updated_priority_at, u.id, u.name, u.email, u.address, u.phone_number, "
    "u.role FROM service_bookings b JOIN users u ON u.id = b.user_id";

constexpr std::string_view kInsert =
    "INSERT INTO service_bookings (user_id, service_type_id, price_locked, status, "
    "tanggal_booking, tanggal_acara, jumlah_client, priority_score, priority_segment, "
    "urgency_level, monetary_level, updated_priority_at, source_ref) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
constexpr std::string_view kInsertWithId =
    "INSERT INTO service_bookings (user_id, service_type_id, price_locked, status, "
    "tanggal_booking, tanggal_acara, jumlah_client, priority_score, priority_segment, "
    "urgency_level, monetary_level, updated_priority_at, source_ref, id) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

Booking read_booking(const db::Row& r) {
  Booking b;
  b.id = r.int64(0);
  b.user_id = r.int64(1);
  b.service_type_id = r.int64(2);
  b.price_locked = r.money(3);
  b.status = r.text(4);
  b.tanggal_booking = r.time(5);
  b.tanggal_acara = r.time(6);
  b.jumlah_client = r.int64(7);
  b.priority_score = static_cast<int>(r.int64(8));
  b.priority_segment = r.text(9);
  b.urgency_level = r.text(10);
  b.monetary_level = r.text(11);
  b.updated_priority_at = r.time(12);
  b.user =
      auth::User{r.int64(13), r.text(14), r.text(15), r.opt_text(16), r.opt_text(17), r.text(18)};
  return b;
}

std::optional<Booking> load(db::Connection& c, std::int64_t id) {
  if (auto row = c.query_one(std::string(kSelect) + " WHERE b.id = $1", {id}))
    return read_booking(*row);
  return std::nullopt;
}

void save_priority(db::Connection& c, const Booking& b) {
  c.execute_soon(
      "UPDATE service_bookings SET status = $2, priority_score = $3, priority_segment = $4, "
      "urgency_level = $5, monetary_level = $6, updated_priority_at = $7 WHERE id = $1",
      {b.id, b.status, std::int64_t{b.priority_score}, b.priority_segment, b.urgency_level,
       b.monetary_level, db::time(b.updated_priority_at)});
}

std::vector<db::Param> insert_params(const Booking& b, const db::Param& source_ref) {
  return {b.user_id,
          b.service_type_id,
          db::money(b.price_locked),
          b.status,
          db::time(b.tanggal_booking),
          db::time(b.tanggal_acara),
          b.jumlah_client,
          std::int64_t{b.priority_score},
          b.priority_segment,
          b.urgency_level,
          b.monetary_level,
          db::time(b.updated_priority_at),
          source_ref};
}

std::int64_t insert(db::Connection& c, const Booking& b, const db::Param& source_ref) {
  return *c.insert_id(kInsert, insert_params(b, source_ref));
}

// For kInsertWithId: the row under its own id, `b.id`.
std::vector<db::Param> insert_with_id_params(const Booking& b, const db::Param& source_ref) {
  auto params = insert_params(b, source_ref);
  params.emplace_back(b.id);
  return params;
}

// The booking's event and the messages it sends, in the transaction that changed it.
// Without `facts` (a re-scoring) only webhooks hear of it. `endpoints`: the outbox's, and
// `reserved`: the event's id, when the write asked for them at its start.
void record(db::Connection& c, const notify::Outbox* outbox, std::string_view type,
            const Booking& b, Timestamp now, const NoticeFacts* facts,
            std::optional<db::SoonRows> endpoints = std::nullopt,
            events::ReservedId reserved = std::nullopt) {
  std::string data;
  append_json(data, b);
  auto event_id = events::append_soon(c, reserved, kStream, type, data, now);
  if (!outbox) return;
  std::vector<notify::Notice> notices;
  if (facts) {
    auto with_owner = *facts;
    with_owner.owner_email = outbox->settings().owner_email;
    notices = notices_for(type, b, with_owner, outbox->zone(), outbox->locale());
  }
  outbox->queue(
      c, event_id, type, notices, [&] { return data; }, now, std::move(endpoints));
}

std::string service_name(db::Connection& c, std::int64_t type_id) {
  const auto r = c.query_one("SELECT name FROM service_types WHERE id = $1", {type_id});
  return r ? r->text(0) : std::string();
}

}  // namespace

namespace {

// What a new booking's write reads, asked for together (BookingStore::create).
struct Asked {
  db::Soon<std::optional<auth::User>> user;
  db::SoonRows type;  // the price is read in the transaction that locks it into the booking
  std::optional<db::SoonRows> earlier;  // the idempotency key's booking
  std::optional<calendar::RoomCheck> room;
  std::optional<db::SoonRows> endpoints;
  std::optional<db::Soon<std::int64_t>> id;  // handed out ahead (db::reserve_id)
  events::ReservedId event_id;
};

std::string idempotency_turn(std::int64_t user_id, const IdempotencyKey& key) {
  return "booking-idempotency:" + std::to_string(user_id) + ":" + key.key;
}

}  // namespace

boost::asio::awaitable<Created> BookingStore::create(Booking b, std::optional<IdempotencyKey> key,
                                                     const std::function<void(Booking&)>& priced) {
  // A staged write (db::Write): bookings written together ask for all they read in one
  // round trip, unless they share a date or a key.
  std::vector<std::string> keys;
  if (key) keys.push_back(idempotency_turn(b.user_id, *key));
  if (calendar_) keys.push_back(calendar::day_turn(*calendar_, b.tanggal_acara));
  const auto ask = [&, this](db::Connection& c) {
    // Retries of one key run one at a time, so the second finds the first's booking.
    if (key) c.serialize_on(idempotency_turn(b.user_id, *key));
    Asked a{auth::find_user_soon(c, b.user_id),
            c.query_soon_shared("SELECT price, name FROM service_types WHERE id = $1",
                                {b.service_type_id}),
            {},
            {},
            {},
            db::reserve_id(c, "service_bookings"),
            {}};
    if (key)
      a.earlier = c.query_soon(
          "SELECT booking_id, fingerprint FROM service_booking_idempotency "
          "WHERE user_id = $1 AND key = $2",
          {b.user_id, key->key});
    if (calendar_) a.room = calendar::ask_room(c, *calendar_, b.tanggal_acara, b.jumlah_client);
    if (outbox_) {
      a.endpoints = outbox_->ask_endpoints(c);
      a.event_id = events::reserve_id(c);
    }
    return a;
  };
  const auto finish = [&, this](db::Connection& c, Asked& a) -> Created {
    auto booking = b;  // finish may run again: `b` stays as asked
    if (!a.user.get()) throw ApiError::unauthorized("Could not validate credentials");
    booking.user = std::move(*a.user.get());
    if (a.type.get().empty()) throw ApiError::not_found("Service type not found");
    const auto& service = a.type.get().front();
    booking.price_locked = service.money(0);
    priced(booking);
    if (a.earlier && !a.earlier->get().empty()) {
      const auto& row = a.earlier->get().front();
      if (row.text(1) != key->fingerprint)
        throw ApiError(ErrorCode::kValidation,
                       "Idempotency-Key was already used for a different booking request");
      if (auto first = load(c, row.int64(0))) return {std::move(*first), true};
    }
    if (a.room) a.room->check();
    // With an id handed out ahead, the insert goes with its event and messages. The service
    // type cannot go before the commit: it was read in this transaction, and writes that
    // remove one run one at a time with this one (db::kWriteTurn; SQLite's one writer).
    if (a.id) {
      booking.id = a.id->get();
      c.execute_soon(kInsertWithId, insert_with_id_params(booking, db::Null{}));
    } else {
      booking.id = insert(c, booking, db::Null{});
    }
    if (key) {
      c.execute_soon(
          "INSERT INTO service_booking_idempotency (user_id, key, fingerprint, booking_id, "
          "created_at) VALUES ($1, $2, $3, $4, $5)",
          {booking.user_id, key->key, key->fingerprint, booking.id, db::time(now_utc())});
    }
    const NoticeFacts facts{service.text(1), std::nullopt, std::nullopt};
    record(c, outbox_, "booking_created", booking, booking.tanggal_booking, &facts,
           std::move(a.endpoints), std::move(a.event_id));
    return {std::move(booking), false};
  };
  co_return co_await db_.write(std::move(keys), ask, finish);
}

boost::asio::awaitable<std::optional<Booking>> BookingStore::find(std::int64_t id) {
  co_return co_await db_.read([id](db::Connection& c) { return load(c, id); });
}

boost::asio::awaitable<void> BookingStore::list(ListFilter f, const EachBooking& each,
                                                const AtVersion& at,
                                                std::optional<std::string> seen) {
  const auto dialect = db_.dialect();
  const std::function<void(db::Connection&)> rows = [&f, &each, dialect](db::Connection& c) {
    db::Query q;
    if (f.user_id) q.where_equals("b.user_id", *f.user_id);
    if (f.segment) q.where_equals("b.priority_segment", *f.segment);
    if (f.status) q.where_equals("b.status", *f.status);
    if (f.state) {
      // std::string, not the literals: a const char* would bind as a bool.
      const std::vector<std::string> statuses =
          *f.state == "open" ? std::vector<std::string>{"pending", "confirmed", "dp", "paid"}
                             : std::vector<std::string>{"completed", "cancelled"};
      q.where_in("b.status", {statuses.begin(), statuses.end()});
    }
    std::string sql = std::string(kSelect) + q.where();
    switch (f.order) {
      case Order::kId:
        sql += " ORDER BY b.id";
        break;
      case Order::kIdDesc:
        sql += " ORDER BY b.id DESC";
        break;
      case Order::kPriorityDesc:
        // Equal scores: the nearest event first.
        sql += " ORDER BY b.priority_score DESC, " +
               db::time_distance(dialect, "b.tanggal_acara", q.bind(db::time(now_utc()))) +
               ", b.id";
        break;
      case Order::kEventAsc:
        sql += " ORDER BY b.tanggal_acara, b.id";
        break;
      case Order::kEventDesc:
        sql += " ORDER BY b.tanggal_acara DESC, b.id";
        break;
    }
    if (f.limit || f.skip) {
      sql += " LIMIT " + q.bind(f.limit.value_or(std::numeric_limits<std::int64_t>::max()));
      sql += " OFFSET " + q.bind(f.skip.value_or(0));
    }
    c.each_row(sql, q.params(), [&each](const db::Row& r) { each(read_booking(r)); });
  };
  // Asked at a version, a list kept in memory may need no rows read.
  if (at)
    co_await db_.read_if(at, rows, std::move(seen));
  else
    co_await db_.read(rows);
}

boost::asio::awaitable<std::optional<Booking>> BookingStore::update(
    std::int64_t id, std::function<void(Booking&)> change, audit::Actor by, std::string action) {
  co_return co_await db_.write([&, this](db::Connection& c) -> std::optional<Booking> {
    auto b = load(c, id);
    if (!b) return std::nullopt;
    auto before_json = to_json(*b);
    const auto before = b->status;
    change(*b);
    // A cancelled booking brought back takes its clients' places again.
    if (calendar_ && before == "cancelled" && b->status != "cancelled")
      calendar::check_room(c, *calendar_, b->tanggal_acara, b->jumlah_client);
    save_priority(c, *b);
    // The service's name only matters to a message, which only a new status sends.
    const NoticeFacts facts{before != b->status ? service_name(c, b->service_type_id) : "", before,
                            std::nullopt};
    record(c, outbox_, "booking_updated", *b, b->updated_priority_at, &facts);
    audit::record(c,
                  {by, action, "booking", std::to_string(id), std::move(before_json), to_json(*b)},
                  b->updated_priority_at);
    return b;
  });
}

boost::asio::awaitable<std::vector<Booking>> BookingStore::rescore_open(
    std::function<bool(Booking&)> rescore) {
  co_return co_await db_.write([&, this](db::Connection& c) {
    std::vector<Booking> changed;
    for (const auto& row :
         c.query(std::string(kSelect) +
                 " WHERE b.status NOT IN ('completed', 'cancelled') ORDER BY b.id")) {
      auto b = read_booking(row);
      if (!rescore(b)) continue;
      save_priority(c, b);
      changed.push_back(std::move(b));
    }
    // The events last: appending holds the log's turn until the commit (events/log.hpp).
    for (const auto& b : changed)
      record(c, outbox_, "booking_updated", b, b.updated_priority_at, nullptr);
    return changed;
  });
}

boost::asio::awaitable<std::size_t> BookingStore::queue_reminders(Timestamp now,
                                                                  int reminder_hour) {
  if (!outbox_) co_return 0;
  co_return co_await db_.write([this, now, reminder_hour](db::Connection& c) {
    const auto& zone = outbox_->zone();
    std::size_t queued = 0;
    // The reminder is due at most a day and a few hours before the event.
    const auto rows = c.query(std::string(kSelect) +
                                  " WHERE b.status NOT IN ('completed', 'cancelled') "
                                  "AND b.tanggal_acara > $1 AND b.tanggal_acara < $2 ORDER BY b.id",
                              {db::time(now), db::time(now + std::chrono::hours(60))});
    for (const auto& row : rows) {
      const auto b = read_booking(row);
      const auto day = zone.local(b.tanggal_acara).day;
      if (notify::reminder_due(day, reminder_hour, zone) > now) continue;
      const auto notice =
          reminder_for(b, service_name(c, b.service_type_id), zone, outbox_->locale());
      const auto date = std::to_string(static_cast<int>(day.year())) + "_" +
                        std::to_string(static_cast<unsigned>(day.month())) + "_" +
                        std::to_string(static_cast<unsigned>(day.day()));
      for (const auto& d : notify::plan(notice, outbox_->settings(), outbox_->templates()))
        if (outbox_->queue_once(
                c, "msg_reminder_" + std::to_string(b.id) + "_" + date + "_" + d.channel,
                "booking.reminder", d, now))
          ++queued;
    }
    return queued;
  });
}

bool is_loaded(db::Connection& c, const std::string& source_ref) {
  return c.query_one("SELECT 1 FROM service_bookings WHERE source_ref = $1", {source_ref})
      .has_value();
}

bool booking_exists(db::Connection& c, std::int64_t id) {
  return c.query_one("SELECT 1 FROM service_bookings WHERE id = $1", {id}).has_value();
}

bool insert_loaded_booking(db::Connection& c, const Booking& b, const std::string& source_ref) {
  if (is_loaded(c, source_ref)) return false;
  insert(c, b, source_ref);
  return true;
}

void insert_imported_booking(db::Connection& c, const Booking& b, const std::string& source_ref) {
  c.execute(kInsertWithId, insert_with_id_params(b, source_ref));
}

void move_ids_past_imported(db::Connection& c) {
  c.move_id_sequence_past_rows("service_bookings");
}

}  // namespace janji::bookings
