#pragma once

#include "catalogue/dto.hpp"
#include "infra/db/runner.hpp"

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

/// Packages and their service types. Name clashes and deletes that would orphan bookings
/// come back as ApiErrors (400 and 409).
///
/// The catalogue is read on every visit to the shop and changes a few times a year, so
/// reads come from memory: a write through this store shows at once, a write by another
/// instance or process (`janji import-alfiyah`) within `cache_ttl` (0: every read goes to
/// the database).
class CatalogueStore {
 public:
  explicit CatalogueStore(db::Runner& db, std::chrono::milliseconds cache_ttl = {})
      : db_(db), cache_ttl_(cache_ttl) {}

  boost::asio::awaitable<std::shared_ptr<const Listing>> list();
  boost::asio::awaitable<std::optional<Package>> find(std::int64_t package_id);
  boost::asio::awaitable<Package> create_package(std::string name,
                                                 std::optional<std::string> description);
  boost::asio::awaitable<std::optional<Package>> update_package(std::int64_t id,
                                                                PackageChange change);
  boost::asio::awaitable<bool> delete_package(std::int64_t id);
  /// nullopt when the package does not exist.
  boost::asio::awaitable<std::optional<Package>> add_type(ServiceType type);
  /// The parent package after the change; nullopt when the type does not exist.
  boost::asio::awaitable<std::optional<Package>> update_type(std::int64_t id,
                                                             ServiceTypeChange change);
  boost::asio::awaitable<std::optional<Package>> delete_type(std::int64_t id);

 private:
  /// Runs a write and forgets the cached listing once it has committed.
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F, db::Connection&>> write(F fn);

  db::Runner& db_;
  std::chrono::milliseconds cache_ttl_;
  std::mutex cache_mutex_;
  std::shared_ptr<const Listing> cached_;
  std::uint64_t cached_generation_ = 0;
  std::chrono::steady_clock::time_point cached_at_;
  // Bumped after every write; a listing is served only while it is the generation's.
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> writes_in_flight_{0};
};

/// Blocking versions for loaders (demo, import) that write in a transaction of their own.
/// Writes through them are seen by a running server within its `cache_ttl`.
std::optional<Package> load_package(db::Connection& c, std::int64_t id);
std::vector<Package> load_packages(db::Connection& c);
/// The package named `name`, without its service types.
std::optional<Package> find_package_by_name(db::Connection& c, const std::string& name);
/// Inserts `p` without its service types, with `p.id` when it is set (an import keeps the
/// ids it was given), else a new one; returns the id.
std::int64_t insert_package(db::Connection& c, const Package& p);
std::optional<ServiceType> find_type(db::Connection& c, std::int64_t id);
std::optional<ServiceType> find_type_by_name(db::Connection& c, std::int64_t package_id,
                                             const std::string& name);
/// Inserts `t` into its package, with `t.id` when it is set, else a new one; returns the id.
std::int64_t insert_type(db::Connection& c, const ServiceType& t);
/// After inserts with ids of their own: new rows get ids past the largest.
void move_ids_past_imported(db::Connection& c);

}  // namespace janji::catalogue
