#pragma once

#include "auth/dto.hpp"
#include "bookings/priority.hpp"
#include "bookings/store.hpp"
#include "events/relay.hpp"

#include <functional>

namespace janji::bookings {

/// The rules of service bookings: price locked from the type, priority on every change,
/// who may see what.
class BookingService {
 public:
  /// Every booking write logs its event (kStream) in its transaction; `events` is told
  /// after the commit.
  BookingService(BookingStore& store, PriorityRules rules, events::Relay& events,
                 std::chrono::milliseconds cancel_cutoff = std::chrono::hours(48))
      : store_(store), rules_(rules), events_(events), cancel_cutoff_(cancel_cutoff) {}

  /// The time requests are validated against (an event date must not be in the past).
  Timestamp now() const { return now_utc(); }

  /// Books for the user `user_id` names; 401 when that user no longer exists.
  boost::asio::awaitable<Created> create(std::int64_t user_id, BookingRequest request,
                                         std::optional<std::string> idempotency_key);
  /// 404 when absent; 403 unless the user owns it or is an admin.
  boost::asio::awaitable<Booking> get(const auth::User& user, std::int64_t id);
  /// Calls `each` with every booking the filter selects (see BookingStore::list).
  boost::asio::awaitable<void> list(ListFilter filter, const EachBooking& each,
                                    const AtVersion& at = {},
                                    std::optional<std::string> seen = std::nullopt);
  boost::asio::awaitable<Booking> set_status(std::int64_t id, std::string status, audit::Actor by);
  /// The customer cancels her own booking (see cancel_refusal): 404 when absent, 403 when
  /// it is not hers (admins change statuses with set_status), 409 when it is too late or
  /// its status does not allow it.
  boost::asio::awaitable<Booking> cancel(const auth::User& user, std::int64_t id);
  /// Re-scores open bookings as their event dates approach; logs booking_updated for
  /// each whose priority changed, and returns how many did.
  boost::asio::awaitable<std::size_t> rescore_open();

  /// Queues the day-before reminders that are due (see BookingStore::queue_reminders).
  boost::asio::awaitable<std::size_t> queue_reminders(int reminder_hour) {
    co_return co_await store_.queue_reminders(now_utc(), reminder_hour);
  }

  const PriorityRules& rules() const { return rules_; }

 private:
  BookingStore& store_;
  PriorityRules rules_;
  events::Relay& events_;
  std::chrono::milliseconds cancel_cutoff_;
};

/// Applies `compute_priority` to a booking as of `now`.
void rescore(Booking& b, const PriorityRules& rules, Timestamp now);

}  // namespace janji::bookings
