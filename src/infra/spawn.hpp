#pragma once

#include <spdlog/spdlog.h>

#include <exception>
#include <string>

namespace janji {

/// The completion handler of a spawned coroutine: logs how it ended, so no coroutine ends
/// silently (an exception at error level, a normal end at debug level).
inline auto log_exit(std::string what) {
  return [what = std::move(what)](std::exception_ptr e, auto&&...) {
    if (!e) {
      spdlog::debug("{} ended", what);
      return;
    }
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("{} ended by an exception: {}", what, ex.what());
    } catch (...) {
      spdlog::error("{} ended by an unknown exception", what);
    }
  };
}

}  // namespace janji
