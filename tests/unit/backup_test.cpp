#include "infra/db/backup_job.hpp"
#include "infra/db/sqlite_backup.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace janji::db {
namespace {

namespace fs = std::filesystem;
using std::chrono::system_clock;

system_clock::time_point at(std::time_t secs) {
  return system_clock::from_time_t(secs);
}

TEST(BackupNames, AreTheUtcTimeAndReadBack) {
  const auto t = at(1796527878);  // 2026-12-06T03:31:18Z
  EXPECT_EQ(backup_name(t), "janji-20261206T033118Z.db");
  EXPECT_EQ(backup_time("janji-20261206T033118Z.db"), t);
  for (const char* other :
       {"janji.db", "janji-20261206T033118Z.db.part", "notes.txt", "janji-2026120XT033118Z.db",
        "xjanji-20261206T033118Z.db", "janji-20261206T033118Z.sql"})
    EXPECT_FALSE(backup_time(other)) << other;
}

TEST(BackupRotation, DeletesTheOldestBeyondKeepAndNothingElse) {
  const std::vector<std::string> names = {
      "janji-20261203T000000Z.db", "janji-20261201T000000Z.db", "mine.db",
      "janji-20261205T000000Z.db", "janji-20261202T000000Z.db", "janji-20261204T000000Z.db.part"};
  EXPECT_EQ(backups_to_delete(names, 2),
            (std::vector<std::string>{"janji-20261201T000000Z.db", "janji-20261202T000000Z.db"}));
  EXPECT_TRUE(backups_to_delete(names, 4).empty());
  EXPECT_EQ(backups_to_delete(names, 1).size(), 3u);
}

TEST(SqliteFile, IsThePathOfASqliteUrlOnly) {
  EXPECT_EQ(sqlite_file("sqlite:///./data/janji.db"), "./data/janji.db");
  EXPECT_EQ(sqlite_file("sqlite:////var/lib/janji/janji.db"), "/var/lib/janji/janji.db");
  EXPECT_FALSE(sqlite_file("sqlite://:memory:"));
  EXPECT_FALSE(sqlite_file("postgresql://u:p@127.0.0.1/janji"));
}

// A scratch folder, removed afterwards.
struct Folder {
  fs::path path =
      fs::temp_directory_path() / ("janji-backup-test-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  Folder() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Folder() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

void exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

std::string one(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* st = nullptr;
  std::string out = "(none)";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

const char* kJanjiLike =
    "PRAGMA journal_mode=WAL; CREATE TABLE schema_migrations (version INTEGER);"
    "CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('satu'), ('dua');";

TEST(SqliteBackup, CopiesCheckedAndAloneAndRefusesToOverwrite) {
  Folder dir;
  exec(dir / "janji.db", kJanjiLike);
  const auto done = backup_sqlite(dir / "janji.db", dir / "copy.db");
  EXPECT_GT(done.pages, 0);
  EXPECT_EQ(done.bytes, static_cast<std::int64_t>(fs::file_size(dir / "copy.db")));
  EXPECT_EQ(integrity_check(dir / "copy.db"), "ok");
  EXPECT_EQ(one(dir / "copy.db", "SELECT group_concat(x) FROM t"), "satu,dua");
  EXPECT_EQ(one(dir / "copy.db", "PRAGMA journal_mode"), "delete");
  EXPECT_FALSE(fs::exists(dir / "copy.db.part"));
  EXPECT_EQ(fs::status(dir / "copy.db").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_THROW(backup_sqlite(dir / "janji.db", dir / "copy.db"), std::runtime_error);
  EXPECT_THROW(backup_sqlite(dir / "absent.db", dir / "other.db"), std::runtime_error);
  EXPECT_FALSE(fs::exists(dir / "other.db"));
}

TEST(SqliteRestore, ReplacesAndKeepsTheOldFileAside) {
  Folder dir;
  exec(dir / "janji.db", kJanjiLike);
  backup_sqlite(dir / "janji.db", dir / "copy.db");
  exec(dir / "janji.db", "INSERT INTO t VALUES ('tiga')");
  const auto aside = restore_sqlite(dir / "copy.db", dir / "janji.db", at(1796527878));
  EXPECT_EQ(aside, dir / "janji.db.replaced-20261206T033118Z");
  EXPECT_EQ(one(dir / "janji.db", "SELECT group_concat(x) FROM t"), "satu,dua");
  EXPECT_EQ(one(aside, "SELECT group_concat(x) FROM t"), "satu,dua,tiga");
  // Into an empty place: nothing to keep aside.
  EXPECT_EQ(restore_sqlite(dir / "copy.db", dir / "new/janji.db", at(0)), "");
  EXPECT_EQ(one(dir / "new/janji.db", "SELECT count(*) FROM t"), "2");
}

TEST(SqliteRestore, RefusesWhileInUseAndWhatIsNotABackup) {
  Folder dir;
  exec(dir / "janji.db", kJanjiLike);
  backup_sqlite(dir / "janji.db", dir / "copy.db");
  {
    UseLock server(dir / "janji.db", UseLock::Mode::kShared);
    EXPECT_THROW(restore_sqlite(dir / "copy.db", dir / "janji.db", at(0)), UseLock::InUse);
  }
  exec(dir / "other.db", "CREATE TABLE t (x)");
  EXPECT_THROW(restore_sqlite(dir / "other.db", dir / "janji.db", at(0)), std::runtime_error);
  std::ofstream(dir / "garbage.db") << "not a database at all, just some text";
  EXPECT_THROW(restore_sqlite(dir / "garbage.db", dir / "janji.db", at(0)), std::exception);
  EXPECT_EQ(one(dir / "janji.db", "SELECT count(*) FROM t"), "2") << "left as it was";
  EXPECT_NO_THROW(restore_sqlite(dir / "copy.db", dir / "janji.db", at(0)));
}

TEST(BackupJob, WritesIntoTheFolderAndKeepsTheNewest) {
  Folder dir;
  exec(dir / "janji.db", kJanjiLike);
  fs::create_directories(dir / "backups");
  for (const char* old :
       {"janji-20200101T000000Z.db", "janji-20200102T000000Z.db", "janji-20200103T000000Z.db"})
    std::ofstream(dir / ("backups/" + std::string(old))) << "old";
  std::ofstream(dir / "backups/keep-me.txt") << "not a backup";
  const auto path = back_up_and_rotate(dir / "janji.db", dir / "backups", 2);
  EXPECT_EQ(integrity_check(path), "ok");
  EXPECT_TRUE(fs::exists(dir / "backups/janji-20200103T000000Z.db"));
  EXPECT_FALSE(fs::exists(dir / "backups/janji-20200102T000000Z.db"));
  EXPECT_FALSE(fs::exists(dir / "backups/janji-20200101T000000Z.db"));
  EXPECT_TRUE(fs::exists(dir / "backups/keep-me.txt"));
  EXPECT_EQ(fs::status(dir / "backups").permissions() & fs::perms::all, fs::perms::owner_all);
}

}  // namespace
}  // namespace janji::db
