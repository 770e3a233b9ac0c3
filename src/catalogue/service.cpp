#include "catalogue/service.hpp"

#include "core/error.hpp"

#include <algorithm>

namespace janji::catalogue {

namespace asio = boost::asio;

namespace {

constexpr const char* kPackageNotFound = "Package not found";
constexpr const char* kTypeNotFound = "Service type not found";

Package found(std::optional<Package> p, const char* missing) {
  if (!p) throw ApiError::not_found(missing);
  return std::move(*p);
}

}  // namespace

template <class T>
asio::awaitable<T> CatalogueService::write(asio::awaitable<T> op) {
  struct InFlight {
    CatalogueService& service;
    explicit InFlight(CatalogueService& s) : service(s) { service.writes_in_flight_.fetch_add(1); }
    // Also after a failed write: it may have committed before the error reached us.
    ~InFlight() {
      service.generation_.fetch_add(1);
      service.writes_in_flight_.fetch_sub(1);
    }
  } in_flight{*this};
  co_return co_await std::move(op);
}

asio::awaitable<std::shared_ptr<const Listing>> CatalogueService::list() {
  const auto generation = generation_.load();
  if (cache_ttl_.count() > 0) {
    std::lock_guard lock(cache_mutex_);
    if (cached_ && cached_generation_ == generation &&
        std::chrono::steady_clock::now() - cached_at_ < cache_ttl_)
      co_return cached_;
  }
  const auto read_at = std::chrono::steady_clock::now();
  auto packages = co_await store_.list();
  auto json = to_json_text(packages);
  auto listing = std::make_shared<const Listing>(Listing{std::move(packages), std::move(json)});
  if (cache_ttl_.count() > 0) {
    std::lock_guard lock(cache_mutex_);
    // A read that overlapped a write may hold what the write replaced: not kept.
    if (writes_in_flight_.load() == 0 && generation_.load() == generation) {
      cached_ = listing;
      cached_generation_ = generation;
      cached_at_ = read_at;
    }
  }
  co_return listing;
}

asio::awaitable<Package> CatalogueService::find(std::int64_t id) {
  const auto listing = co_await list();
  const auto& ps = listing->packages;
  const auto it = std::find_if(ps.begin(), ps.end(), [id](const Package& p) { return p.id == id; });
  if (it == ps.end()) throw ApiError::not_found(kPackageNotFound);
  co_return *it;
}

asio::awaitable<Package> CatalogueService::create_package(NewPackage p, audit::Actor by) {
  co_return co_await write(store_.create_package(std::move(p.name), std::move(p.description), by));
}

asio::awaitable<Package> CatalogueService::update_package(std::int64_t id, PackageChange change,
                                                          audit::Actor by) {
  co_return found(co_await write(store_.update_package(id, std::move(change), by)),
                  kPackageNotFound);
}

asio::awaitable<void> CatalogueService::delete_package(std::int64_t id, audit::Actor by) {
  const bool deleted = co_await write(store_.delete_package(id, by));
  if (!deleted) throw ApiError::not_found(kPackageNotFound);
}

asio::awaitable<Package> CatalogueService::add_type(ServiceType type, audit::Actor by) {
  co_return found(co_await write(store_.add_type(std::move(type), by)), kPackageNotFound);
}

asio::awaitable<Package> CatalogueService::update_type(std::int64_t id, ServiceTypeChange change,
                                                       audit::Actor by) {
  co_return found(co_await write(store_.update_type(id, std::move(change), by)), kTypeNotFound);
}

asio::awaitable<Package> CatalogueService::delete_type(std::int64_t id, audit::Actor by) {
  co_return found(co_await write(store_.delete_type(id, by)), kTypeNotFound);
}

}  // namespace janji::catalogue
