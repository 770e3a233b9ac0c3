#pragma once

#include "bookings/service.hpp"
#include "infra/periodic_task.hpp"

#include <chrono>

namespace janji::bookings {

/// Re-scores open bookings as their event dates approach: once shortly after start (the
/// server may have been down while dates approached), then every `interval`.
class RescoreJob {
 public:
  RescoreJob(BookingService& service, boost::asio::any_io_executor executor,
             std::chrono::milliseconds interval);

  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  PeriodicTask task_;
};

/// Queues the day-before reminders of service bookings every `interval`.
class ReminderJob {
 public:
  ReminderJob(BookingService& service, boost::asio::any_io_executor executor,
              std::chrono::milliseconds interval, int reminder_hour);

  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  PeriodicTask task_;
};

}  // namespace janji::bookings
