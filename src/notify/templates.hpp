#pragma once

#include "notify/format.hpp"

#include <array>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace janji::notify {

/// What a notification is about. Each kind's lower-case name (kind_name) names its
/// override files and its default WhatsApp template ("janji_" + name).
enum class MessageKind {
  kRegistrationReceived,  // a course registration was stored (pending or waitlisted)
  kBookingConfirmed,      // a course booking was confirmed
  kBookingRejected,       // a course booking was rejected, with a reason
  kBookingExpired,        // a pending course booking expired unconfirmed
  kSeatOffered,           // a waitlisted course booking got a seat and is pending again
  kBookingCreated,        // a service booking was made (to the customer)
  kBookingCreatedOwner,   // the same, to the owner (OWNER_EMAIL), worded for her
  kBookingStatusChanged,  // a service booking's status changed
  kBookingReminder,       // a service booking's event is tomorrow
};

inline constexpr std::array kAllMessageKinds = {
    MessageKind::kRegistrationReceived, MessageKind::kBookingConfirmed,
    MessageKind::kBookingRejected,      MessageKind::kBookingExpired,
    MessageKind::kSeatOffered,          MessageKind::kBookingCreated,
    MessageKind::kBookingCreatedOwner,  MessageKind::kBookingStatusChanged,
    MessageKind::kBookingReminder};

/// "registration_received", "booking_confirmed", …
std::string_view kind_name(MessageKind kind);
std::optional<MessageKind> parse_kind(std::string_view name);
/// "janji_" + kind_name: the WhatsApp template used unless WHATSAPP_TEMPLATE_<KIND> says
/// otherwise.
std::string default_whatsapp_template(MessageKind kind);

/// The parts of a message, each a template of its own.
enum class Part { kEmailSubject, kEmailText, kEmailHtml, kWhatsapp };

inline constexpr std::array kAllParts = {Part::kEmailSubject, Part::kEmailText, Part::kEmailHtml,
                                         Part::kWhatsapp};

/// "email_subject", "email_text", "email_html", "whatsapp" (the wa.me text).
std::string_view part_name(Part part);
std::optional<Part> parse_part(std::string_view name);

/// A value a template can show as {{name}}, {{course}}, ….
enum class Field {
  kName,       // the recipient's name, for the greeting
  kStudent,    // the course applicant's full name (the recipient may be the guardian)
  kCourse,     // the course's title
  kService,    // the service type's name
  kDate,       // the event's date (format_date)
  kAmount,     // a price (format_rupiah): per session for courses, the booking's price
  kClients,    // jumlah_client
  kStatus,     // a status in words (status_label)
  kReason,     // why a course booking was rejected
  kDeadline,   // until when an offered seat is held (format_date_time)
  kLink,       // the booking's self-service page (manage token)
  kBookingId,  // the service booking's number
  kCustomer,   // the customer's name, in the owner's message
  kContact,    // the customer's phone number or e-mail, in the owner's message
};

/// The placeholder's name: "name", "student", "booking_id", ….
std::string_view field_name(Field field);

/// The values of one message, already formatted for its locale. A kind uses only some
/// (kind_fields); the others are ignored.
struct MessageFields {
  std::string name;
  std::string student;
  std::string course;
  std::string service;
  std::string date;
  std::string amount;
  std::string clients;
  std::string status;
  std::string reason;
  std::string deadline;
  std::string link;
  std::string booking_id;
  std::string customer;
  std::string contact;
};

const std::string& field_value(const MessageFields& fields, Field field);

/// The fields a kind's templates may use. This is also the order of the body parameters
/// ({{1}}, {{2}}, …) of the kind's approved WhatsApp template: a template submitted to Meta
/// must number them so, e.g. for booking_confirmed {{1}} the name, {{2}} the student,
/// {{3}} the course, {{4}} the amount, {{5}} the link (whatsapp_template_body writes the
/// built-in text in that form).
std::span<const Field> kind_fields(MessageKind kind);

