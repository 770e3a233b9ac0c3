#pragma once

namespace janji::http {

struct Route;

/// Told of every request the dispatcher answered, for /metrics: its route (null when none
/// matched), its status, and the seconds until its response's head was ready. Called on
/// the request's IO thread: it must not block or take a lock.
class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  virtual void observe(const Route* route, unsigned status, double seconds) noexcept = 0;
};

}  // namespace janji::http
