#include "importer/demo.hpp"

#include "audit/store.hpp"
#include "auth/store.hpp"
#include "bookings/service.hpp"
#include "bookings/store.hpp"
#include "catalogue/store.hpp"
#include "core/text.hpp"
#include "courses/store.hpp"
#include "courses/validation.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

namespace janji {

namespace {

struct DemoType {
  std::string_view package;
  std::string_view package_description;
  std::string_view name;
  std::string_view description;
  Money price;
};

constexpr DemoType kCatalogue[] = {
    {"Makeup Party", "Make-up for parties and celebrations", "Reguler Party",
     "Party, graduation photo, reception", 20'000'000},
    {"Makeup Party", "Make-up for parties and celebrations", "Premium Party",
     "Bridesmaid, mother/sister of the bride, school graduation", 30'000'000},
    {"Makeup Wisuda Premium", "Graduation make-up, premium", "Premium Wisuda",
     "Hotel room if open, hijab do, toga", 35'000'000},
    {"Makeup Wisuda Premium", "Graduation make-up, premium", "Paket Ramah Tamah & Wisuda Premium",
     "Farewell party and graduation, premium", 55'000'000},
    {"Makeup Wisuda Exclusive", "Graduation make-up, exclusive", "Exclusive Wisuda",
     "Free hijab do and softlens, toga", 50'000'000},
    {"Makeup Wisuda Exclusive", "Graduation make-up, exclusive",
     "Paket Ramah Tamah & Wisuda Exclusive", "Farewell party and graduation, exclusive",
     70'000'000},
    {"Makeup Lamaran", "Engagement and prewedding make-up", "Exclusive Engagement",
     "Engagement, exclusive", 50'000'000},
    {"Makeup Lamaran", "Engagement and prewedding make-up", "Reguler Engagement",
     "Engagement, regular", 40'000'000},
    {"Makeup Lamaran", "Engagement and prewedding make-up", "Prewedding",
     "Free softlens and hijab do; attire 50k extra", 40'000'000},
};

struct DemoCourse {
  std::string_view title;
  std::string_view description;
  std::string_view instrument;
  std::string_view level;
  Money price_per_session;
  int duration_minutes;
  int max_students;
};

constexpr DemoCourse kCourses[] = {
    {"Piano untuk Pemula", "Reading notes, posture and first pieces", "piano", "beginner",
     15'000'000, 60, 6},
    {"Gitar Akustik", "Chords, strumming and accompaniment", "guitar", "all_levels", 12'000'000, 60,
     8},
    {"Biola Menengah", "Scales, bowing technique and ensemble pieces", "violin", "intermediate",
     17'500'000, 60, 5},
    {"Vokal", "Breathing, pitch and performance", "voice", "all_levels", 10'000'000, 45, 10},
    {"Drum Lanjutan", "Grooves, fills and reading charts", "drums", "advanced", 20'000'000, 60, 4},
};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string slug(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c))
      out.push_back(static_cast<char>(std::tolower(c)));
    else if (!out.empty() && out.back() != '-')
      out.push_back('-');
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "x" : out;
}

Timestamp date_at_midnight(const std::string& date, std::size_t line) {
  auto t = parse_datetime(date);
  if (!t || date.size() != 10)
    throw std::runtime_error("line " + std::to_string(line) + ": invalid date '" + date + "'");
  return *t;
}

}  // namespace

