#pragma once

#include "catalogue/dto.hpp"
#include "infra/db/runner.hpp"

#include <boost/asio/awaitable.hpp>

namespace janji::catalogue {

/// Packages and their service types in the database. Name clashes and deletes that would
/// orphan bookings come back as ApiErrors (400 and 409).
class CatalogueStore {
 public:
  explicit CatalogueStore(db::Runner& db) : db_(db) {}

  /// Every package with its types, read in one transaction, ordered by id.
  boost::asio::awaitable<std::vector<Package>> list();
  boost::asio::awaitable<Package> create_package(std::string name,
                                                 std::optional<std::string> description);
  /// nullopt when the package does not exist.
  boost::asio::awaitable<std::optional<Package>> update_package(std::int64_t id,
                                                                PackageChange change);
  /// false when the package does not exist.
  boost::asio::awaitable<bool> delete_package(std::int64_t id);
  /// The parent package after the insert; nullopt when the package does not exist.
  boost::asio::awaitable<std::optional<Package>> add_type(ServiceType type);
  /// The parent package after the change; nullopt when the type does not exist.
  boost::asio::awaitable<std::optional<Package>> update_type(std::int64_t id,
                                                             ServiceTypeChange change);
  boost::asio::awaitable<std::optional<Package>> delete_type(std::int64_t id);

 private:
  db::Runner& db_;
};

/// Blocking helpers shared with the demo loader.
std::optional<Package> load_package(db::Connection& c, std::int64_t id);
std::vector<Package> load_packages(db::Connection& c);

}  // namespace janji::catalogue
