#include "importer/alfiyah.hpp"

#include "audit/store.hpp"

#include "auth/store.hpp"
#include "bookings/service.hpp"
#include "bookings/store.hpp"
#include "catalogue/store.hpp"
#include "core/fields.hpp"
#include "core/text.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <map>
#include <set>

namespace janji::importer {

std::string to_string(const Problem& p) {
  return p.file + ":" + std::to_string(p.line) + ": " + p.reason;
}

std::optional<std::string> map_legacy_status(std::string_view status) {
  static const std::map<std::string, std::string, std::less<>> kStatuses = {
      {"pending", "pending"},
      {"menunggu", "pending"},
      {"waiting", "pending"},
      {"confirmed", "confirmed"},
      {"dikonfirmasi", "confirmed"},
      {"approved", "confirmed"},
      {"dp", "dp"},
      {"down_payment", "dp"},
      {"down payment", "dp"},
      {"paid", "paid"},
      {"lunas", "paid"},
      {"completed", "completed"},
      {"complete", "completed"},
      {"done", "completed"},
      {"selesai", "completed"},
      {"cancelled", "cancelled"},
      {"canceled", "cancelled"},
      {"batal", "cancelled"},
      {"dibatalkan", "cancelled"}};
  auto s = status;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  const auto it = kStatuses.find(ascii_lower(s));
  if (it == kStatuses.end()) return std::nullopt;
  return it->second;
}

bool is_importable_password_hash(std::string_view hash) {
  if (hash.rfind("$argon2id$", 0) == 0) return true;
  // $2b$12$ + 22 characters of salt + 31 of hash, in bcrypt's base64 alphabet.
  if (hash.size() != 60 || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' || hash[6] != '$')
    return false;
  if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') return false;
  if (hash[4] < '0' || hash[4] > '3' || hash[5] < '0' || hash[5] > '9') return false;
  for (std::size_t i = 7; i < hash.size(); ++i) {
    const char c = hash[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

namespace {

// The rows of one dumped table, read by column name; each problem names file and line.
class TableReader {
 public:
  TableReader(std::string file, std::string table, const DumpTable& t,
              std::vector<Problem>& problems)
      : file_(std::move(file)), table_(std::move(table)), t_(t), problems_(problems) {
    for (std::size_t i = 0; i < t.columns.size(); ++i) index_[ascii_lower(t.columns[i])] = i;
  }

  // False (with a problem) when a column the import needs is missing.
  bool require(std::initializer_list<const char*> columns) {
    bool ok = true;
    if (t_.columns.empty() && !t_.rows.empty()) {
      add(t_.line,
          "`" + table_ + "` has rows but no column names (no CREATE TABLE or column list)");
      return false;
    }
    for (const char* c : columns)
      if (!index_.contains(c)) {
        add(t_.line, "`" + table_ + "` has no column `" + c + "`");
        ok = false;
      }
    return ok;
  }

  const std::vector<DumpRow>& rows() const { return t_.rows; }

  void add(std::size_t line, std::string reason) {
    problems_.push_back({file_, line, std::move(reason)});
  }

  const DumpValue& value(const DumpRow& r, const char* column) const {
    static const DumpValue kNull;
    const auto it = index_.find(column);
    return it == index_.end() ? kNull : r.values.at(it->second);
  }

  std::optional<std::int64_t> integer(const DumpRow& r, const char* column, std::int64_t min) {
    const auto& v = value(r, column);
    std::int64_t out = 0;
    if (!v) {
      add(r.line, std::string(column) + " is NULL");
      return std::nullopt;
    }
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || end != v->data() + v->size() || out < min) {
      add(r.line, std::string(column) + " '" + to_valid_utf8(*v) + "' is not a whole number" +
                      (min > 0 ? " of at least " + std::to_string(min) : std::string()));
      return std::nullopt;
    }
    return out;
  }

  std::optional<std::string> text(const DumpRow& r, const char* column, bool required) {
    const auto& v = value(r, column);
    if (!v) {
      if (required) add(r.line, std::string(column) + " is NULL");
      return std::nullopt;
    }
    if (!is_valid_utf8(*v) || v->find('\0') != std::string::npos) {
      add(r.line, std::string(column) + " is not UTF-8 text");
      return std::nullopt;
    }
    if (required && v->find_first_not_of(" \t\r\n") == std::string::npos) {
      add(r.line, std::string(column) + " is empty");
      return std::nullopt;
    }
    return *v;
  }

  std::optional<Money> money(const DumpRow& r, const char* column) {
    const auto v = text(r, column, true);
    Money m = 0;
    if (!v) return std::nullopt;
    if (parse_money(*v, m) != MoneyParse::kOk) {
      add(r.line, std::string(column) + " '" + *v + "' is not an amount of money");
      return std::nullopt;
    }
    return m;
  }

  std::optional<Timestamp> time(const DumpRow& r, const char* column) {
    const auto v = text(r, column, true);
    if (!v) return std::nullopt;
    std::string why;
    auto t = parse_datetime(*v, &why);
    if (!t) add(r.line, std::string(column) + " '" + *v + "' is not a date and time: " + why);
    return t;
  }

 private:
  std::string file_, table_;
  const DumpTable& t_;
  std::vector<Problem>& problems_;
  std::map<std::string, std::size_t> index_;
};

// The file and table for `name`: the named file, or the first whole dump that has it.
std::optional<std::pair<std::string, const DumpTable*>> locate(const std::optional<DumpFile>& named,
                                                               const std::vector<DumpFile>& whole,
                                                               const std::string& name,
                                                               bool required,
                                                               std::vector<Problem>& problems) {
  if (named) {
    if (auto it = named->tables.find(name); it != named->tables.end())
      return std::pair{named->path, &it->second};
    problems.push_back({named->path, 1, "holds no `" + name + "` table"});
    return std::nullopt;
  }
  for (const auto& f : whole)
    if (auto it = f.tables.find(name); it != f.tables.end()) return std::pair{f.path, &it->second};
  if (required)
    problems.push_back({whole.empty() ? std::string("(no dump)") : whole.front().path, 1,
                        "no dump holds the `" + name + "` table"});
  return std::nullopt;
}

template <typename T>
void check_unique_id(TableReader& reader, std::set<std::int64_t>& seen, const T& item,
                     std::string_view what) {
  if (!seen.insert(item.id).second)
    reader.add(item.line, std::string(what) + " id " + std::to_string(item.id) + " appears twice");
}

}  // namespace

Legacy read_legacy(const Sources& src, std::vector<Problem>& problems) {
  Legacy out;

  if (auto found = locate(src.packages, src.whole, "packages", false, problems)) {
    out.packages_file = found->first;
    TableReader t(found->first, "packages", *found->second, problems);
    std::set<std::int64_t> ids;
    std::set<std::string> names;
    if (t.require({"id", "name"}))
      for (const auto& r : t.rows()) {
        auto id = t.integer(r, "id", 1);
        auto name = t.text(r, "name", true);
        if (!id || !name) continue;
        LegacyPackage p{*id, *name, t.text(r, "description", false), r.line};
        check_unique_id(t, ids, p, "package");
        if (!names.insert(p.name).second)
          t.add(r.line, "package name '" + p.name + "' appears twice");
        out.packages.push_back(std::move(p));
      }
  }

  if (auto found = locate(src.service_types, src.whole, "service_types", false, problems)) {
    out.service_types_file = found->first;
    TableReader t(found->first, "service_types", *found->second, problems);
    std::set<std::int64_t> ids;
    if (t.require({"id", "package_id", "name", "price"}))
      for (const auto& r : t.rows()) {
        auto id = t.integer(r, "id", 1);
        auto package_id = t.integer(r, "package_id", 1);
        auto name = t.text(r, "name", true);
        auto price = t.money(r, "price");
        if (!id || !package_id || !name || !price) continue;
        LegacyServiceType st{*id,    *package_id, *name, t.text(r, "description", false),
                             *price, r.line};
        check_unique_id(t, ids, st, "service type");
        out.service_types.push_back(std::move(st));
      }
  }

  if (auto found = locate(src.users, src.whole, "users", true, problems)) {
    out.users_file = found->first;
    TableReader t(found->first, "users", *found->second, problems);
    std::set<std::int64_t> ids;
    std::map<std::string, std::int64_t> emails;
    if (t.require({"id", "name", "email", "hashed_password"}))
      for (const auto& r : t.rows()) {
        auto id = t.integer(r, "id", 1);
        auto name = t.text(r, "name", true);
        auto raw_email = t.text(r, "email", true);
        auto hash = t.text(r, "hashed_password", true);
        if (!id || !name || !raw_email || !hash) continue;
        std::string why;
        const auto email = normalize_email(*raw_email, why);
        if (!email) {
          t.add(r.line, "email '" + *raw_email + "' is not an e-mail address: " + why);
          continue;
        }
        if (!is_importable_password_hash(*hash)) {
          t.add(r.line, "user " + std::to_string(*id) +
                            " has a password hash that is neither bcrypt nor Argon2id");
          continue;
        }
        std::string role = "customer";
        if (auto raw_role = t.text(r, "role", false)) {
          role = ascii_lower(*raw_role);
          if (role == "user") role = "customer";
          if (role != "customer" && role != "admin") {
            t.add(r.line, "role '" + *raw_role + "' is neither customer nor admin");
            continue;
          }
        }
        LegacyUser u{
            *id,
            {*name, *email, t.text(r, "address", false), t.text(r, "phone_number", false), role},
            *hash,
            r.line};
        check_unique_id(t, ids, u, "user");
        if (auto [it, fresh] = emails.emplace(ascii_lower(*email), *id); !fresh)
          t.add(r.line, "email " + *email + " is also user " + std::to_string(it->second) + "'s");
        out.users.push_back(std::move(u));
      }
  }

  if (auto found = locate(src.transactions, src.whole, "transactions", true, problems)) {
    out.transactions_file = found->first;
    TableReader t(found->first, "transactions", *found->second, problems);
    std::set<std::int64_t> ids;
    if (t.require({"id", "user_id", "service_type_id", "price_locked", "status", "tanggal_booking",
                   "tanggal_acara", "jumlah_client"}))
      for (const auto& r : t.rows()) {
        auto id = t.integer(r, "id", 1);
        auto user_id = t.integer(r, "user_id", 1);
        auto type_id = t.integer(r, "service_type_id", 1);
        auto price = t.money(r, "price_locked");
        auto raw_status = t.text(r, "status", true);
        auto booked = t.time(r, "tanggal_booking");
        auto event = t.time(r, "tanggal_acara");
        auto clients = t.integer(r, "jumlah_client", 1);
        if (!id || !user_id || !type_id || !price || !raw_status || !booked || !event || !clients)
          continue;
        auto status = map_legacy_status(*raw_status);
        if (!status) {
          t.add(r.line, "status '" + *raw_status + "' of booking " + std::to_string(*id) +
                            " is not one Janji knows");
          continue;
        }
        LegacyBooking b;
        b.booking.id = *id;
        b.booking.user_id = *user_id;
        b.booking.service_type_id = *type_id;
        b.booking.price_locked = *price;
        b.booking.status = *status;
        b.booking.tanggal_booking = *booked;
        b.booking.tanggal_acara = *event;
        b.booking.jumlah_client = *clients;
        b.line = r.line;
        if (!ids.insert(*id).second) {
          t.add(r.line, "booking id " + std::to_string(*id) + " appears twice");
          continue;
        }
        out.bookings.push_back(std::move(b));
      }
  }
  return out;
}

namespace {

struct Rollback {};  // ends the transaction without committing

class Writer {
 public:
  Writer(db::Connection& c, const Legacy& legacy, ImportReport& report, const Progress& progress)
      : c_(c), legacy_(legacy), report_(report), progress_(progress) {}

  void conflict(const std::string& file, std::size_t line, std::string reason) {
    report_.problems.push_back({file, line, std::move(reason)});
  }

  void tick(std::string_view table, std::size_t done, std::size_t total) {
    if (progress_ && (done % 1000 == 0 || done == total)) progress_(table, done, total);
  }

  void packages() {
    const auto& f = legacy_.packages_file;
    std::size_t done = 0;
    for (const auto& p : legacy_.packages) {
      tick("packages", ++done, legacy_.packages.size());
      if (auto existing = catalogue::load_package(c_, p.id)) {
        if (existing->name == p.name) {
          ++report_.packages.present;
        } else {
          conflict(f, p.line,
                   "package " + std::to_string(p.id) + " is '" + existing->name +
                       "' in the database, not '" + p.name + "'");
        }
        continue;
      }
      if (auto named = catalogue::find_package_by_name(c_, p.name)) {
        conflict(
            f, p.line,
            "a package named '" + p.name + "' already exists with id " + std::to_string(named->id));
        continue;
      }
      catalogue::insert_package(c_, {p.id, p.name, p.description, {}});
      ++report_.packages.added;
    }
  }

  void service_types() {
    const auto& f = legacy_.service_types_file;
    std::size_t done = 0;
    for (const auto& st : legacy_.service_types) {
      tick("service_types", ++done, legacy_.service_types.size());
      if (auto existing = catalogue::find_type(c_, st.id)) {
        if (existing->name == st.name && existing->package_id == st.package_id) {
          ++report_.service_types.present;
        } else {
          conflict(f, st.line,
                   "service type " + std::to_string(st.id) + " is '" + existing->name +
                       "' in the database, not '" + st.name + "'");
        }
        continue;
      }
      if (!catalogue::load_package(c_, st.package_id)) {
        conflict(f, st.line,
                 "service type " + std::to_string(st.id) + " belongs to package " +
                     std::to_string(st.package_id) +
                     ", which is neither in the dump nor in the database");
        continue;
      }
      catalogue::insert_type(c_, {st.id, st.package_id, st.name, st.description, st.price});
      ++report_.service_types.added;
    }
  }

  void users() {
    const auto& f = legacy_.users_file;
    std::size_t done = 0;
    for (const auto& u : legacy_.users) {
      tick("users", ++done, legacy_.users.size());
      if (auto existing = auth::find_user(c_, u.id)) {
        if (ascii_lower(existing->email) == ascii_lower(u.user.email)) {
          ++report_.users.present;  // its password may have been upgraded since: left alone
        } else {
          conflict(f, u.line,
                   "user " + std::to_string(u.id) + " is " + existing->email +
                       " in the database, not " + u.user.email);
        }
        continue;
      }
      if (auto owner = auth::find_user_by_email(c_, u.user.email)) {
        conflict(f, u.line,
                 u.user.email + " is already user " + std::to_string(owner->id) +
                     " in the database, not " + std::to_string(u.id));
        continue;
      }
      auth::insert_imported_user(c_, u.id, u.user, u.hashed_password);
      ++report_.users.added;
    }
  }

  void bookings(const bookings::PriorityRules& rules, Timestamp now) {
    const auto& f = legacy_.transactions_file;
    std::size_t done = 0;
    for (const auto& lb : legacy_.bookings) {
      tick("transactions", ++done, legacy_.bookings.size());
      auto b = lb.booking;
      const auto ref = "alfiyah:transactions:" + std::to_string(b.id);
      if (bookings::is_loaded(c_, ref)) {
        ++report_.bookings.present;
        continue;
      }
      if (bookings::booking_exists(c_, b.id)) {
        conflict(f, lb.line,
                 "booking id " + std::to_string(b.id) +
                     " is already taken by another booking in the database");
        continue;
      }
      if (!auth::find_user(c_, b.user_id)) {
        conflict(f, lb.line,
                 "booking " + std::to_string(b.id) + " refers to user " +
                     std::to_string(b.user_id) +
                     ", who is neither in the users dump nor in the database");
        continue;
      }
      if (!catalogue::find_type(c_, b.service_type_id)) {
        conflict(f, lb.line,
                 "booking " + std::to_string(b.id) + " refers to service type " +
                     std::to_string(b.service_type_id) +
                     ", which is neither in the dump nor in the database");
        continue;
      }
      bookings::rescore(b, rules, now);
      bookings::insert_imported_booking(c_, b, ref);
      ++report_.bookings.added;
    }
  }

  // New rows get ids past the imported ones.
  void move_sequences() {
    catalogue::move_ids_past_imported(c_);
    auth::move_ids_past_imported(c_);
    bookings::move_ids_past_imported(c_);
  }

 private:
  db::Connection& c_;
  const Legacy& legacy_;
  ImportReport& report_;
  const Progress& progress_;
};

}  // namespace

ImportReport import_legacy(db::Database& db, const Legacy& legacy,
                           const bookings::PriorityRules& rules, Timestamp now, bool dry_run,
                           const Progress& progress) {
  ImportReport report;
  try {
    db.transaction(db::TxMode::kWrite, [&](db::Connection& c) {
      c.lift_time_limits();
      c.serialize_on("import-alfiyah");
      Writer w(c, legacy, report, progress);
      w.packages();
      w.service_types();
      w.users();
      w.bookings(rules, now);
      if (dry_run || !report.problems.empty()) throw Rollback{};
      w.move_sequences();
      const auto counted = [](const TableCount& t) {
        return boost::json::object{{"added", t.added}, {"present", t.present}};
      };
      audit::record(c,
                    {std::nullopt, "import.alfiyah", "import", "alfiyah", std::nullopt,
                     boost::json::object{{"packages", counted(report.packages)},
                                         {"service_types", counted(report.service_types)},
                                         {"users", counted(report.users)},
                                         {"bookings", counted(report.bookings)}}},
                    now);
    });
    report.written = true;
  } catch (const Rollback&) {
    report.written = false;
  }
  return report;
}

}  // namespace janji::importer
