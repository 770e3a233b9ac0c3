#include "app/import_command.hpp"

#include "importer/alfiyah.hpp"
#include "infra/db/for_command.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace janji {

namespace {

using importer::DumpFile;
using importer::Problem;

// Reads and parses one dump; a malformed one becomes a problem with its file and line.
std::optional<DumpFile> load(const std::string& path, std::vector<Problem>& problems) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back({path, 0, "cannot be read"});
    return std::nullopt;
  }
  std::cerr << "reading " << path << "\n";
  std::stringstream ss;
  ss << in.rdbuf();
  try {
    return DumpFile{path, importer::parse_mysql_dump(ss.str())};
  } catch (const importer::DumpError& e) {
    problems.push_back({path, e.line(), e.reason()});
    return std::nullopt;
  }
}

std::string counted(const importer::TableCount& c, const char* what) {
  return std::to_string(c.added) + " " + what + " (" + std::to_string(c.present) +
         " already there)";
}

}  // namespace

int run_import_alfiyah(const Config& config, const ImportArgs& args) {
  if (args.dumps.empty() && (args.users.empty() || args.transactions.empty())) {
    std::cerr << "janji: import-alfiyah needs --users FILE and --transactions FILE, or one "
                 "whole-database dump\n";
    return 2;
  }
  std::vector<Problem> problems;
  importer::Sources sources;
  auto named = [&](const std::string& path, std::optional<DumpFile>& slot) {
    if (!path.empty()) slot = load(path, problems);
  };
  named(args.users, sources.users);
  named(args.transactions, sources.transactions);
  named(args.packages, sources.packages);
  named(args.service_types, sources.service_types);
  for (const auto& path : args.dumps)
    if (auto f = load(path, problems)) sources.whole.push_back(std::move(*f));

  importer::Legacy legacy;
  if (problems.empty()) legacy = importer::read_legacy(sources, problems);
  const auto refuse = [&](const std::vector<Problem>& found) {
    for (const auto& p : found) std::cerr << "error: " << importer::to_string(p) << "\n";
    std::cerr << "import-alfiyah: " << found.size() << " problem(s) found; nothing was "
              << "written\n";
    return 1;
  };
  if (!problems.empty()) return refuse(problems);

  std::cerr << "read " << legacy.packages.size() << " package(s), " << legacy.service_types.size()
            << " service type(s), " << legacy.users.size() << " user(s) and "
            << legacy.bookings.size() << " booking(s)\n";

  auto db = open_for_command(config.database_url);
  const auto report =
      importer::import_legacy(*db, legacy, config.priority, now_utc(), args.dry_run,
                              [](std::string_view table, std::size_t done, std::size_t total) {
                                std::cerr << "  " << table << ": " << done << "/" << total << " ("
                                          << (total ? done * 100 / total : 100) << "%)\n";
                              });
  if (!report.problems.empty()) return refuse(report.problems);

  const auto summary = counted(report.packages, "package(s)") + ", " +
                       counted(report.service_types, "service type(s)") + ", " +
                       counted(report.users, "user(s)") + ", " +
                       counted(report.bookings, "booking(s)");
  const auto added = report.packages.added + report.service_types.added + report.users.added +
                     report.bookings.added;
  if (args.dry_run) {
    std::cout << "dry run, nothing written; would import " << summary << "\n";
  } else if (added == 0) {
    std::cout << "nothing to import: every row is already there (" << summary << ")\n";
  } else {
    std::cout << "imported " << summary << "\n";
  }
  return 0;
}

}  // namespace janji
