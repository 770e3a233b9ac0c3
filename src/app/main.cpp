// janji: the booking backend. Subcommands: serve, migrate, admin create, seed-demo,
// import-alfiyah, backup, restore, openapi.
#include "app/app.hpp"
#include "app/backup_command.hpp"
#include "app/import_command.hpp"
#include "app/openapi.hpp"
#include "auth/admin.hpp"
#include "importer/demo.hpp"
#include "infra/crypto/crypto.hpp"
#include "infra/db/for_command.hpp"
#include "infra/db/migrations.hpp"
#include "infra/logging.hpp"
#include "infra/redis/url.hpp"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <sys/resource.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace {

// Every connection is a descriptor: lift the soft limit (often 1024) to the hard one, so
// thousands of idle keep-alive clients do not lock everyone else out.
void raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= lim.rlim_max) return;
  const auto soft = lim.rlim_cur;
  lim.rlim_cur = lim.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
    spdlog::warn("could not raise the open file limit from {}", soft);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Janji: bookings for small businesses"};
  cli.require_subcommand(1);

  janji::Config config;
  try {
    config = janji::load_config();
  } catch (const std::exception& e) {
    std::cerr << "janji: configuration error: " << e.what() << "\n";
    return 2;
  }

  auto* serve = cli.add_subcommand("serve", "Run the server (applies pending migrations first)");
  serve->add_option("--port", config.port, "Port to listen on (PORT)");
  serve->add_option("--host", config.host, "Address to listen on (HOST)");
  serve->add_option("--database", config.database_url, "Database URL (DATABASE_URL)");
  std::string redis;
  serve->add_option("--redis", redis, "Redis URL (REDIS_URL)");

  auto* migrate = cli.add_subcommand("migrate", "Apply pending migrations and exit");
  migrate->add_option("--database", config.database_url, "Database URL (DATABASE_URL)");

  auto* admin = cli.add_subcommand("admin", "Manage admins");
  admin->require_subcommand(1);
  auto* admin_create =
      admin->add_subcommand("create", "Create an admin, or promote an existing user");
  std::string admin_email, admin_password, admin_name = "Admin";
  admin_create->add_option("--email", admin_email, "E-mail address")->required();
  admin_create->add_option("--password", admin_password, "Password (at least 8 characters)")
      ->required();
  admin_create->add_option("--name", admin_name, "Display name");
  admin_create->add_option("--database", config.database_url, "Database URL (DATABASE_URL)");

  auto* seed = cli.add_subcommand("seed-demo", "Load the demo catalogue and booking history");
  std::string csv_path;
  seed->add_option("--csv", csv_path, "History CSV to load instead of the one built in");
  seed->add_option("--database", config.database_url, "Database URL (DATABASE_URL)");

  auto* import = cli.add_subcommand(
      "import-alfiyah", "Import the original backend's MySQL dumps (users, bookings, catalogue)");
  janji::ImportArgs import_args;
  import->add_option("--users", import_args.users, "Dump of the `users` table");
  import->add_option("--transactions", import_args.transactions,
                     "Dump of the `transactions` table (the bookings)");
  import->add_option("--packages", import_args.packages, "Dump of the `packages` table");
  import->add_option("--service-types", import_args.service_types,
                     "Dump of the `service_types` table");
  import->add_option("dumps", import_args.dumps, "Whole-database dump(s) holding those tables");
  import->add_flag("--dry-run", import_args.dry_run,
                   "Check everything and print what would be imported; write nothing");
  import->add_option("--database", config.database_url, "Database URL (DATABASE_URL)");

  auto* backup = cli.add_subcommand(
      "backup", "Write a consistent copy of the SQLite database to FILE (safe while serving)");
  std::string backup_file;
  backup->add_option("FILE", backup_file, "Where the copy goes (must not exist)")->required();
  backup->add_option("--database", config.database_url, "Database URL (DATABASE_URL)");

  auto* restore = cli.add_subcommand(
      "restore", "Replace the SQLite database with the backup FILE (no server may be running)");
  std::string restore_file;
  restore->add_option("FILE", restore_file, "A backup written by `janji backup`")->required();
  restore->add_option("--database", config.database_url, "Database URL (DATABASE_URL)");

  auto* openapi = cli.add_subcommand(
      "openapi", "Print the OpenAPI document that `serve` answers at /openapi.json");

  CLI11_PARSE(cli, argc, argv);
  if (!redis.empty()) {
    try {
      janji::redis::parse_url(redis);
    } catch (const std::exception& e) {
      std::cerr << "janji: --redis: " << e.what() << "\n";
      return 2;
    }
    config.redis_url = redis;
  }

  // The document goes to stdout; the in-memory database's migrations need no mention.
  if (openapi->parsed()) config.log_level = "warn";

  try {
    janji::setup_logging(config.log_level, janji::parse_log_format(config.log_format));
    janji::crypto::init();

    if (serve->parsed()) {
      raise_open_file_limit();
      janji::log_in_batches();
      struct StopLogging {
        ~StopLogging() { janji::stop_logging(); }
      } stop_logging;
      try {
        janji::App app(config);
        return app.serve();
      } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return 1;
      }
    }

    if (import->parsed()) return janji::run_import_alfiyah(config, import_args);
    if (backup->parsed()) return janji::run_backup(config, backup_file);
    if (restore->parsed()) return janji::run_restore(config, restore_file);

    if (openapi->parsed()) {
      // The routes are the ones `serve` declares; the document needs no data, no Redis and
      // no key, so none of the configured ones is touched.
      config.database_url = "sqlite://:memory:";
      config.redis_url.reset();
      config.secret_key = std::string(64, 'k');
      config.io_threads = config.db_threads = config.hash_threads = 1;
      const janji::App app(config);
      std::cout << boost::json::serialize(janji::build_openapi(app.router())) << "\n";
      return 0;
    }

    janji::db::MigrationReport report;
    auto db = janji::open_for_command(config.database_url, &report);

    if (migrate->parsed()) {
      std::cout << "applied " << report.applied << " migration(s); schema at version "
                << report.current_version << "\n";
      return 0;
    }

    if (admin_create->parsed()) {
      janji::auth::NewAdmin new_admin;
      try {
        new_admin = janji::auth::check_admin(admin_name, admin_email, admin_password);
      } catch (const janji::auth::InvalidAdmin& e) {
        if (e.field() == janji::auth::InvalidAdmin::Field::kEmail)
          std::cerr << "janji: invalid --email: " << e.what() << "\n";
        else
          std::cerr << "janji: --password " << e.what() << "\n";
        return 2;
      }
      switch (janji::auth::create_or_promote_admin(*db, new_admin)) {
        case janji::auth::AdminOutcome::kCreated:
          std::cout << "created admin " << new_admin.email << "\n";
          break;
        case janji::auth::AdminOutcome::kPromoted:
          std::cout << "promoted " << new_admin.email << " to admin and set the password\n";
          break;
        default:
          std::cout << new_admin.email << " is an admin; password updated\n";
          break;
      }
      return 0;
    }

    if (seed->parsed()) {
      std::string csv;
      if (!csv_path.empty()) {
        std::ifstream in(csv_path);
        if (!in) {
          std::cerr << "janji: cannot read " << csv_path << "\n";
          return 2;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        csv = ss.str();
      } else {
        csv = std::string(janji::demo_bookings_csv());
      }
      const auto r = janji::seed_demo(*db, csv, config.priority);
      std::cout << "seed-demo: " << r.courses_added << " course(s), " << r.service_types_added
                << " service type(s), " << r.customers_added << " customer(s) and "
                << r.bookings_added << " booking(s) added; " << r.bookings_present
                << " booking(s) were already there\n";
      return 0;
    }
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  return 0;
}