/// The body parameters of a WhatsApp template message of `kind`, in kind_fields order. As
/// the Cloud API refuses a parameter that is empty or has a line break, a tab or a run of
/// spaces, line breaks and tabs become spaces, runs of spaces one space, and an empty value
/// "-".
std::vector<std::string> whatsapp_parameters(MessageKind kind, const MessageFields& fields);

/// A status ("pending", "dp", "waitlisted", …, of either surface) in words for a message:
/// "menunggu konfirmasi" / "awaiting confirmation". An unknown status is returned as it is.
std::string_view status_label(std::string_view status, Locale locale);

/// A template that cannot be used: malformed, or naming a field its kind does not have.
class TemplateError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// One part's text with {{field}} placeholders (spaces inside the braces are allowed),
/// checked against its kind when parsed, so a wrong placeholder fails at start-up and never
/// when a message is sent. A single brace is just text.
class Template {
 public:
  /// Throws TemplateError for a "{{" that does not open a well-formed placeholder and for a
  /// placeholder that is not one of kind_fields(kind), with the line it is on.
  static Template parse(std::string_view text, MessageKind kind, Part part);

  MessageKind kind() const { return kind_; }
  Part part() const { return part_; }
  /// The fields it shows, in the order they appear (repeats included).
  std::vector<Field> fields() const;

 private:
  struct Piece {
    std::string literal;
    std::optional<Field> field;  // shown after the literal
  };
  Template(MessageKind kind, Part part) : kind_(kind), part_(part) {}

  MessageKind kind_;
  Part part_;
  std::vector<Piece> pieces_;

  friend std::string render(const Template& t, const MessageFields& fields);
  friend Template html_from_text(const Template& text, Locale locale);
  friend std::string whatsapp_template_body(const Template& whatsapp);
};

/// Fills in the placeholders. Values are HTML-escaped in an email_html part and have their
/// line breaks turned into spaces in an email_subject (a header). A line (up to and with its
/// line break) whose placeholders are all empty is left out, as the self-service link's
/// line is when PUBLIC_URL is not set; any other empty value shows as "-", so a line never
/// ends in an unfinished "Alasan:". (The subject, one line, is never left out.)
std::string render(const Template& t, const MessageFields& fields);

/// The email_html part made from an email_text one: an HTML document in `locale`'s
/// language whose paragraphs are the text's (blank-line separated, line breaks kept),
/// the text escaped, {{link}} a link. Used where no HTML part of its own is given.
Template html_from_text(const Template& text, Locale locale);

/// A whatsapp part with each placeholder replaced by its number in kind_fields ({{1}},
/// {{2}}, …): the body to submit to Meta for approval.
std::string whatsapp_template_body(const Template& whatsapp);

/// Every part of every kind in both locales.
class TemplateSet {
 public:
  const Template& get(Locale locale, MessageKind kind, Part part) const;

 private:
  TemplateSet() = default;
  std::vector<Template> templates_;

  friend TemplateSet builtin_templates();
  friend TemplateSet load_templates(const std::filesystem::path& dir);
};

/// The built-in texts: Indonesian and English, the HTML parts made by html_from_text.
TemplateSet builtin_templates();

/// The built-in texts with each file `dir/<locale>/<kind>.<part>.txt` (UTF-8; a BOM, CRLF
/// line ends and trailing white space are dropped) in place of its part, e.g.
/// `dir/id/booking_confirmed.email_text.txt`. Where a kind's email_text is replaced but its
/// email_html is not, the HTML is made from the new text. A missing `dir` means no
/// overrides. Throws TemplateError naming the file for a file or directory it does not know
/// (hidden ones aside), a file that is empty, too large or not UTF-8, a subject of more
/// than one line, or a template parse refuses.
TemplateSet load_templates(const std::filesystem::path& dir);

/// A message's four parts, rendered.
struct RenderedMessage {
  std::string subject;
  std::string text;
  std::string html;
  std::string whatsapp;
};

RenderedMessage render_message(const TemplateSet& templates, Locale locale, MessageKind kind,
                               const MessageFields& fields);

}  // namespace janji::notify
