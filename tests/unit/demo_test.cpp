#include "importer/demo.hpp"
#include "infra/db/migrations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

namespace janji {
namespace {

constexpr std::string_view kHeader =
    "Nama,Alamat,Tanggal_Acara,Tanggal_Booking,Jenis_Makeup,Jumlah_Client\n";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// The message of the runtime_error that parsing `csv` throws, or "" when it does not throw.
std::string parse_error(const std::string& csv) {
  try {
    parse_history_csv(csv);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(ParseHistoryCsv, EmbeddedDemoHas152Rows) {
  const auto rows = parse_history_csv(demo_bookings_csv());
  ASSERT_EQ(rows.size(), 152u);
  EXPECT_EQ(rows.front().name, "Lia");
  EXPECT_EQ(rows.front().district, "Toddopuli");
  EXPECT_EQ(rows.front().event_date, "2025-11-01");
  EXPECT_EQ(rows.front().booking_date, "2025-05-25");
  EXPECT_EQ(rows.front().kind, "Party");
  EXPECT_EQ(rows.front().clients, 2);
  EXPECT_EQ(rows.front().line, 2u);  // line 1 is the header
  EXPECT_EQ(rows.back().line, 153u);
}

TEST(ParseHistoryCsv, EveryEmbeddedRowHasAKnownKindAndPositiveClients) {
  for (const auto& r : parse_history_csv(demo_bookings_csv())) {
    EXPECT_FALSE(r.name.empty()) << r.line;
    EXPECT_GE(r.clients, 1) << r.line;
    EXPECT_FALSE(service_type_for_kind(r.kind).empty()) << r.line;
  }
}

TEST(ParseHistoryCsv, CrLfBlankLinesAndSpacesAreTolerated) {
  const auto rows = parse_history_csv(
      "Nama,Alamat,Tanggal_Acara,Tanggal_Booking,Jenis_Makeup,Jumlah_Client\r\n"
      "\r\n"
      " Lia , Toddopuli ,2025-11-01,2025-05-25, Party ,2\r\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].name, "Lia");
  EXPECT_EQ(rows[0].district, "Toddopuli");
  EXPECT_EQ(rows[0].kind, "Party");
  EXPECT_EQ(rows[0].line, 3u);
}

TEST(ParseHistoryCsv, WrongHeaderIsRefused) {
  EXPECT_NE(parse_error("Name,Address\nLia,Toddopuli\n").find("line 1"), std::string::npos);
}

TEST(ParseHistoryCsv, WrongColumnCountNamesTheLine) {
  const auto msg =
      parse_error(std::string(kHeader) + "Lia,Toddopuli,2025-11-01,2025-05-25,Party,2\n" +
                  "Atikah,Btp,2025-11-02,2025-05-31,Bridesmaid\n");
  EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("6 columns"), std::string::npos) << msg;
}

TEST(ParseHistoryCsv, ExtraColumnIsRefused) {
  const auto msg =
      parse_error(std::string(kHeader) + "Lia,Toddopuli,2025-11-01,2025-05-25,Party,2,x\n");
  EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
}

TEST(ParseHistoryCsv, BadEventDateNamesTheLine) {
  const auto msg =
      parse_error(std::string(kHeader) + "Lia,Toddopuli,2025-11-01,2025-05-25,Party,2\n" +
                  "Lia,Toddopuli,2025-11-01,2025-05-25,Party,2\n" +
                  "Lia,Toddopuli,2025-13-01,2025-05-25,Party,2\n");
  EXPECT_NE(msg.find("line 4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("2025-13-01"), std::string::npos) << msg;
}

TEST(ParseHistoryCsv, BadBookingDateNamesTheLine) {
  const auto msg =
      parse_error(std::string(kHeader) + "Lia,Toddopuli,2025-11-01,2025-02-30,Party,2\n");
  EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
}

TEST(ParseHistoryCsv, DateWithATimeIsRefused) {
  const auto msg =
      parse_error(std::string(kHeader) + "Lia,Toddopuli,2025-11-01T10:00:00,2025-05-25,Party,2\n");
  EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
}

TEST(ParseHistoryCsv, NonNumericClientCountNamesTheLine) {
  const auto msg =
      parse_error(std::string(kHeader) + "Lia,Toddopuli,2025-11-01,2025-05-25,Party,x\n");
  EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("Jumlah_Client"), std::string::npos) << msg;
}

TEST(ParseHistoryCsv, ZeroOrPartlyNumericClientCountIsRefused) {
  for (const char* clients : {"0", "-1", "2x", ""}) {
    const auto msg = parse_error(std::string(kHeader) +
                                 "Lia,Toddopuli,2025-11-01,2025-05-25,Party," + clients + "\n");
    EXPECT_NE(msg.find("line 2"), std::string::npos) << '"' << clients << "\": " << msg;
  }
}

TEST(ParseHistoryCsv, EmptyNameIsRefused) {
  const auto msg = parse_error(std::string(kHeader) + ",Toddopuli,2025-11-01,2025-05-25,Party,1\n");
  EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
}

TEST(ServiceTypeForKind, MapsEachHistoricKindToACatalogueType) {
  EXPECT_EQ(service_type_for_kind("Party"), "Reguler Party");
  EXPECT_EQ(service_type_for_kind("Wisuda"), "Premium Wisuda");
  EXPECT_EQ(service_type_for_kind("Ramah Tamah"), "Paket Ramah Tamah & Wisuda Premium");
  EXPECT_EQ(service_type_for_kind("Prewedding"), "Prewedding");
  EXPECT_EQ(service_type_for_kind("Bridesmaid"), "Premium Party");
}

TEST(ServiceTypeForKind, IgnoresCaseAndSurroundingSpaces) {
  EXPECT_EQ(service_type_for_kind("  wisuda "), "Premium Wisuda");
  EXPECT_EQ(service_type_for_kind("RAMAH TAMAH"), "Paket Ramah Tamah & Wisuda Premium");
}

TEST(DemoEmail, NameDotDistrictAtTheDemoDomain) {
  EXPECT_EQ(demo_email("Lia", "Toddopuli"), "lia.toddopuli@demo.janji.test");
}

TEST(DemoEmail, SameIdentityRegardlessOfCase) {
  EXPECT_EQ(demo_email("Atikah", "BTP"), demo_email("Atikah", "Btp"));
  EXPECT_EQ(demo_email("ATIKAH", "btp"), "atikah.btp@demo.janji.test");
}

TEST(DemoEmail, SpacesAndPunctuationBecomeSingleHyphens) {
  EXPECT_EQ(demo_email("Nur  Ain", "Btp, Blok M"), "nur-ain.btp-blok-m@demo.janji.test");
}

class SeedDemoTest : public testing::Test {
 protected:
  SeedDemoTest() : db_(db::open_database("sqlite://:memory:", 1)) { db::migrate(*db_); }

  std::int64_t count(const char* sql) {
    std::int64_t n = -1;
    db_->transaction(db::TxMode::kRead, [&](db::Connection& c) { n = c.query_one(sql)->int64(0); });
    return n;
  }

  std::unique_ptr<db::Database> db_;
  const bookings::PriorityRules rules_{};
};

TEST_F(SeedDemoTest, FirstRunAddsTheCatalogueAndEveryBooking) {
  const auto report = seed_demo(*db_, demo_bookings_csv(), rules_);
  EXPECT_EQ(report.service_types_added, 9);
  EXPECT_EQ(report.bookings_added, 152);
  EXPECT_EQ(report.bookings_present, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_types"), 9);
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_bookings"), 152);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), report.customers_added);
}

TEST_F(SeedDemoTest, SecondRunAddsNothing) {
  const auto first = seed_demo(*db_, demo_bookings_csv(), rules_);
  const auto second = seed_demo(*db_, demo_bookings_csv(), rules_);
  EXPECT_EQ(second.service_types_added, 0);
  EXPECT_EQ(second.customers_added, 0);
  EXPECT_EQ(second.bookings_added, 0);
  EXPECT_EQ(second.bookings_present, 152);
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_bookings"), 152);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), first.customers_added);
}

TEST_F(SeedDemoTest, OneCustomerPerDistinctNameAndDistrictIgnoringCase) {
  std::set<std::pair<std::string, std::string>> identities;
  for (const auto& r : parse_history_csv(demo_bookings_csv()))
    identities.emplace(lower(r.name), lower(r.district));
  const auto report = seed_demo(*db_, demo_bookings_csv(), rules_);
  EXPECT_EQ(report.customers_added, static_cast<int>(identities.size()));
}

TEST_F(SeedDemoTest, SeededBookingsAreCompletedAndPricedFromTheCatalogue) {
  seed_demo(*db_, demo_bookings_csv(), rules_);
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_bookings WHERE status <> 'completed'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_bookings b JOIN service_types t "
                  "ON t.id = b.service_type_id WHERE b.price_locked <> t.price"),
            0);
}

TEST_F(SeedDemoTest, MalformedCsvChangesNothing) {
  EXPECT_THROW(
      seed_demo(*db_, std::string(kHeader) + "Lia,Toddopuli,2025-13-01,2025-05-25,Party,2\n",
                rules_),
      std::runtime_error);
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_types"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM users"), 0);
}

}  // namespace
}  // namespace janji
