#include "catalogue/store.hpp"

#include "audit/store.hpp"

#include "core/error.hpp"
#include "core/time.hpp"

#include <map>

namespace janji::catalogue {

namespace {

constexpr std::string_view kPackageColumns = "SELECT id, name, description FROM packages";
constexpr std::string_view kTypeColumns =
    "SELECT id, package_id, name, description, price FROM service_types";

ServiceType read_type(const db::Row& r) {
  return {r.int64(0), r.int64(1), r.text(2), r.opt_text(3), r.money(4)};
}

[[noreturn]] void duplicate_package() {
  throw ApiError::bad_request("Package with this name already exists");
}

}  // namespace

std::vector<Package> load_packages(db::Connection& c) {
  std::vector<Package> out;
  std::map<std::int64_t, std::size_t> index;
  for (const auto& r : c.query(std::string(kPackageColumns) + " ORDER BY id")) {
    index[r.int64(0)] = out.size();
    out.push_back({r.int64(0), r.text(1), r.opt_text(2), {}});
  }
  for (const auto& r : c.query(std::string(kTypeColumns) + " ORDER BY id")) {
    auto t = read_type(r);
    if (auto it = index.find(t.package_id); it != index.end())
      out[it->second].service_types.push_back(std::move(t));
  }
  return out;
}

std::optional<Package> find_package_by_name(db::Connection& c, const std::string& name) {
  if (auto r = c.query_one(std::string(kPackageColumns) + " WHERE name = $1", {name}))
    return Package{r->int64(0), r->text(1), r->opt_text(2), {}};
  return std::nullopt;
}

std::int64_t insert_package(db::Connection& c, const Package& p) {
  const auto created_at = db::time(now_utc());
  if (p.id != 0) {
    c.execute("INSERT INTO packages (id, name, description, created_at) VALUES ($1, $2, $3, $4)",
              {p.id, p.name, db::text_or_null(p.description), created_at});
    return p.id;
  }
  return c
      .query_one(
          "INSERT INTO packages (name, description, created_at) VALUES ($1, $2, $3) RETURNING id",
          {p.name, db::text_or_null(p.description), created_at})
      ->int64(0);
}

std::optional<ServiceType> find_type(db::Connection& c, std::int64_t id) {
  if (auto r = c.query_one(std::string(kTypeColumns) + " WHERE id = $1", {id}))
    return read_type(*r);
  return std::nullopt;
}

std::optional<ServiceType> find_type_by_name(db::Connection& c, std::int64_t package_id,
                                             const std::string& name) {
  if (auto r = c.query_one(std::string(kTypeColumns) + " WHERE package_id = $1 AND name = $2",
                           {package_id, name}))
    return read_type(*r);
  return std::nullopt;
}

std::int64_t insert_type(db::Connection& c, const ServiceType& t) {
  if (t.id != 0) {
    c.execute(
        "INSERT INTO service_types (id, package_id, name, description, price) "
        "VALUES ($1, $2, $3, $4, $5)",
        {t.id, t.package_id, t.name, db::text_or_null(t.description), db::money(t.price)});
    return t.id;
  }
  return c
      .query_one(
          "INSERT INTO service_types (package_id, name, description, price) "
          "VALUES ($1, $2, $3, $4) RETURNING id",
          {t.package_id, t.name, db::text_or_null(t.description), db::money(t.price)})
      ->int64(0);
}

std::optional<Package> load_package(db::Connection& c, std::int64_t id) {
  auto row = c.query_one(std::string(kPackageColumns) + " WHERE id = $1", {id});
  if (!row) return std::nullopt;
  Package p{row->int64(0), row->text(1), row->opt_text(2), {}};
  for (const auto& r :
       c.query(std::string(kTypeColumns) + " WHERE package_id = $1 ORDER BY id", {id}))
    p.service_types.push_back(read_type(r));
  return p;
}

boost::asio::awaitable<std::vector<Package>> CatalogueStore::list() {
  co_return co_await db_.read([](db::Connection& c) { return load_packages(c); });
}

boost::asio::awaitable<Package> CatalogueStore::create_package(
    std::string name, std::optional<std::string> description, audit::Actor by) {
  co_return co_await db_.write([&](db::Connection& c) {
    try {
      const auto id = insert_package(c, {0, name, description, {}});
      Package created{id, name, description, {}};
      audit::record(
          c, {by, "package.created", "package", std::to_string(id), std::nullopt, to_json(created)},
          now_utc());
      return created;
    } catch (const db::Error& e) {
      if (e.kind() == db::Error::Kind::kUniqueViolation) duplicate_package();
      throw;
    }
  });
}

boost::asio::awaitable<std::optional<Package>> CatalogueStore::update_package(std::int64_t id,
                                                                              PackageChange ch,
                                                                              audit::Actor by) {
  co_return co_await db_.write([&](db::Connection& c) -> std::optional<Package> {
    const auto before = load_package(c, id);
    try {
      const auto changed = c.execute(
          "UPDATE packages SET name = COALESCE($2, name), "
          "description = CASE WHEN $3 = 1 THEN $4 ELSE description END WHERE id = $1",
          {id, db::text_or_null(ch.name), std::int64_t{ch.set_description ? 1 : 0},
           db::text_or_null(ch.description)});
      if (changed == 0) return std::nullopt;
    } catch (const db::Error& e) {
      if (e.kind() == db::Error::Kind::kUniqueViolation) duplicate_package();
      throw;
    }
    auto after = load_package(c, id);
    audit::record(
        c,
        {by, "package.updated", "package", std::to_string(id), to_json(*before), to_json(*after)},
        now_utc());
    return after;
  });
}

namespace {

// Bookings keep their service type; a type that has bookings cannot disappear with them.
void refuse_if_booked(db::Connection& c, std::string_view where, std::int64_t id,
                      std::string_view what) {
  const auto sql =
      "SELECT 1 FROM service_bookings WHERE service_type_id IN (SELECT id FROM "
      "service_types WHERE " +
      std::string(where) + ") LIMIT 1";
  if (c.query_one(sql, {id}))
    throw ApiError::conflict(
        std::string(what) +
        " has bookings and cannot be deleted; change its name or price instead");
}

}  // namespace

boost::asio::awaitable<bool> CatalogueStore::delete_package(std::int64_t id, audit::Actor by) {
  co_return co_await db_.write([id, &by](db::Connection& c) {
    const auto before = load_package(c, id);
    if (!before) return false;
    refuse_if_booked(c, "package_id = $1", id, "A service type of this package");
    c.execute("DELETE FROM service_types WHERE package_id = $1", {id});
    c.execute("DELETE FROM packages WHERE id = $1", {id});
    audit::record(
        c, {by, "package.deleted", "package", std::to_string(id), to_json(*before), std::nullopt},
        now_utc());
    return true;
  });
}

boost::asio::awaitable<std::optional<Package>> CatalogueStore::add_type(ServiceType t,
                                                                        audit::Actor by) {
  co_return co_await db_.write([&](db::Connection& c) -> std::optional<Package> {
    if (!c.query_one("SELECT 1 FROM packages WHERE id = $1", {t.package_id})) return std::nullopt;
    t.id = 0;
    const auto id = insert_type(c, t);
    audit::record(c,
                  {by, "service_type.created", "service_type", std::to_string(id), std::nullopt,
                   to_json(*find_type(c, id))},
                  now_utc());
    return load_package(c, t.package_id);
  });
}

boost::asio::awaitable<std::optional<Package>> CatalogueStore::update_type(std::int64_t id,
                                                                           ServiceTypeChange ch,
                                                                           audit::Actor by) {
  co_return co_await db_.write([&](db::Connection& c) -> std::optional<Package> {
    const auto before = find_type(c, id);
    if (!before) return std::nullopt;
    c.execute(
        "UPDATE service_types SET name = COALESCE($2, name), "
        "description = CASE WHEN $3 = 1 THEN $4 ELSE description END, "
        "price = CASE WHEN $5 = 1 THEN $6 ELSE price END WHERE id = $1",
        {id, db::text_or_null(ch.name), std::int64_t{ch.set_description ? 1 : 0},
         db::text_or_null(ch.description), std::int64_t{ch.price ? 1 : 0},
         ch.price ? db::money(*ch.price) : db::Param{db::Null{}}});
    audit::record(c,
                  {by, "service_type.updated", "service_type", std::to_string(id), to_json(*before),
                   to_json(*find_type(c, id))},
                  now_utc());
    return load_package(c, before->package_id);
  });
}

boost::asio::awaitable<std::optional<Package>> CatalogueStore::delete_type(std::int64_t id,
                                                                           audit::Actor by) {
  co_return co_await db_.write([id, &by](db::Connection& c) -> std::optional<Package> {
    const auto before = find_type(c, id);
    if (!before) return std::nullopt;
    refuse_if_booked(c, "id = $1", id, "This service type");
    c.execute("DELETE FROM service_types WHERE id = $1", {id});
    audit::record(c,
                  {by, "service_type.deleted", "service_type", std::to_string(id), to_json(*before),
                   std::nullopt},
                  now_utc());
    return load_package(c, before->package_id);
  });
}

void move_ids_past_imported(db::Connection& c) {
  c.move_id_sequence_past_rows("packages");
  c.move_id_sequence_past_rows("service_types");
}

}  // namespace janji::catalogue
