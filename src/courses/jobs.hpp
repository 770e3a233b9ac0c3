#pragma once

#include "courses/service.hpp"
#include "infra/periodic_task.hpp"

#include <chrono>

namespace janji::courses {

/// Every `interval`, expires the pending course bookings whose time ran out.
class ExpiryJob {
 public:
  ExpiryJob(CourseService& service, boost::asio::any_io_executor executor,
            std::chrono::milliseconds interval);

  void start() { task_.start(); }
  void stop() { task_.stop(); }

 private:
  PeriodicTask task_;
};

}  // namespace janji::courses
