#pragma once

#include "catalogue/dto.hpp"
#include "infra/db/runner.hpp"

#include "audit/dto.hpp"

#include <boost/asio/awaitable.hpp>

namespace janji::catalogue {

/// Packages and their service types in the database. Name clashes and deletes that would
/// orphan bookings come back as ApiErrors (400 and 409). Every write appends its audit row
/// (by `by`) in its own transaction.
class CatalogueStore {
 public:
  explicit CatalogueStore(db::Runner& db) : db_(db) {}

  /// Every package with its types, read in one transaction, ordered by id.
  boost::asio::awaitable<std::vector<Package>> list();
  boost::asio::awaitable<Package> create_package(std::string name,
                                                 std::optional<std::string> description,
                                                 audit::Actor by);
  /// nullopt when the package does not exist.
  boost::asio::awaitable<std::optional<Package>> update_package(std::int64_t id,
                                                                PackageChange change,
                                                                audit::Actor by);
  /// false when the package does not exist.
  boost::asio::awaitable<bool> delete_package(std::int64_t id, audit::Actor by);
  /// The parent package after the insert; nullopt when the package does not exist.
  boost::asio::awaitable<std::optional<Package>> add_type(ServiceType type, audit::Actor by);
  /// The parent package after the change; nullopt when the type does not exist.
  boost::asio::awaitable<std::optional<Package>> update_type(std::int64_t id,
                                                             ServiceTypeChange change,
                                                             audit::Actor by);
  boost::asio::awaitable<std::optional<Package>> delete_type(std::int64_t id, audit::Actor by);

 private:
  db::Runner& db_;
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
