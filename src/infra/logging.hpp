#pragma once

#include <string>
#include <string_view>

namespace janji {

enum class LogFormat {
  kText,  // 2026-12-06T03:31:18.123Z info GET /health 200 0.05ms id=… client=…
  kJson,  // {"time":"2026-12-06T03:31:18.123Z","level":"info","method":"GET",…}
};

/// "text" or "json"; throws std::invalid_argument on anything else.
LogFormat parse_log_format(std::string_view name);

/// Logs to stderr at `level` (trace … critical, off) in `format`; throws
/// std::invalid_argument on an unknown level. Each line is written as it is logged: right
/// for one-shot commands.
void setup_logging(const std::string& level, LogFormat format = LogFormat::kText);

/// One answered request, logged at info: as text, `GET /path 200 1.25ms id=… client=…`
/// (then ` (stream)` for a stream); as JSON, each of these a field of its own.
struct RequestLine {
  std::string_view method;
  std::string_view path;
  unsigned status = 0;
  double ms = 0;
  std::string_view request_id;
  std::string_view client;
  bool stream = false;
};
void log_request(const RequestLine& line);

/// The JSON object of one line (without the newline): `time` and `level`, then `fields`
/// when given (already JSON members, `"a":1,"b":"x"`), else `message` holding `message`.
std::string json_log_line(std::string_view time, std::string_view level, std::string_view message,
                          std::string_view fields);
/// The members of a request line's JSON object.
std::string request_fields(const RequestLine& line);

/// For `serve`: lines are collected in memory and written by a thread of their own in
/// batches, within 200 ms, so a request does not wait for stderr and a slow pipe or journal
/// does not stall the IO threads; lines that do not fit while stderr is stuck are dropped
/// and counted. Warnings and worse are written at once. Call `stop_logging()` before exit.
void log_in_batches();

/// Writes what is collected and stops the writing thread; later lines are dropped.
void stop_logging();

}  // namespace janji
