#include "infra/text_cache.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace janji {

namespace asio = boost::asio;

std::string TextCache::id_of(const std::string& key, const std::string& version) {
  std::string id = key;
  id += '\n';  // in neither: keys and versions are one line each
  id += version;
  return id;
}

void TextCache::drop(std::list<Entry>::iterator it) {
  bytes_ -= it->text->size();
  index_.erase(it->id);
  recent_.erase(it);
}

asio::awaitable<void> TextCache::await_making(const std::string& key, Clock::duration patience) {
  auto executor = co_await asio::this_coro::executor;
  auto waiter = std::make_shared<asio::steady_timer>(executor, patience);
  {
    std::lock_guard lock(mutex_);
    const auto making = making_.find(key);
    if (making == making_.end()) co_return;
    // It replaces a text of the same data, which find gives meanwhile.
    if (index_.contains(id_of(key, making->second.version))) co_return;
    making->second.waiters.push_back(waiter);
  }
  // Ends when the time is up or settle cancels it; the cancel is posted to this executor,
  // so it cannot come before the wait has begun.
  co_await waiter->async_wait(asio::as_tuple(asio::use_awaitable));
}

TextCache::Found TextCache::find(const std::string& key, const std::string& version) {
  const auto id = id_of(key, version);
  std::lock_guard lock(mutex_);
  std::shared_ptr<const std::string> text;
  if (const auto found = index_.find(id); found != index_.end()) {
    const auto it = found->second;
    recent_.splice(recent_.begin(), recent_, it);
    if (Clock::now() - it->made <= max_age_) return {it->text, nullptr};
    text = it->text;  // past its age: given until the next one is made
  }
  if (budget_ == 0) return {};
  const auto [making, first] = making_.try_emplace(key);
  if (!first) return {text, nullptr};
  making->second.version = version;
  return {text, std::make_unique<Making>(*this, key, version)};
}

std::shared_ptr<const std::string> TextCache::Making::put(std::string text) {
  auto shared = std::make_shared<const std::string>(std::move(text));
  settled_ = true;
  cache_.settle(key_, version_, shared);
  return shared;
}

void TextCache::settle(const std::string& key, const std::string& version,
                       std::shared_ptr<const std::string> text) {
  std::vector<Waiter> waiters;
  {
    std::lock_guard lock(mutex_);
    const auto making = making_.find(key);
    if (making == making_.end()) return;
    waiters = std::move(making->second.waiters);
    making_.erase(making);
    if (text && keeps(text->size())) {
      auto id = id_of(key, version);
      const auto now = Clock::now();
      if (const auto found = index_.find(id); found != index_.end()) drop(found->second);
      // What is too old goes first, then the least recently used, until the text fits.
      for (auto it = recent_.begin(); it != recent_.end();) {
        const auto old = it++;
        if (now - old->made > max_age_) drop(old);
      }
      while (!recent_.empty() && bytes_ + text->size() > budget_) drop(std::prev(recent_.end()));
      bytes_ += text->size();
      recent_.push_front(Entry{id, std::move(text), now});
      index_.emplace(std::move(id), recent_.begin());
    }
  }
  for (auto& waiter : waiters) {
    auto executor = waiter->get_executor();
    asio::post(executor, [waiter = std::move(waiter)] { waiter->cancel(); });
  }
}

std::size_t TextCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace janji
