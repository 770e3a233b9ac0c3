#pragma once

#include "bookings/priority.hpp"
#include "infra/db/db.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace janji {

/// One row of the historic make-up bookings CSV.
struct HistoricBooking {
  std::size_t line = 0;
  std::string name;
  std::string district;
  std::string event_date;    // YYYY-MM-DD
  std::string booking_date;  // YYYY-MM-DD
  std::string kind;          // Jenis_Makeup
  long long clients = 0;
};

/// Parses "Nama,Alamat,Tanggal_Acara,Tanggal_Booking,Jenis_Makeup,Jumlah_Client"; throws
/// std::runtime_error naming the line on malformed input.
std::vector<HistoricBooking> parse_history_csv(std::string_view csv);

/// The demo catalogue's service type closest to a make-up kind of the history.
std::string_view service_type_for_kind(std::string_view kind);

/// "Lia", "Toddopuli" → "lia.toddopuli@demo.janji.test"
std::string demo_email(std::string_view name, std::string_view district);

struct DemoReport {
  int courses_added = 0;
  int service_types_added = 0;
  int customers_added = 0;
  int bookings_added = 0;
  int bookings_present = 0;
};

/// Loads the demo catalogue and the history; running it again adds nothing.
DemoReport seed_demo(db::Database& db, std::string_view csv, const bookings::PriorityRules& rules);

/// The history that ships inside the binary.
std::string_view demo_bookings_csv();

}  // namespace janji
