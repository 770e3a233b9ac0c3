#include "notify/templates.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace janji::notify {
namespace {

namespace fs = std::filesystem;

// Every field set, each value easy to find in the output.
MessageFields all_fields() {
  MessageFields f;
  f.name = "Budi";
  f.student = "Budi Santoso";
  f.course = "Piano Dasar";
  f.service = "Makeup Wisuda";
  f.date = "Sabtu, 5 Desember 2026";
  f.amount = "Rp 1.500.000";
  f.clients = "3";
  f.status = "menunggu konfirmasi";
  f.reason = "Kelas sudah penuh";
  f.deadline = "Selasa, 8 Desember 2026 pukul 09.00 WITA";
  f.link = "https://janji.example/register/status?token=abc";
  f.booking_id = "42";
  f.customer = "Siti Aminah";
  f.contact = "+6281234567890";
  return f;
}

std::string kind_case_name(const testing::TestParamInfo<MessageKind>& p) {
  // "booking_confirmed" → "BookingConfirmed"
  std::string out;
  bool upper = true;
  for (const char c : kind_name(p.param)) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

TEST(MessageKinds, TheNamesDesignMdUsesForWhatsappTemplates) {
  EXPECT_EQ(kind_name(MessageKind::kRegistrationReceived), "registration_received");
  EXPECT_EQ(kind_name(MessageKind::kBookingConfirmed), "booking_confirmed");
  EXPECT_EQ(kind_name(MessageKind::kBookingRejected), "booking_rejected");
  EXPECT_EQ(kind_name(MessageKind::kBookingExpired), "booking_expired");
  EXPECT_EQ(kind_name(MessageKind::kSeatOffered), "seat_offered");
  EXPECT_EQ(kind_name(MessageKind::kBookingCreated), "booking_created");
  EXPECT_EQ(kind_name(MessageKind::kBookingStatusChanged), "booking_status_changed");
  EXPECT_EQ(kind_name(MessageKind::kBookingReminder), "booking_reminder");
  EXPECT_EQ(kind_name(MessageKind::kBookingCreatedOwner), "booking_created_owner");
}

TEST(MessageKinds, NamesAreDistinctAndParseBack) {
  std::set<std::string_view> seen;
  for (const auto kind : kAllMessageKinds) {
    EXPECT_TRUE(seen.insert(kind_name(kind)).second) << kind_name(kind);
    EXPECT_EQ(parse_kind(kind_name(kind)), kind);
  }
  EXPECT_EQ(parse_kind("Booking_Confirmed"), std::nullopt);
  EXPECT_EQ(parse_kind(""), std::nullopt);
}

TEST(MessageKinds, DefaultWhatsappTemplateIsJanjiAndTheName) {
  EXPECT_EQ(default_whatsapp_template(MessageKind::kBookingReminder), "janji_booking_reminder");
  EXPECT_EQ(default_whatsapp_template(MessageKind::kSeatOffered), "janji_seat_offered");
}

TEST(Parts, NamesParseBack) {
  for (const auto part : kAllParts) EXPECT_EQ(parse_part(part_name(part)), part);
  EXPECT_EQ(part_name(Part::kEmailHtml), "email_html");
  EXPECT_EQ(part_name(Part::kWhatsapp), "whatsapp");
  EXPECT_EQ(parse_part("html"), std::nullopt);
}

TEST(KindFields, WhatsappParameterOrderOfACourseAndAServiceKind) {
  const std::vector<Field> confirmed(kind_fields(MessageKind::kBookingConfirmed).begin(),
                                     kind_fields(MessageKind::kBookingConfirmed).end());
  EXPECT_EQ(confirmed, (std::vector<Field>{Field::kName, Field::kStudent, Field::kCourse,
                                           Field::kAmount, Field::kLink}));
  const std::vector<Field> reminder(kind_fields(MessageKind::kBookingReminder).begin(),
                                    kind_fields(MessageKind::kBookingReminder).end());
  EXPECT_EQ(reminder, (std::vector<Field>{Field::kName, Field::kBookingId, Field::kService,
                                          Field::kDate, Field::kClients}));
}

TEST(WhatsappParameters, ValuesInKindFieldOrder) {
  EXPECT_EQ(whatsapp_parameters(MessageKind::kBookingConfirmed, all_fields()),
            (std::vector<std::string>{"Budi", "Budi Santoso", "Piano Dasar", "Rp 1.500.000",
                                      "https://janji.example/register/status?token=abc"}));
}

TEST(WhatsappParameters, LineBreaksTabsAndRunsOfSpacesBecomeOneSpace) {
  auto f = all_fields();
  f.reason = "  Kelas penuh.\r\nSilakan\tdaftar     lagi bulan depan.\n";
  EXPECT_EQ(whatsapp_parameters(MessageKind::kBookingRejected, f).back(),
            "Kelas penuh. Silakan daftar lagi bulan depan.");
}

TEST(WhatsappParameters, AnEmptyValueIsADash) {
  auto f = all_fields();
  f.reason = "";
  EXPECT_EQ(whatsapp_parameters(MessageKind::kBookingRejected, f).back(), "-");
  f.reason = " \n ";
  EXPECT_EQ(whatsapp_parameters(MessageKind::kBookingRejected, f).back(), "-");
}

TEST(StatusLabel, BothSurfacesStatusesInBothLanguages) {
  EXPECT_EQ(status_label("pending", Locale::kId), "menunggu konfirmasi");
  EXPECT_EQ(status_label("pending", Locale::kEn), "awaiting confirmation");
  EXPECT_EQ(status_label("dp", Locale::kId), "uang muka (DP) diterima");
  EXPECT_EQ(status_label("paid", Locale::kEn), "paid in full");
  EXPECT_EQ(status_label("waitlisted", Locale::kId), "dalam daftar tunggu");
  EXPECT_EQ(status_label("cancelled", Locale::kId), "dibatalkan");
}

TEST(StatusLabel, AnUnknownStatusIsShownAsItIs) {
  EXPECT_EQ(status_label("on_hold", Locale::kId), "on_hold");
}

TEST(TemplateParse, SubstitutesFieldsAllowingSpacesInsideTheBraces) {
  const auto t = Template::parse("Halo {{name}}, kursus {{ course }}: {{name}}.",
                                 MessageKind::kBookingConfirmed, Part::kEmailText);
  EXPECT_EQ(render(t, all_fields()), "Halo Budi, kursus Piano Dasar: Budi.");
  EXPECT_EQ(t.fields(), (std::vector<Field>{Field::kName, Field::kCourse, Field::kName}));
}

TEST(TemplateParse, SingleBracesAreText) {
  const auto t = Template::parse("{name} }} {x", MessageKind::kBookingConfirmed, Part::kWhatsapp);
  EXPECT_EQ(render(t, all_fields()), "{name} }} {x");
}

TEST(TemplateParse, UnknownPlaceholderIsAnErrorNamingItsLineAndTheKindsFields) {
  try {
    Template::parse("Halo {{name}},\n\nBiaya: {{amout}}", MessageKind::kBookingConfirmed,
                    Part::kEmailText);
    FAIL() << "no exception";
  } catch (const TemplateError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("line 3"), std::string::npos) << what;
    EXPECT_NE(what.find("{{amout}}"), std::string::npos) << what;
    EXPECT_NE(what.find("name, student, course, amount, link"), std::string::npos) << what;
  }
}

TEST(TemplateParse, AFieldOfAnotherKindIsAnError) {
  EXPECT_THROW(Template::parse("{{service}}", MessageKind::kBookingConfirmed, Part::kWhatsapp),
               TemplateError);
  EXPECT_THROW(Template::parse("{{course}}", MessageKind::kBookingReminder, Part::kWhatsapp),
               TemplateError);
}

TEST(TemplateParse, MalformedPlaceholdersAreErrors) {
  EXPECT_THROW(Template::parse("Halo {{name", MessageKind::kBookingConfirmed, Part::kEmailText),
               TemplateError);
  EXPECT_THROW(Template::parse("Halo {{}}", MessageKind::kBookingConfirmed, Part::kEmailText),
               TemplateError);
  EXPECT_THROW(Template::parse("Halo {{{name}}}", MessageKind::kBookingConfirmed, Part::kEmailText),
               TemplateError);
  EXPECT_THROW(Template::parse("Halo {{Name}}", MessageKind::kBookingConfirmed, Part::kEmailText),
               TemplateError);
}

TEST(Render, TextPartsShowValuesAsTheyAre) {
  auto f = all_fields();
  f.name = "<Budi & \"Ani\">";
  const auto t = Template::parse("Halo {{name}}", MessageKind::kBookingConfirmed, Part::kEmailText);
  EXPECT_EQ(render(t, f), "Halo <Budi & \"Ani\">");
  const auto wa = Template::parse("Halo {{name}}", MessageKind::kBookingConfirmed, Part::kWhatsapp);
  EXPECT_EQ(render(wa, f), "Halo <Budi & \"Ani\">");
}

TEST(Render, HtmlPartEscapesValues) {
  auto f = all_fields();
  f.name = "<script>alert('x')</script> & \"co\"";
  const auto t =
      Template::parse("<p>Halo {{name}}</p>", MessageKind::kBookingConfirmed, Part::kEmailHtml);
  EXPECT_EQ(render(t, f),
            "<p>Halo &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;</p>");
}

TEST(Render, SubjectValuesCannotBreakTheHeaderLine) {
  auto f = all_fields();
  f.course = "Piano\r\nBcc: victim@example.com";
  const auto t =
      Template::parse("Kursus {{course}}", MessageKind::kBookingConfirmed, Part::kEmailSubject);
  EXPECT_EQ(render(t, f), "Kursus Piano  Bcc: victim@example.com");
}

TEST(Render, AnEmptyValueBesideAFilledOneShowsAsADash) {
  auto f = all_fields();
  f.reason.clear();
  const auto t = Template::parse("Alasan untuk {{student}}: {{reason}}",
                                 MessageKind::kBookingRejected, Part::kEmailText);
  EXPECT_EQ(render(t, f), "Alasan untuk Budi Santoso: -");
}

TEST(Render, ALineWhoseFieldsAreAllEmptyIsLeftOut) {
  auto f = all_fields();
  f.link.clear();
  f.status.clear();
  const auto t =
      Template::parse("Halo {{name}}\nLihat di {{link}}\nStatus: {{status}} ({{course}})\nSalam",
                      MessageKind::kRegistrationReceived, Part::kWhatsapp);
  EXPECT_EQ(render(t, f), "Halo Budi\nStatus: - (Piano Dasar)\nSalam");
  const auto last = Template::parse("Halo {{name}}\n{{link}}", MessageKind::kRegistrationReceived,
                                    Part::kEmailText);
  EXPECT_EQ(render(last, f), "Halo Budi\n");
  // A rejection without a reason has no "Alasan" line.
  f.reason.clear();
  const auto rejected = Template::parse("Maaf, {{name}}.\nAlasan: {{reason}}\nSalam",
                                        MessageKind::kBookingRejected, Part::kEmailText);
  EXPECT_EQ(render(rejected, f), "Maaf, Budi.\nSalam");
  const auto paragraphs = Template::parse("Maaf, {{name}}.\n\nAlasan: {{reason}}\n\nSalam",
                                          MessageKind::kBookingRejected, Part::kEmailText);
  EXPECT_EQ(render(paragraphs, f), "Maaf, Budi.\n\nSalam");
  // A subject is one line: it stays, with its dash.
  const auto subject =
      Template::parse("Alasan {{reason}}", MessageKind::kBookingRejected, Part::kEmailSubject);
  EXPECT_EQ(render(subject, f), "Alasan -");
}

TEST(HtmlFromText, ParagraphsLineBreaksEscapedTextAndALink) {
  const auto text = Template::parse("Halo {{name}} & co,\n\nBaris satu\nBaris <dua>\n\n{{link}}",
                                    MessageKind::kBookingConfirmed, Part::kEmailText);
  const auto html = html_from_text(text, Locale::kId);
  EXPECT_EQ(html.part(), Part::kEmailHtml);
  auto f = all_fields();
  f.link = "https://janji.example/s?token=a&b=\"c\"";
  const auto out = render(html, f);
  EXPECT_TRUE(out.starts_with("<!DOCTYPE html>\n<html lang=\"id\">")) << out;
  EXPECT_NE(out.find("<p>Halo Budi &amp; co,</p>\n<p>Baris satu<br>\nBaris &lt;dua&gt;</p>\n"
                     "<p><a href=\"https://janji.example/s?token=a&amp;b=&quot;c&quot;\">"
                     "https://janji.example/s?token=a&amp;b=&quot;c&quot;</a></p>"),
            std::string::npos)
      << out;
  EXPECT_TRUE(out.ends_with("</body>\n</html>\n")) << out;
}

TEST(HtmlFromText, EnglishDocumentSaysSo) {
  const auto text = Template::parse("Hi", MessageKind::kBookingConfirmed, Part::kEmailText);
  EXPECT_NE(render(html_from_text(text, Locale::kEn), all_fields()).find("<html lang=\"en\">"),
            std::string::npos);
}

TEST(WhatsappTemplateBody, NumbersPlaceholdersInParameterOrder) {
  const auto t = Template::parse("Halo {{name}}, kursus {{course}} ({{link}}) untuk {{student}}.",
                                 MessageKind::kBookingConfirmed, Part::kWhatsapp);
  EXPECT_EQ(whatsapp_template_body(t), "Halo {{1}}, kursus {{3}} ({{5}}) untuk {{2}}.");
}

TEST(BuiltinTemplates, IndonesianRegistrationReceivedReadsNaturally) {
  const auto set = builtin_templates();
  const auto m = render_message(set, Locale::kId, MessageKind::kRegistrationReceived, all_fields());
  EXPECT_EQ(m.subject, "Pendaftaran kursus Piano Dasar sudah kami terima");
  EXPECT_TRUE(
      m.text.starts_with("Halo Budi,\n\nTerima kasih, pendaftaran atas nama Budi Santoso "
                         "untuk kursus Piano Dasar sudah kami terima.\n"))
      << m.text;
  EXPECT_NE(m.text.find("Biaya per sesi: Rp 1.500.000\n"), std::string::npos) << m.text;
  EXPECT_NE(m.html.find("<p>Halo Budi,</p>"), std::string::npos) << m.html;
  EXPECT_TRUE(m.whatsapp.starts_with("Halo Budi, pendaftaran atas nama Budi Santoso"))
      << m.whatsapp;
}

TEST(BuiltinTemplates, EnglishBookingReminder) {
  const auto set = builtin_templates();
  const auto m = render_message(set, Locale::kEn, MessageKind::kBookingReminder, all_fields());
  EXPECT_EQ(m.subject, "Reminder: Makeup Wisuda tomorrow, Sabtu, 5 Desember 2026");
  EXPECT_NE(m.text.find("Booking number: #42\n"), std::string::npos) << m.text;
}

TEST(BuiltinTemplates, TheOwnersMessageNamesTheCustomer) {
  const auto set = builtin_templates();
  const auto m = render_message(set, Locale::kId, MessageKind::kBookingCreatedOwner, all_fields());
  EXPECT_EQ(m.subject, "Pesanan baru #42: Makeup Wisuda, Sabtu, 5 Desember 2026");
  EXPECT_NE(m.text.find("Pelanggan: Siti Aminah\nKontak: +6281234567890\n"), std::string::npos)
      << m.text;
}

struct LocaleKind {
  Locale locale;
  MessageKind kind;
};

class EachBuiltin : public testing::TestWithParam<LocaleKind> {
 protected:
  const Template& get(Part part) const {
    return set_.get(GetParam().locale, GetParam().kind, part);
  }
  const TemplateSet set_ = builtin_templates();
};

std::vector<LocaleKind> every_locale_and_kind() {
  std::vector<LocaleKind> out;
  for (const auto locale : {Locale::kId, Locale::kEn})
    for (const auto kind : kAllMessageKinds) out.push_back({locale, kind});
  return out;
}

std::string locale_kind_name(const testing::TestParamInfo<LocaleKind>& p) {
  return std::string(p.param.locale == Locale::kId ? "Id" : "En") +
         kind_case_name({p.param.kind, p.index});
}

TEST_P(EachBuiltin, EveryPartIsOfItsKindAndPart) {
  for (const auto part : kAllParts) {
    EXPECT_EQ(get(part).kind(), GetParam().kind);
    EXPECT_EQ(get(part).part(), part);
  }
}

TEST_P(EachBuiltin, TextAndWhatsappShowEveryFieldOfTheKind) {
  // So the approved WhatsApp template, numbered from this text, takes every parameter.
  for (const auto part : {Part::kEmailText, Part::kWhatsapp}) {
    const auto used = get(part).fields();
    for (const auto field : kind_fields(GetParam().kind))
      EXPECT_NE(std::find(used.begin(), used.end(), field), used.end())
          << part_name(part) << " lacks {{" << field_name(field) << "}}";
  }
}

TEST_P(EachBuiltin, WhatsappTextNeitherStartsNorEndsWithAParameter) {
  // Meta refuses templates that do.
  const auto body = whatsapp_template_body(get(Part::kWhatsapp));
  EXPECT_FALSE(body.starts_with("{{")) << body;
  EXPECT_FALSE(body.ends_with("}}")) << body;
}

TEST_P(EachBuiltin, WithoutASelfServiceLinkItsSentenceIsLeftOut) {
  // PUBLIC_URL unset: no link, and no "di -" where it would have been.
  auto f = all_fields();
  f.link.clear();
  const auto m = render_message(set_, GetParam().locale, GetParam().kind, f);
  for (const auto* s : {&m.text, &m.whatsapp}) {
    EXPECT_EQ(s->find(" -"), std::string::npos) << *s;
    EXPECT_EQ(s->find("http"), std::string::npos) << *s;
    EXPECT_FALSE(s->empty());
  }
  EXPECT_EQ(m.html.find("<a href"), std::string::npos) << m.html;
  EXPECT_EQ(m.html.find(">-<"), std::string::npos) << m.html;
  EXPECT_NE(m.html.find("</body>"), std::string::npos) << m.html;
  // The WhatsApp Cloud API still gets a parameter for it (Meta refuses empty ones).
  const auto params = whatsapp_parameters(GetParam().kind, f);
  EXPECT_EQ(std::count(params.begin(), params.end(), std::string("")), 0);
}

TEST_P(EachBuiltin, RenderedPartsHaveNoPlaceholderLeftAndTheSubjectIsOneLine) {
  const auto m = render_message(set_, GetParam().locale, GetParam().kind, all_fields());
  for (const auto* s : {&m.subject, &m.text, &m.html, &m.whatsapp}) {
    EXPECT_EQ(s->find("{{"), std::string::npos) << *s;
    EXPECT_FALSE(s->empty());
  }
  EXPECT_EQ(m.subject.find('\n'), std::string::npos) << m.subject;
  EXPECT_NE(m.html.find(std::string("<html lang=\"") + std::string(locale_name(GetParam().locale)) +
                        "\">"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Builtins, EachBuiltin, testing::ValuesIn(every_locale_and_kind()),
                         locale_kind_name);

class LoadTemplates : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(testing::TempDir()) / (std::string("janji_templates_") + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& relative, std::string_view content) const {
    const auto path = dir_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }

  std::string error_of_loading() const {
    try {
      load_templates(dir_);
    } catch (const TemplateError& e) {
      return e.what();
    }
    return "no error";
  }

  fs::path dir_;
};

TEST_F(LoadTemplates, AMissingDirectoryMeansTheBuiltins) {
  const auto set = load_templates(dir_ / "absent");
  EXPECT_EQ(render(set.get(Locale::kId, MessageKind::kBookingConfirmed, Part::kEmailSubject),
                   all_fields()),
            "Pendaftaran kursus Piano Dasar sudah dikonfirmasi");
}

TEST_F(LoadTemplates, AFileReplacesItsPartOnly) {
  write("id/booking_confirmed.email_subject.txt", "Selamat, {{name}}!");
  const auto set = load_templates(dir_);
  EXPECT_EQ(render(set.get(Locale::kId, MessageKind::kBookingConfirmed, Part::kEmailSubject),
                   all_fields()),
            "Selamat, Budi!");
  EXPECT_EQ(render(set.get(Locale::kEn, MessageKind::kBookingConfirmed, Part::kEmailSubject),
                   all_fields()),
            "Your registration for Piano Dasar is confirmed");
  EXPECT_TRUE(
      render(set.get(Locale::kId, MessageKind::kBookingConfirmed, Part::kEmailText), all_fields())
          .starts_with("Halo Budi,\n\nKabar baik!"));
}

TEST_F(LoadTemplates, ANewTextWithoutANewHtmlGetsItsHtmlFromTheNewText) {
  write("id/booking_expired.email_text.txt", "Maaf {{name}},\n\nkursus {{course}} kedaluwarsa.");
  const auto set = load_templates(dir_);
  const auto html =
      render(set.get(Locale::kId, MessageKind::kBookingExpired, Part::kEmailHtml), all_fields());
  EXPECT_NE(html.find("<p>Maaf Budi,</p>\n<p>kursus Piano Dasar kedaluwarsa.</p>"),
            std::string::npos)
      << html;
}

TEST_F(LoadTemplates, AnHtmlFileIsUsedAsItIsWithEscapedValues) {
  write("en/booking_expired.email_text.txt", "Sorry {{name}}");
  write("en/booking_expired.email_html.txt", "<b>Sorry</b> {{name}}");
  auto f = all_fields();
  f.name = "<i>Budi</i>";
  const auto set = load_templates(dir_);
  EXPECT_EQ(render(set.get(Locale::kEn, MessageKind::kBookingExpired, Part::kEmailHtml), f),
            "<b>Sorry</b> &lt;i&gt;Budi&lt;/i&gt;");
}

TEST_F(LoadTemplates, ByteOrderMarkCarriageReturnsAndTrailingWhiteSpaceAreDropped) {
  write("id/booking_reminder.whatsapp.txt",
        "\xEF\xBB\xBFHalo {{name}},\r\nbesok {{date}}.\r\n\r\n  \n");
  const auto set = load_templates(dir_);
  EXPECT_EQ(
      render(set.get(Locale::kId, MessageKind::kBookingReminder, Part::kWhatsapp), all_fields()),
      "Halo Budi,\nbesok Sabtu, 5 Desember 2026.");
}

TEST_F(LoadTemplates, AnUnknownPlaceholderNamesTheFileAndTheLine) {
  write("id/booking_rejected.email_text.txt", "Halo {{name}},\n{{alasan}}");
  const auto what = error_of_loading();
  EXPECT_NE(what.find("booking_rejected.email_text.txt"), std::string::npos) << what;
  EXPECT_NE(what.find("line 2"), std::string::npos) << what;
  EXPECT_NE(what.find("{{alasan}}"), std::string::npos) << what;
}

TEST_F(LoadTemplates, AMisspelledFileNameIsAnError) {
  write("id/booking_confirmd.email_text.txt", "Halo");
  EXPECT_NE(error_of_loading().find("booking_confirmd.email_text.txt"), std::string::npos);
}

TEST_F(LoadTemplates, AFileWithoutItsPartIsAnError) {
  write("id/booking_confirmed.txt", "Halo");
  EXPECT_NE(error_of_loading().find("not a template file"), std::string::npos);
}

TEST_F(LoadTemplates, AnUnknownLocaleDirectoryIsAnError) {
  write("id-ID/booking_confirmed.email_text.txt", "Halo");
  EXPECT_NE(error_of_loading().find("not a locale directory"), std::string::npos);
}

TEST_F(LoadTemplates, ATemplateOutsideALocaleDirectoryIsAnError) {
  write("booking_confirmed.email_text.txt", "Halo");
  EXPECT_NE(error_of_loading().find("belongs in a locale directory"), std::string::npos);
}

TEST_F(LoadTemplates, AReadmeAndHiddenFilesAreIgnored) {
  write("README.md", "How to write templates");
  write(".git/config", "x");
  write("id/.booking_confirmed.email_text.txt.swp", "\x01\x02");
  EXPECT_NO_THROW(load_templates(dir_));
}

TEST_F(LoadTemplates, ASubjectOfTwoLinesIsAnError) {
  write("en/seat_offered.email_subject.txt", "Seat free\nfor {{name}}\n");
  EXPECT_NE(error_of_loading().find("a subject is one line"), std::string::npos);
}

TEST_F(LoadTemplates, AnEmptyFileIsAnError) {
  write("en/seat_offered.whatsapp.txt", " \n\n");
  EXPECT_NE(error_of_loading().find("empty"), std::string::npos);
}

TEST_F(LoadTemplates, TextThatIsNotUtf8IsAnError) {
  write("id/seat_offered.whatsapp.txt", "Halo {{name}}, kursi \xE9 untuk Anda");
  EXPECT_NE(error_of_loading().find("not UTF-8"), std::string::npos);
}

TEST_F(LoadTemplates, AFileWhereTheDirectoryShouldBeIsAnError) {
  write("file", "x");
  EXPECT_THROW(load_templates(dir_ / "file"), TemplateError);
}

}  // namespace
}  // namespace janji::notify
