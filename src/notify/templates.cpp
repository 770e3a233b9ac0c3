#include "notify/templates.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace janji::notify {

namespace {

constexpr std::size_t kLocales = 2;
constexpr std::size_t kKinds = kAllMessageKinds.size();
constexpr std::size_t kParts = kAllParts.size();
// An override is a page of text; anything much larger is a wrong file.
constexpr std::uintmax_t kMaxTemplateBytes = 64 * 1024;

constexpr std::array<std::string_view, kKinds> kKindNames = {
    "registration_received", "booking_confirmed",      "booking_rejected",
    "booking_expired",       "seat_offered",           "booking_created",
    "booking_created_owner", "booking_status_changed", "booking_reminder"};

constexpr std::array<std::string_view, kParts> kPartNames = {"email_subject", "email_text",
                                                             "email_html", "whatsapp"};

constexpr std::array<std::string_view, 14> kFieldNames = {
    "name",   "student", "course",   "service", "date",       "amount",   "clients",
    "status", "reason",  "deadline", "link",    "booking_id", "customer", "contact"};

using F = Field;
constexpr F kRegistrationReceivedFields[] = {F::kName,   F::kStudent, F::kCourse,
                                             F::kStatus, F::kAmount,  F::kLink};
constexpr F kBookingConfirmedFields[] = {F::kName, F::kStudent, F::kCourse, F::kAmount, F::kLink};
constexpr F kBookingRejectedFields[] = {F::kName, F::kStudent, F::kCourse, F::kReason};
constexpr F kBookingExpiredFields[] = {F::kName, F::kStudent, F::kCourse};
constexpr F kSeatOfferedFields[] = {F::kName, F::kStudent, F::kCourse, F::kDeadline, F::kLink};
constexpr F kBookingCreatedFields[] = {F::kName,    F::kBookingId, F::kService, F::kDate,
                                       F::kClients, F::kAmount,    F::kStatus};
constexpr F kBookingCreatedOwnerFields[] = {F::kBookingId, F::kCustomer, F::kContact, F::kService,
                                            F::kDate,      F::kClients,  F::kAmount};
constexpr F kBookingStatusChangedFields[] = {F::kName, F::kBookingId, F::kService, F::kDate,
                                             F::kStatus};
constexpr F kBookingReminderFields[] = {F::kName, F::kBookingId, F::kService, F::kDate,
                                        F::kClients};

struct StatusLabel {
  std::string_view status, id, en;
};

constexpr StatusLabel kStatusLabels[] = {
    {"pending", "menunggu konfirmasi", "awaiting confirmation"},
    {"confirmed", "dikonfirmasi", "confirmed"},
    {"dp", "uang muka (DP) diterima", "deposit received"},
    {"paid", "lunas", "paid in full"},
    {"completed", "selesai", "completed"},
    {"cancelled", "dibatalkan", "cancelled"},
    {"rejected", "ditolak", "rejected"},
    {"expired", "kedaluwarsa", "expired"},
    {"waitlisted", "dalam daftar tunggu", "on the waiting list"},
};

// The built-in texts of one kind in one locale; the HTML part is made from `text`.
struct BuiltIn {
  MessageKind kind;
  Locale locale;
  std::string_view subject, text, whatsapp;
};

// Polite, plain Indonesian as a small business writes to its customers ("Anda", "kami"),
// and the same in English. WhatsApp texts stay short: they are read on a phone.
constexpr BuiltIn kBuiltIns[] = {
    {MessageKind::kRegistrationReceived, Locale::kId,
     "Pendaftaran kursus {{course}} sudah kami terima",
     "Halo {{name}},\n\n"
     "Terima kasih, pendaftaran atas nama {{student}} untuk kursus {{course}} sudah kami "
     "terima.\n\n"
     "Status: {{status}}\n"
     "Biaya per sesi: {{amount}}\n\n"
     "Kami akan mengabari Anda lagi begitu ada perkembangan.\n\n"
     "Pendaftaran ini dapat Anda lihat atau batalkan kapan saja di {{link}}\n\n"
     "Salam hangat.",
     "Halo {{name}}, pendaftaran atas nama {{student}} untuk kursus {{course}} sudah kami "
     "terima. Status: {{status}}. Biaya per sesi: {{amount}}.\n"
     "Lihat atau batalkan pendaftaran kapan saja di {{link}}\n"
     "Terima kasih!"},
    {MessageKind::kRegistrationReceived, Locale::kEn,
     "We have received your registration for {{course}}",
     "Hello {{name}},\n\n"
     "Thank you! We have received the registration of {{student}} for the {{course}} "
     "course.\n\n"
     "Status: {{status}}\n"
     "Fee per session: {{amount}}\n\n"
     "We will let you know as soon as there is news.\n\n"
     "You can view or cancel the registration at any time at {{link}}\n\n"
     "Kind regards.",
     "Hello {{name}}, we have received the registration of {{student}} for the {{course}} "
     "course. Status: {{status}}. Fee per session: {{amount}}.\n"
     "View or cancel it at any time at {{link}}\n"
     "Thank you!"},

    {MessageKind::kBookingConfirmed, Locale::kId,
     "Pendaftaran kursus {{course}} sudah dikonfirmasi",
     "Halo {{name}},\n\n"
     "Kabar baik! Pendaftaran atas nama {{student}} untuk kursus {{course}} sudah kami "
     "konfirmasi.\n\n"
     "Biaya per sesi: {{amount}}\n\n"
     "Rincian pendaftaran dapat Anda lihat di {{link}}\n\n"
     "Sampai jumpa di kelas!\n"
     "Salam hangat.",
     "Halo {{name}}, kabar baik! Pendaftaran atas nama {{student}} untuk kursus {{course}} "
     "sudah kami konfirmasi. Biaya per sesi: {{amount}}.\n"
     "Rincian pendaftaran: {{link}}\n"
     "Sampai jumpa di kelas!"},
    {MessageKind::kBookingConfirmed, Locale::kEn, "Your registration for {{course}} is confirmed",
     "Hello {{name}},\n\n"
     "Good news! We have confirmed the registration of {{student}} for the {{course}} "
     "course.\n\n"
     "Fee per session: {{amount}}\n\n"
     "You can see the details of the registration at {{link}}\n\n"
     "See you in class!\n"
     "Kind regards.",
     "Hello {{name}}, good news! We have confirmed the registration of {{student}} for the "
     "{{course}} course. Fee per session: {{amount}}.\n"
     "The details: {{link}}\n"
     "See you in class!"},

    {MessageKind::kBookingRejected, Locale::kId,
     "Pendaftaran kursus {{course}} belum dapat kami terima",
     "Halo {{name}},\n\n"
     "Terima kasih atas minat Anda. Mohon maaf, pendaftaran atas nama {{student}} untuk "
     "kursus {{course}} belum dapat kami terima.\n\n"
     "Alasan: {{reason}}\n\n"
     "Jika ada pertanyaan, silakan balas pesan ini. Kami dengan senang hati membantu.\n\n"
     "Salam hangat.",
     "Halo {{name}}, terima kasih atas minat Anda. Mohon maaf, pendaftaran atas nama "
     "{{student}} untuk kursus {{course}} belum dapat kami terima.\n"
     "Alasan: {{reason}}\n"
     "Jika ada pertanyaan, silakan balas pesan ini."},
    {MessageKind::kBookingRejected, Locale::kEn,
     "Your registration for {{course}} could not be accepted",
     "Hello {{name}},\n\n"
     "Thank you for your interest. We are sorry, but we cannot accept the registration of "
     "{{student}} for the {{course}} course.\n\n"
     "Reason: {{reason}}\n\n"
     "If you have any questions, just reply to this message. We are happy to help.\n\n"
     "Kind regards.",
     "Hello {{name}}, thank you for your interest. We are sorry, but we cannot accept the "
     "registration of {{student}} for the {{course}} course.\n"
     "Reason: {{reason}}\n"
     "If you have any questions, just reply to this message."},

    {MessageKind::kBookingExpired, Locale::kId, "Pendaftaran kursus {{course}} telah kedaluwarsa",
     "Halo {{name}},\n\n"
     "Mohon maaf, pendaftaran atas nama {{student}} untuk kursus {{course}} telah kedaluwarsa "
     "karena belum sempat kami konfirmasi dalam batas waktunya.\n\n"
     "Jika masih berminat, silakan mendaftar kembali. Kami akan senang menyambut Anda.\n\n"
     "Salam hangat.",
     "Halo {{name}}, mohon maaf, pendaftaran atas nama {{student}} untuk kursus {{course}} "
     "telah kedaluwarsa karena belum sempat kami konfirmasi dalam batas waktunya. Jika masih "
     "berminat, silakan mendaftar kembali. Terima kasih!"},
    {MessageKind::kBookingExpired, Locale::kEn, "Your registration for {{course}} has expired",
     "Hello {{name}},\n\n"
     "We are sorry: the registration of {{student}} for the {{course}} course has expired "
     "because we could not confirm it in time.\n\n"
     "If you are still interested, please register again. We would be glad to welcome you.\n\n"
     "Kind regards.",
     "Hello {{name}}, we are sorry: the registration of {{student}} for the {{course}} course "
     "has expired because we could not confirm it in time. If you are still interested, "
     "please register again. Thank you!"},

    {MessageKind::kSeatOffered, Locale::kId, "Ada kursi untuk Anda di kursus {{course}}",
     "Halo {{name}},\n\n"
     "Kabar baik! Ada kursi kosong di kursus {{course}}, dan pendaftaran atas nama {{student}} "
     "dari daftar tunggu kini sedang kami proses untuk dikonfirmasi.\n\n"
     "Kursi ini kami sediakan hingga {{deadline}}. Jika Anda tidak lagi berminat, mohon "
     "beri tahu kami agar kursinya dapat ditawarkan kepada pendaftar lain.\n\n"
     "Pendaftaran dapat Anda batalkan di {{link}}\n\n"
     "Salam hangat.",
     "Halo {{name}}, kabar baik! Ada kursi kosong di kursus {{course}} untuk {{student}}, yang "
     "sebelumnya ada di daftar tunggu. Kursi ini kami sediakan hingga {{deadline}}.\n"
     "Jika tidak lagi berminat, mohon beri tahu kami agar kursinya dapat ditawarkan kepada "
     "pendaftar lain.\n"
     "Batalkan di {{link}}\n"
     "Terima kasih!"},
    {MessageKind::kSeatOffered, Locale::kEn, "A seat is free for you in {{course}}",
     "Hello {{name}},\n\n"
     "Good news! A seat has become free in the {{course}} course, and the registration of "
     "{{student}} has moved from the waiting list to our confirmation queue.\n\n"
     "We are holding the seat until {{deadline}}. If you are no longer interested, please let "
     "us know so that we can offer the seat to someone else.\n\n"
     "You can cancel the registration at {{link}}\n\n"
     "Kind regards.",
     "Hello {{name}}, good news! A seat has become free in the {{course}} course for "
     "{{student}}, who was on the waiting list. We are holding it until {{deadline}}.\n"
     "If you are no longer interested, please let us know so that we can offer the seat to "
     "someone else.\n"
     "Cancel at {{link}}\n"
     "Thank you!"},

    {MessageKind::kBookingCreated, Locale::kId, "Pesanan #{{booking_id}} sudah kami terima",
     "Halo {{name}},\n\n"
     "Terima kasih atas pesanan Anda! Berikut rinciannya:\n\n"
     "Nomor pesanan: #{{booking_id}}\n"
     "Layanan: {{service}}\n"
     "Tanggal acara: {{date}}\n"
     "Jumlah klien: {{clients}} orang\n"
     "Harga: {{amount}}\n"
     "Status: {{status}}\n\n"
     "Kami akan segera menghubungi Anda untuk konfirmasi.\n\n"
     "Salam hangat.",
     "Halo {{name}}, terima kasih atas pesanan Anda! Pesanan #{{booking_id}}: {{service}} pada "
     "{{date}} untuk {{clients}} orang, harga {{amount}}. Status: {{status}}.\n"
     "Kami akan segera menghubungi Anda untuk konfirmasi."},
    {MessageKind::kBookingCreated, Locale::kEn, "We have received your booking #{{booking_id}}",
     "Hello {{name}},\n\n"
     "Thank you for your booking! Here are the details:\n\n"
     "Booking number: #{{booking_id}}\n"
     "Service: {{service}}\n"
     "Event date: {{date}}\n"
     "Number of clients: {{clients}}\n"
     "Price: {{amount}}\n"
     "Status: {{status}}\n\n"
     "We will contact you shortly to confirm it.\n\n"
     "Kind regards.",
     "Hello {{name}}, thank you for your booking! Booking #{{booking_id}}: {{service}} on "
     "{{date}} for {{clients}} client(s), price {{amount}}. Status: {{status}}.\n"
     "We will contact you shortly to confirm it."},

    {MessageKind::kBookingCreatedOwner, Locale::kId,
     "Pesanan baru #{{booking_id}}: {{service}}, {{date}}",
     "Ada pesanan baru yang menunggu konfirmasi Anda.\n\n"
     "Nomor pesanan: #{{booking_id}}\n"
     "Pelanggan: {{customer}}\n"
     "Kontak: {{contact}}\n"
     "Layanan: {{service}}\n"
     "Tanggal acara: {{date}}\n"
     "Jumlah klien: {{clients}} orang\n"
     "Harga: {{amount}}\n\n"
     "Silakan konfirmasi pesanan ini di halaman admin.",
     "Pesanan baru #{{booking_id}} dari {{customer}} ({{contact}}): {{service}} pada {{date}} "
     "untuk {{clients}} orang, harga {{amount}}. Silakan konfirmasi di halaman admin."},
    {MessageKind::kBookingCreatedOwner, Locale::kEn,
     "New booking #{{booking_id}}: {{service}}, {{date}}",
     "A new booking is waiting for your confirmation.\n\n"
     "Booking number: #{{booking_id}}\n"
     "Customer: {{customer}}\n"
     "Contact: {{contact}}\n"
     "Service: {{service}}\n"
     "Event date: {{date}}\n"
     "Number of clients: {{clients}}\n"
     "Price: {{amount}}\n\n"
     "Please confirm it on the admin pages.",
     "New booking #{{booking_id}} from {{customer}} ({{contact}}): {{service}} on {{date}} for "
     "{{clients}} client(s), price {{amount}}. Please confirm it on the admin pages."},

    {MessageKind::kBookingStatusChanged, Locale::kId, "Status pesanan #{{booking_id}}: {{status}}",
     "Halo {{name}},\n\n"
     "Status pesanan Anda telah diperbarui.\n\n"
     "Nomor pesanan: #{{booking_id}}\n"
     "Layanan: {{service}}\n"
     "Tanggal acara: {{date}}\n"
     "Status terbaru: {{status}}\n\n"
     "Jika ada pertanyaan, silakan hubungi kami.\n\n"
     "Salam hangat.",
     "Halo {{name}}, status pesanan #{{booking_id}} ({{service}}, {{date}}) kini: {{status}}. "
     "Jika ada pertanyaan, silakan hubungi kami."},
    {MessageKind::kBookingStatusChanged, Locale::kEn, "Booking #{{booking_id}}: {{status}}",
     "Hello {{name}},\n\n"
     "The status of your booking has changed.\n\n"
     "Booking number: #{{booking_id}}\n"
     "Service: {{service}}\n"
     "Event date: {{date}}\n"
     "New status: {{status}}\n\n"
     "If you have any questions, please contact us.\n\n"
     "Kind regards.",
     "Hello {{name}}, the status of booking #{{booking_id}} ({{service}}, {{date}}) is now: "
     "{{status}}. If you have any questions, please contact us."},

    {MessageKind::kBookingReminder, Locale::kId, "Pengingat: {{service}} besok, {{date}}",
     "Halo {{name}},\n\n"
     "Kami ingin mengingatkan bahwa acara Anda tinggal besok.\n\n"
     "Nomor pesanan: #{{booking_id}}\n"
     "Layanan: {{service}}\n"
     "Tanggal acara: {{date}}\n"
     "Jumlah klien: {{clients}} orang\n\n"
     "Sampai jumpa besok! Jika ada perubahan, mohon segera kabari kami.\n\n"
     "Salam hangat.",
     "Halo {{name}}, kami ingin mengingatkan bahwa acara Anda tinggal besok: {{service}} pada "
     "{{date}} untuk {{clients}} orang (pesanan #{{booking_id}}). Jika ada perubahan, mohon "
     "segera kabari kami. Sampai jumpa!"},
    {MessageKind::kBookingReminder, Locale::kEn, "Reminder: {{service}} tomorrow, {{date}}",
     "Hello {{name}},\n\n"
     "A friendly reminder that your event is tomorrow.\n\n"
     "Booking number: #{{booking_id}}\n"
     "Service: {{service}}\n"
     "Event date: {{date}}\n"
     "Number of clients: {{clients}}\n\n"
     "See you tomorrow! If anything has changed, please let us know as soon as possible.\n\n"
     "Kind regards.",
     "Hello {{name}}, a friendly reminder that your event is tomorrow: {{service}} on {{date}} "
     "for {{clients}} client(s) (booking #{{booking_id}}). If anything has changed, please let "
     "us know. See you!"},
};

std::size_t slot(Locale locale, MessageKind kind, Part part) {
  return (static_cast<std::size_t>(locale) * kKinds + static_cast<std::size_t>(kind)) * kParts +
         static_cast<std::size_t>(part);
}

std::size_t line_of(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

void append_html_escaped(std::string& out, std::string_view s) {
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

// A header line: a value with a line break must not start a header of its own.
void append_single_line(std::string& out, std::string_view s) {
  for (const char c : s) out += c == '\r' || c == '\n' ? ' ' : c;
}

std::string join_field_names(std::span<const Field> fields) {
  std::string out;
  for (const auto f : fields) {
    if (!out.empty()) out += ", ";
    out += field_name(f);
  }
  return out;
}

// Text as a file holds it, made ready to parse: no BOM, LF line ends, no trailing space.
std::string normalise(std::string_view raw) {
  if (raw.starts_with("\xEF\xBB\xBF")) raw.remove_prefix(3);
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    out += raw[i];
  }
  while (!out.empty() &&
         (out.back() == '\n' || out.back() == ' ' || out.back() == '\t' || out.back() == '\r'))
    out.pop_back();
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw TemplateError(path.string() + ": " + ec.message());
  if (size > kMaxTemplateBytes)
    throw TemplateError(path.string() + ": larger than " + std::to_string(kMaxTemplateBytes) +
                        " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TemplateError(path.string() + ": cannot be read");
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw TemplateError(path.string() + ": cannot be read");
  return text;
}

}  // namespace

std::string_view kind_name(MessageKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<MessageKind> parse_kind(std::string_view name) {
  for (const auto kind : kAllMessageKinds)
    if (kind_name(kind) == name) return kind;
  return std::nullopt;
}

std::string default_whatsapp_template(MessageKind kind) {
  return "janji_" + std::string(kind_name(kind));
}

std::string_view part_name(Part part) {
  return kPartNames[static_cast<std::size_t>(part)];
}

std::optional<Part> parse_part(std::string_view name) {
  for (const auto part : kAllParts)
    if (part_name(part) == name) return part;
  return std::nullopt;
}

std::string_view field_name(Field field) {
  return kFieldNames[static_cast<std::size_t>(field)];
}

const std::string& field_value(const MessageFields& f, Field field) {
  switch (field) {
    case Field::kName:
      return f.name;
    case Field::kStudent:
      return f.student;
    case Field::kCourse:
      return f.course;
    case Field::kService:
      return f.service;
    case Field::kDate:
      return f.date;
    case Field::kAmount:
      return f.amount;
    case Field::kClients:
      return f.clients;
    case Field::kStatus:
      return f.status;
    case Field::kReason:
      return f.reason;
    case Field::kDeadline:
      return f.deadline;
    case Field::kLink:
      return f.link;
    case Field::kBookingId:
      return f.booking_id;
    case Field::kCustomer:
      return f.customer;
    case Field::kContact:
      return f.contact;
  }
  throw std::invalid_argument("not a message field");
}

std::span<const Field> kind_fields(MessageKind kind) {
  switch (kind) {
    case MessageKind::kRegistrationReceived:
      return kRegistrationReceivedFields;
    case MessageKind::kBookingConfirmed:
      return kBookingConfirmedFields;
    case MessageKind::kBookingRejected:
      return kBookingRejectedFields;
    case MessageKind::kBookingExpired:
      return kBookingExpiredFields;
    case MessageKind::kSeatOffered:
      return kSeatOfferedFields;
    case MessageKind::kBookingCreated:
      return kBookingCreatedFields;
    case MessageKind::kBookingCreatedOwner:
      return kBookingCreatedOwnerFields;
    case MessageKind::kBookingStatusChanged:
      return kBookingStatusChangedFields;
    case MessageKind::kBookingReminder:
      return kBookingReminderFields;
  }
  throw std::invalid_argument("not a message kind");
}

std::vector<std::string> whatsapp_parameters(MessageKind kind, const MessageFields& fields) {
  std::vector<std::string> out;
  for (const auto field : kind_fields(kind)) {
    std::string value;
    for (char c : field_value(fields, field)) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      if (c == ' ' && (value.empty() || value.back() == ' ')) continue;
      value += c;
    }
    if (!value.empty() && value.back() == ' ') value.pop_back();
    out.push_back(value.empty() ? "-" : std::move(value));
  }
  return out;
}

std::string_view status_label(std::string_view status, Locale locale) {
  for (const auto& s : kStatusLabels)
    if (s.status == status) return locale == Locale::kId ? s.id : s.en;
  return status;
}

Template Template::parse(std::string_view text, MessageKind kind, Part part) {
  Template t(kind, part);
  const auto allowed = kind_fields(kind);
  std::string literal;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto open = text.find("{{", i);
    if (open == std::string_view::npos) {
      literal.append(text.substr(i));
      break;
    }
    literal.append(text.substr(i, open - i));
    const auto close = text.find("}}", open + 2);
    const auto where = "line " + std::to_string(line_of(text, open)) + ": ";
    if (close == std::string_view::npos)
      throw TemplateError(where + "\"{{\" without a closing \"}}\"");
    auto name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    const auto known = std::find_if(allowed.begin(), allowed.end(),
                                    [&](Field f) { return field_name(f) == name; });
    if (known == allowed.end())
      throw TemplateError(where + "{{" + std::string(name) + "}} is not a field of " +
                          std::string(kind_name(kind)) + ", which has " +
                          join_field_names(allowed));
    t.pieces_.push_back({std::move(literal), *known});
    literal.clear();
    i = close + 2;
  }
  if (!literal.empty()) t.pieces_.push_back({std::move(literal), std::nullopt});
  return t;
}

std::vector<Field> Template::fields() const {
  std::vector<Field> out;
  for (const auto& p : pieces_)
    if (p.field) out.push_back(*p.field);
  return out;
}

std::string render(const Template& t, const MessageFields& fields) {
  std::string out;
  // The line being built; it is left out when it shows fields and all of them are empty.
  std::string line;
  bool has_field = false, filled = false;
  const bool drops_lines = t.part_ != Part::kEmailSubject;
  bool dropped = false;
  const auto end_line = [&] {
    if (drops_lines && has_field && !filled)
      dropped = true;
    else
      out += line;
    line.clear();
    has_field = filled = false;
  };
  for (const auto& p : t.pieces_) {
    std::string_view literal = p.literal;
    for (auto nl = literal.find('\n'); nl != std::string_view::npos; nl = literal.find('\n')) {
      line += literal.substr(0, nl + 1);
      end_line();
      literal.remove_prefix(nl + 1);
    }
    line += literal;
    if (!p.field) continue;
    const auto& raw = field_value(fields, *p.field);
    has_field = true;
    filled = filled || !raw.empty();
    const std::string_view value = raw.empty() ? std::string_view("-") : std::string_view(raw);
    switch (t.part_) {
      case Part::kEmailHtml:
        append_html_escaped(line, value);
        break;
      case Part::kEmailSubject:
        append_single_line(line, value);
        break;
      case Part::kEmailText:
      case Part::kWhatsapp:
        line += value;
        break;
    }
  }
  end_line();
  // A left-out paragraph of its own leaves one blank line, not two.
  if (dropped && t.part_ != Part::kEmailHtml)
    for (auto at = out.find("\n\n\n"); at != std::string::npos; at = out.find("\n\n\n", at))
      out.erase(at, 1);
  return out;
}

Template html_from_text(const Template& text, Locale locale) {
  Template html(text.kind_, Part::kEmailHtml);
  std::string literal = "<!DOCTYPE html>\n<html lang=\"" + std::string(locale_name(locale)) +
                        "\">\n<head><meta charset=\"utf-8\">"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        "</head>\n<body style=\"font-family: Arial, Helvetica, sans-serif; "
                        "font-size: 15px; line-height: 1.5; color: #222222;\">\n<p>";
  for (const auto& p : text.pieces_) {
    // Blank lines separate paragraphs; a single line break stays one.
    std::string_view s = p.literal;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '\n') {
        append_html_escaped(literal, s.substr(i, 1));
      } else if (i + 1 < s.size() && s[i + 1] == '\n') {
        while (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        literal += "</p>\n<p>";
      } else {
        literal += "<br>\n";
      }
    }
    if (!p.field) continue;
    if (*p.field == Field::kLink) {
      literal += "<a href=\"";
      html.pieces_.push_back({std::move(literal), Field::kLink});
      literal = "\">";
    }
    html.pieces_.push_back({std::move(literal), *p.field});
    literal.clear();
    if (*p.field == Field::kLink) literal = "</a>";
  }
  literal += "</p>\n</body>\n</html>\n";
  html.pieces_.push_back({std::move(literal), std::nullopt});
  return html;
}

