#pragma once

#include <string>

namespace janji {

/// Logs to stderr at `level` (trace … critical, off); throws std::invalid_argument on an
/// unknown level. Each line is written as it is logged: right for one-shot commands.
void setup_logging(const std::string& level);

/// For `serve`: lines are collected in memory and written by a thread of their own in
/// batches, within 200 ms, so a request does not wait for stderr and a slow pipe or journal
/// does not stall the IO threads; lines that do not fit while stderr is stuck are dropped
/// and counted. Warnings and worse are written at once. Call `stop_logging()` before exit.
void log_in_batches();

/// Writes what is collected and stops the writing thread; later lines are dropped.
void stop_logging();

}  // namespace janji
