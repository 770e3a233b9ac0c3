#pragma once

#include "catalogue/store.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

namespace janji::catalogue {

/// The whole catalogue, as read in one transaction, and its JSON as GET /services/packages
/// answers it.
struct Listing {
  std::vector<Package> packages;
  std::string json;
};

/// The catalogue's rules: what is missing is a 404, and reads come from memory.
///
/// The catalogue is read on every visit to the shop and changes a few times a year, so the
/// listing and its JSON are kept: a write through this service shows at once, a write by
/// another instance or process (`janji import-alfiyah`) within `cache_ttl` (0: every read
/// goes to the database).
class CatalogueService {
 public:
  explicit CatalogueService(CatalogueStore& store, std::chrono::milliseconds cache_ttl = {})
      : store_(store), cache_ttl_(cache_ttl) {}

  boost::asio::awaitable<std::shared_ptr<const Listing>> list();
  /// 404 when the package does not exist.
  boost::asio::awaitable<Package> find(std::int64_t package_id);
  boost::asio::awaitable<Package> create_package(NewPackage package, audit::Actor by);
  /// 404 when the package does not exist.
  boost::asio::awaitable<Package> update_package(std::int64_t id, PackageChange change,
                                                 audit::Actor by);
  /// 404 when the package does not exist; 409 when one of its types has bookings.
  boost::asio::awaitable<void> delete_package(std::int64_t id, audit::Actor by);
  /// The parent package after the insert; 404 when the package does not exist.
  boost::asio::awaitable<Package> add_type(ServiceType type, audit::Actor by);
  /// The parent package after the change; 404 when the type does not exist.
  boost::asio::awaitable<Package> update_type(std::int64_t id, ServiceTypeChange change,
                                              audit::Actor by);
  /// The parent package after the delete; 404 when the type does not exist, 409 when it has
  /// bookings.
  boost::asio::awaitable<Package> delete_type(std::int64_t id, audit::Actor by);

 private:
  /// Awaits a store write and forgets the cached listing once it has committed.
  template <class T>
  boost::asio::awaitable<T> write(boost::asio::awaitable<T> op);

  CatalogueStore& store_;
  std::chrono::milliseconds cache_ttl_;
  std::mutex cache_mutex_;
  std::shared_ptr<const Listing> cached_;
  std::uint64_t cached_generation_ = 0;
  std::chrono::steady_clock::time_point cached_at_;
  // Bumped after every write; a listing is served only while it is the generation's.
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> writes_in_flight_{0};
};

}  // namespace janji::catalogue