std::string whatsapp_template_body(const Template& whatsapp) {
  const auto order = kind_fields(whatsapp.kind_);
  std::string out;
  for (const auto& p : whatsapp.pieces_) {
    out += p.literal;
    if (!p.field) continue;
    const auto at = std::find(order.begin(), order.end(), *p.field);
    out += "{{" + std::to_string(at - order.begin() + 1) + "}}";
  }
  return out;
}

const Template& TemplateSet::get(Locale locale, MessageKind kind, Part part) const {
  return templates_.at(slot(locale, kind, part));
}

TemplateSet builtin_templates() {
  TemplateSet set;
  std::vector<std::optional<Template>> slots(kLocales * kKinds * kParts);
  for (const auto& b : kBuiltIns) {
    const auto what = std::string(locale_name(b.locale)) + "/" + std::string(kind_name(b.kind));
    try {
      auto text = Template::parse(b.text, b.kind, Part::kEmailText);
      slots[slot(b.locale, b.kind, Part::kEmailHtml)] = html_from_text(text, b.locale);
      slots[slot(b.locale, b.kind, Part::kEmailText)] = std::move(text);
      slots[slot(b.locale, b.kind, Part::kEmailSubject)] =
          Template::parse(b.subject, b.kind, Part::kEmailSubject);
      slots[slot(b.locale, b.kind, Part::kWhatsapp)] =
          Template::parse(b.whatsapp, b.kind, Part::kWhatsapp);
    } catch (const TemplateError& e) {
      throw TemplateError("built-in " + what + ": " + e.what());
    }
  }
  for (auto& s : slots) {
    if (!s) throw TemplateError("a built-in template is missing");
    set.templates_.push_back(std::move(*s));
  }
  return set;
}