std::vector<HistoricBooking> parse_history_csv(std::string_view csv) {
  std::vector<HistoricBooking> out;
  std::size_t line_no = 0;
  bool header = true;
  while (!csv.empty()) {
    const auto nl = csv.find('\n');
    std::string_view line = csv.substr(0, nl);
    csv = nl == std::string_view::npos ? std::string_view{} : csv.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    std::vector<std::string> cols;
    std::size_t start = 0;
    for (;;) {
      const auto comma = line.find(',', start);
      cols.push_back(trim(line.substr(start, comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (header) {
      header = false;
      if (cols.size() != 6 || cols[0] != "Nama")
        throw std::runtime_error("line 1: expected the header Nama,Alamat,Tanggal_Acara,...");
      continue;
    }
    if (cols.size() != 6)
      throw std::runtime_error("line " + std::to_string(line_no) + ": expected 6 columns, found " +
                               std::to_string(cols.size()));
    HistoricBooking b{line_no, cols[0], cols[1], cols[2], cols[3], cols[4], 0};
    try {
      std::size_t used = 0;
      b.clients = std::stoll(cols[5], &used);
      if (used != cols[5].size() || b.clients < 1) throw std::invalid_argument("range");
    } catch (const std::exception&) {
      throw std::runtime_error("line " + std::to_string(line_no) + ": invalid Jumlah_Client '" +
                               cols[5] + "'");
    }
    if (b.name.empty())
      throw std::runtime_error("line " + std::to_string(line_no) + ": empty Nama");
    date_at_midnight(b.event_date, line_no);
    date_at_midnight(b.booking_date, line_no);
    out.push_back(std::move(b));
  }
  return out;
}

std::string_view service_type_for_kind(std::string_view kind) {
  const auto k = ascii_lower(trim(kind));
  if (k == "party" || k == "foto ijazah" || k == "penari") return "Reguler Party";
  if (k == "bridesmaid") return "Premium Party";
  if (k == "wisuda" || k == "yudisium") return "Premium Wisuda";
  if (k == "ramah tamah") return "Paket Ramah Tamah & Wisuda Premium";
  if (k == "prewedding") return "Prewedding";
  if (k == "lamaran" || k == "engagement") return "Reguler Engagement";
  return "Reguler Party";
}

std::string demo_email(std::string_view name, std::string_view district) {
  return slug(name) + "." + slug(district) + "@demo.janji.test";
}

DemoReport seed_demo(db::Database& db, std::string_view csv, const bookings::PriorityRules& rules) {
  const auto history = parse_history_csv(csv);
  DemoReport report;
  db.transaction(db::TxMode::kWrite, [&](db::Connection& c) {
    std::map<std::string, std::int64_t> type_ids;
    std::map<std::string, Money> type_prices;
    for (const auto& t : kCatalogue) {
      const std::string package_name(t.package);
      std::int64_t package_id;
      if (auto p = catalogue::find_package_by_name(c, package_name))
        package_id = p->id;
      else
        package_id =
            catalogue::insert_package(c, {0, package_name, std::string(t.package_description), {}});
      const std::string name(t.name);
      auto type = catalogue::find_type_by_name(c, package_id, name);
      if (!type) {
        type = catalogue::ServiceType{0, package_id, name, std::string(t.description), t.price};
        type->id = catalogue::insert_type(c, *type);
        ++report.service_types_added;
      }
      type_ids[name] = type->id;
      type_prices[name] = type->price;
    }

    for (const auto& course : kCourses) {
      if (courses::find_course_by_title(c, std::string(course.title))) continue;
      const auto now = now_utc();
      courses::insert_course(
          c, {courses::new_uuid(), std::string(course.title), std::string(course.description),
              std::string(course.instrument), std::string(course.level), course.price_per_session,
              course.duration_minutes, course.max_students, true, now, now});
      ++report.courses_added;
    }

    const auto now = now_utc();
    std::map<std::string, std::int64_t> customers;
    for (const auto& h : history) {
      const auto email = demo_email(h.name, h.district);
      auto& id = customers[email];
      if (id == 0) {
        if (auto u = auth::find_user_by_email(c, email)) {
          id = u->id;
        } else {
          // "!" is no password hash: demo customers cannot log in.
          id = auth::insert_user(c, {h.name, email, h.district, std::nullopt, "customer"}, "!").id;
          ++report.customers_added;
        }
      }
      const auto type = std::string(service_type_for_kind(h.kind));
      bookings::Booking b;
      b.user_id = id;
      b.service_type_id = type_ids.at(type);
      b.price_locked = type_prices.at(type);
      b.status = "completed";
      b.tanggal_booking = date_at_midnight(h.booking_date, h.line);
      b.tanggal_acara = date_at_midnight(h.event_date, h.line);
      b.jumlah_client = h.clients;
      bookings::rescore(b, rules, now);
      if (bookings::insert_loaded_booking(c, b, "demo:alfiyah:" + std::to_string(h.line)))
        ++report.bookings_added;
      else
        ++report.bookings_present;
    }
    // Loaded from the command line: no actor.
    audit::record(c,
                  {std::nullopt, "import.demo", "import", "demo", std::nullopt,
                   boost::json::object{{"courses_added", report.courses_added},
                                       {"service_types_added", report.service_types_added},
                                       {"customers_added", report.customers_added},
                                       {"bookings_added", report.bookings_added},
                                       {"bookings_present", report.bookings_present}}},
                  now);
  });
  return report;
}

}  // namespace janji
