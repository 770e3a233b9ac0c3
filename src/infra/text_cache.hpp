#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace janji {

/// Texts made from the database (long lists), kept while the data they were made from is
/// unchanged: one is found only under the key and the data version (db::Connection::
/// data_version) it was put with, and for `max_age` (a list ordered by nearness to now
/// drifts as time passes): past that, the first to find it makes the next one, and the
/// others are given the older text of the same data until it is there, instead of all
/// waiting. Holds at most `budget` bytes, dropping the least recently used first; a budget
/// of 0 keeps nothing.
///
/// Many asking at once for a text nobody has kept yet make it once: one is given the making
/// (find), and the others, waiting in await_making before they read, then find it kept.
/// Safe from any thread; nothing in it blocks.
class TextCache {
 public:
  using Clock = std::chrono::steady_clock;

  TextCache(std::size_t budget, Clock::duration max_age) : budget_(budget), max_age_(max_age) {}
  TextCache(const TextCache&) = delete;
  TextCache& operator=(const TextCache&) = delete;

  /// Whether a text of `size` bytes would be kept: one text takes a quarter of the budget
  /// at most.
  bool keeps(std::size_t size) const { return budget_ > 0 && size <= budget_ / 4; }

  /// Returns once nobody is making the text under `key`, or after `patience`; at once when
  /// the text being made replaces one of the same data past its age (found meanwhile).
  boost::asio::awaitable<void> await_making(const std::string& key, Clock::duration patience);

  class Making;
  /// What find found: the text kept, or else (when nobody else is making one under `key`)
  /// the making of it, or neither. A text past its age comes with the making of the next
  /// one for the first who finds it so.
  struct Found {
    std::shared_ptr<const std::string> text;
    std::unique_ptr<Making> making;
  };
  Found find(const std::string& key, const std::string& version);

  /// The making of one text; dropped without put, the text is not kept. Either way, whoever
  /// waits for it is let go.
  class Making {
   public:
    Making(TextCache& cache, std::string key, std::string version)
        : cache_(cache), key_(std::move(key)), version_(std::move(version)) {}
    Making(const Making&) = delete;
    Making& operator=(const Making&) = delete;
    ~Making() {
      if (!settled_) cache_.settle(key_, version_, nullptr);
    }
    /// Keeps `text` (when keeps(text.size())) and returns it, shared.
    std::shared_ptr<const std::string> put(std::string text);

   private:
    TextCache& cache_;
    std::string key_;
    std::string version_;
    bool settled_ = false;
  };

  std::size_t bytes() const;

 private:
  struct Entry {
    std::string id;  // key and version
    std::shared_ptr<const std::string> text;
    Clock::time_point made;
  };
  using Waiter = std::shared_ptr<boost::asio::steady_timer>;
  struct Makers {
    std::string version;  // of the data the text is made from
    std::vector<Waiter> waiters;
  };
  static std::string id_of(const std::string& key, const std::string& version);
  void drop(std::list<Entry>::iterator it);
  // Ends the making under `key`, keeping `text` unless it is null.
  void settle(const std::string& key, const std::string& version,
              std::shared_ptr<const std::string> text);

  const std::size_t budget_;
  const Clock::duration max_age_;
  mutable std::mutex mutex_;
  std::list<Entry> recent_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::unordered_map<std::string, Makers> making_;  // by key
  std::size_t bytes_ = 0;
};

}  // namespace janji
