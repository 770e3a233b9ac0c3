#include "importer/mysql_dump.hpp"
#include "importer/alfiyah.hpp"

#include <gtest/gtest.h>

using namespace janji::importer;

namespace {

const char* kPhpMyAdmin = R"(-- phpMyAdmin SQL Dump
-- version 5.2.1
SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";
START TRANSACTION;
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;

# a hash comment
CREATE TABLE `users` (
  `id` int(11) NOT NULL,
  `name` varchar(255) NOT NULL,
  `email` varchar(255) NOT NULL COMMENT 'login, unique',
  `address` text DEFAULT NULL,
  `phone_number` varchar(20) DEFAULT NULL,
  `hashed_password` varchar(255) NOT NULL,
  `role` enum('customer','admin') NOT NULL DEFAULT 'customer',
  PRIMARY KEY (`id`),
  UNIQUE KEY `ix_users_email` (`email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO `users` (`id`, `name`, `email`, `address`, `phone_number`, `hashed_password`, `role`) VALUES
(1, 'Siti Nur\'aini', 'siti@example.com', 'Jl. Mawar 5\nBandung', NULL, '$2b$12$abc', 'customer'),
(2, 'O''Brien \\ Back', 'ob@example.com', 'a;b,c)(', '0812', '$2b$12$def', 'admin'),
(3, 'Zoë Ñandú 茶', 'z@example.com', _utf8mb4'x', X'4142', '$2y$10$ghi', 'customer');

ALTER TABLE `users` ADD PRIMARY KEY (`id`);
COMMIT;
)";

}  // namespace

TEST(MysqlDump, ReadsAPhpMyAdminDump) {
  const auto dump = parse_mysql_dump(kPhpMyAdmin);
  ASSERT_EQ(dump.size(), 1u);
  const auto& t = dump.at("users");
  EXPECT_EQ(t.columns, (std::vector<std::string>{"id", "name", "email", "address", "phone_number",
                                                 "hashed_password", "role"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].values[1], "Siti Nur'aini");
  EXPECT_EQ(t.rows[0].values[3], "Jl. Mawar 5\nBandung");
  EXPECT_FALSE(t.rows[0].values[4].has_value());
  EXPECT_EQ(t.rows[0].values[0], "1");
  EXPECT_EQ(t.rows[1].values[1], "O'Brien \\ Back");
  EXPECT_EQ(t.rows[1].values[3], "a;b,c)(");
  EXPECT_EQ(t.rows[2].values[1],
            "Zo\xC3\xAB \xC3\x91"
            "and\xC3\xBA \xE8\x8C\xB6");
  EXPECT_EQ(t.rows[2].values[3], "x");
  EXPECT_EQ(t.rows[2].values[4], "AB");
  EXPECT_EQ(t.rows[0].line, 22u);
  EXPECT_EQ(t.rows[2].line, 24u);
}

TEST(MysqlDump, EscapesFollowMysql) {
  const auto dump = parse_mysql_dump(
      "INSERT INTO t (a) VALUES ('\\0\\b\\t\\r\\Z\\\"\\\\\\%\\_\\q'), (\"dq \"\" 'x'\");");
  const auto& rows = dump.at("t").rows;
  EXPECT_EQ(*rows[0].values[0], std::string("\0\b\t\r\x1A\"\\\\%\\_q", 12));
  EXPECT_EQ(*rows[1].values[0], "dq \" 'x'");
}

TEST(MysqlDump, InsertWithoutColumnListUsesCreateTableOrder) {
  const auto dump = parse_mysql_dump(
      "CREATE TABLE IF NOT EXISTS `p` (`id` int, `name` text, KEY `k` (`name`(10)));\n"
      "INSERT INTO `p` VALUES (1,'a'),(2,'b');\nINSERT IGNORE INTO p VALUES (3,'c');");
  const auto& t = dump.at("p");
  EXPECT_EQ(t.columns, (std::vector<std::string>{"id", "name"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[2].values[1], "c");
}

TEST(MysqlDump, TruncatedDumpsAreRefusedWithTheLine) {
  const std::string full = kPhpMyAdmin;
  // Cut inside the last row's string, then just before the INSERT's closing ';'.
  for (const auto cut : {full.find("'$2y$10$ghi") + 4, full.find("');") + 2}) {
    try {
      parse_mysql_dump(full.substr(0, cut));
      FAIL() << "accepted a dump cut at " << cut;
    } catch (const DumpError& e) {
      EXPECT_NE(e.reason().find("cut short"), std::string::npos) << e.what();
      EXPECT_GE(e.line(), 21u);
    }
  }
  EXPECT_THROW(parse_mysql_dump("CREATE TABLE `x` (`id` int"), DumpError);
  EXPECT_THROW(parse_mysql_dump("/* never closed"), DumpError);
}

TEST(MysqlDump, MalformedRowsAreRefused) {
  try {
    parse_mysql_dump("INSERT INTO t (a, b) VALUES (1, 2),\n(3);");
    FAIL();
  } catch (const DumpError& e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_NE(e.reason().find("1 values for 2 columns"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_mysql_dump("INSERT INTO t (a) VALUES (NOW());"), DumpError);
  EXPECT_THROW(parse_mysql_dump("INSERT INTO t (a) VALUES (1) (2);"), DumpError);
}

TEST(LegacyImport, StatusesMapToJanjis) {
  EXPECT_EQ(map_legacy_status("pending"), "pending");
  EXPECT_EQ(map_legacy_status(" DP "), "dp");
  EXPECT_EQ(map_legacy_status("Lunas"), "paid");
  EXPECT_EQ(map_legacy_status("canceled"), "cancelled");
  EXPECT_EQ(map_legacy_status("selesai"), "completed");
  EXPECT_FALSE(map_legacy_status("shipped"));
  EXPECT_FALSE(map_legacy_status(""));
}

TEST(LegacyImport, PasswordHashFormats) {
  EXPECT_TRUE(
      is_importable_password_hash("$2b$12$KIXQJ1r5kq0gT6m1q9r7DeSx0i0zv6m8dC8h1Q0m3Yy4aQJ0pXc6K"));
  EXPECT_TRUE(
      is_importable_password_hash("$2y$10$KIXQJ1r5kq0gT6m1q9r7DeSx0i0zv6m8dC8h1Q0m3Yy4aQJ0pXc6K"));
  EXPECT_TRUE(is_importable_password_hash("$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"));
  EXPECT_FALSE(
      is_importable_password_hash("$2x$12$KIXQJ1r5kq0gT6m1q9r7DeSx0i0zv6m8dC8h1Q0m3Yy4aQJ0pXc6K"));
  EXPECT_FALSE(is_importable_password_hash("$2b$12$short"));
  EXPECT_FALSE(is_importable_password_hash("plaintext-password"));
  EXPECT_FALSE(is_importable_password_hash("$1$md5$hash"));
}

TEST(LegacyImport, RowsAreCheckedWithFileAndLine) {
  Sources src;
  src.users =
      DumpFile{"users.sql",
               parse_mysql_dump(
                   "INSERT INTO users (id, name, email, hashed_password, role) VALUES\n"
                   "(1, 'Ana', 'ana@example.com', "
                   "'$2b$12$KIXQJ1r5kq0gT6m1q9r7DeSx0i0zv6m8dC8h1Q0m3Yy4aQJ0pXc6K', 'customer'),\n"
                   "(2, 'Bo', 'not-an-email', "
                   "'$2b$12$KIXQJ1r5kq0gT6m1q9r7DeSx0i0zv6m8dC8h1Q0m3Yy4aQJ0pXc6K', 'customer'),\n"
                   "(3, 'Cy', 'ANA@example.com', "
                   "'$2b$12$KIXQJ1r5kq0gT6m1q9r7DeSx0i0zv6m8dC8h1Q0m3Yy4aQJ0pXc6K', 'root');")};
  src.transactions = DumpFile{
      "tx.sql", parse_mysql_dump(
                    "INSERT INTO transactions (id, user_id, service_type_id, price_locked, status, "
                    "tanggal_booking, tanggal_acara, jumlah_client) VALUES\n"
                    "(7, 1, 2, '500000.00', 'dp', '2024-05-01 10:00:00', '2024-06-01', 2),\n"
                    "(8, 1, 2, 'lots', 'dp', '2024-05-01 10:00:00', '2024-06-01', 2),\n"
                    "(9, 1, 2, '1.00', 'shipped', '2024-05-01 10:00:00', '2024-06-01', 0);")};
  std::vector<Problem> problems;
  const auto legacy = read_legacy(src, problems);
  ASSERT_EQ(legacy.users.size(), 1u);
  EXPECT_EQ(legacy.users[0].user.email, "ana@example.com");
  ASSERT_EQ(legacy.bookings.size(), 1u);
  EXPECT_EQ(legacy.bookings[0].booking.price_locked, 50'000'000);
  EXPECT_EQ(legacy.bookings[0].booking.status, "dp");
  std::vector<std::string> got;
  for (const auto& p : problems) got.push_back(to_string(p));
  ASSERT_EQ(got.size(), 4u) << ::testing::PrintToString(got);
  EXPECT_NE(got[0].find("users.sql:3: email 'not-an-email'"), std::string::npos) << got[0];
  EXPECT_NE(got[1].find("users.sql:4: role 'root'"), std::string::npos) << got[1];
  EXPECT_NE(got[2].find("tx.sql:3: price_locked 'lots'"), std::string::npos) << got[2];
  EXPECT_NE(got[3].find("tx.sql:4: jumlah_client '0'"), std::string::npos) << got[3];
}

TEST(LegacyImport, MissingTablesAndColumnsAreProblems) {
  Sources src;
  src.users = DumpFile{"u.sql", parse_mysql_dump("INSERT INTO users (id, name) VALUES (1, 'x');")};
  src.transactions = DumpFile{"t.sql", parse_mysql_dump("-- empty\n")};
  std::vector<Problem> problems;
  read_legacy(src, problems);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(to_string(problems[0]), "u.sql:1: `users` has no column `email`");
  EXPECT_EQ(to_string(problems[1]), "u.sql:1: `users` has no column `hashed_password`");
  EXPECT_EQ(to_string(problems[2]), "t.sql:1: holds no `transactions` table");
}