namespace {

// The kind and part a file name "<kind>.<part>.txt" stands for.
std::optional<std::pair<MessageKind, Part>> template_file_name(std::string_view file) {
  if (!file.ends_with(".txt")) return std::nullopt;
  file.remove_suffix(4);
  const auto dot = file.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto kind = parse_kind(file.substr(0, dot));
  const auto part = parse_part(file.substr(dot + 1));
  if (!kind || !part) return std::nullopt;
  return std::pair{*kind, *part};
}

}  // namespace

TemplateSet load_templates(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  TemplateSet set = builtin_templates();
  try {
    if (!fs::exists(dir)) return set;
    if (!fs::is_directory(dir)) throw TemplateError(dir.string() + ": not a directory");
    for (const auto& locale_entry : fs::directory_iterator(dir)) {
      const auto locale_dir = locale_entry.path();
      const auto locale_text = locale_dir.filename().string();
      if (locale_text.starts_with('.')) continue;
      if (!locale_entry.is_directory()) {
        // A README beside the locales is fine; a template there is in the wrong place.
        if (template_file_name(locale_text))
          throw TemplateError(locale_dir.string() + ": belongs in a locale directory, id/ or en/");
        continue;
      }
      const auto locale = parse_locale(locale_text);
      if (!locale) throw TemplateError(locale_dir.string() + ": not a locale directory (id or en)");

      std::vector<MessageKind> new_text, new_html;
      for (const auto& entry : fs::directory_iterator(locale_dir)) {
        const auto path = entry.path();
        const auto file = path.filename().string();
        if (file.starts_with('.')) continue;
        const auto name = template_file_name(file);
        if (!name || !entry.is_regular_file())
          throw TemplateError(path.string() +
                              ": not a template file (<kind>.<part>.txt, e.g. "
                              "booking_confirmed.email_text.txt)");
        const auto [kind, part] = *name;
        const auto text = normalise(read_file(path));
        if (text.empty()) throw TemplateError(path.string() + ": empty");
        if (!is_valid_utf8(text)) throw TemplateError(path.string() + ": not UTF-8");
        if (part == Part::kEmailSubject && text.find('\n') != std::string::npos)
          throw TemplateError(path.string() + ": a subject is one line");
        try {
          set.templates_[slot(*locale, kind, part)] = Template::parse(text, kind, part);
        } catch (const TemplateError& e) {
          throw TemplateError(path.string() + ": " + e.what());
        }
        if (part == Part::kEmailText) new_text.push_back(kind);
        if (part == Part::kEmailHtml) new_html.push_back(kind);
      }
      // A new text without a new HTML part: the built-in HTML would say the old text.
      for (const auto kind : new_text)
        if (std::find(new_html.begin(), new_html.end(), kind) == new_html.end())
          set.templates_[slot(*locale, kind, Part::kEmailHtml)] =
              html_from_text(set.templates_[slot(*locale, kind, Part::kEmailText)], *locale);
    }
  } catch (const fs::filesystem_error& e) {
    throw TemplateError(e.what());
  }
  return set;
}

RenderedMessage render_message(const TemplateSet& templates, Locale locale, MessageKind kind,
                               const MessageFields& fields) {
  return {render(templates.get(locale, kind, Part::kEmailSubject), fields),
          render(templates.get(locale, kind, Part::kEmailText), fields),
          render(templates.get(locale, kind, Part::kEmailHtml), fields),
          render(templates.get(locale, kind, Part::kWhatsapp), fields)};
}

}  // namespace janji::notify
