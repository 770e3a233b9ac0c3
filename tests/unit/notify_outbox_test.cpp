#include "bookings/notices.hpp"
#include "courses/notices.hpp"
#include "infra/crypto/crypto.hpp"
#include "infra/net/http_client.hpp"
#include "notify/outbox.hpp"
#include "notify/sender.hpp"
#include "notify/smtp.hpp"
#include "notify/validation.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>

namespace janji {
namespace {

namespace json = boost::json;
using notify::Recipient;

Timestamp at(const char* iso) {
  return *parse_datetime(iso);
}

notify::Notice confirmed_notice() {
  notify::Notice n;
  n.kind = notify::MessageKind::kBookingConfirmed;
  n.fields.student = "Siti Aminah";
  n.fields.course = "Piano Dasar";
  n.fields.amount = "Rp 150.000";
  n.to = {{Recipient::By::kEmail, "siti@example.com", "Siti Aminah"},
          {Recipient::By::kPhone, "0812-3456-7890", "Ibu Aminah"},
          {Recipient::By::kPhone, "not a number", "Nobody"}};
  return n;
}

notify::OutboxSettings settings(bool whatsapp, bool email) {
  auto s = notify::OutboxSettings::defaults();
  s.whatsapp = whatsapp;
  s.email = email;
  return s;
}

// --- plan ------------------------------------------------------------------------------------

TEST(OutboxPlan, EmailAndWhatsappGoOutInIndonesianWithTheKindsTemplate) {
  const auto templates = notify::builtin_templates();
  const auto ds = notify::plan(confirmed_notice(), settings(true, true), templates);
  ASSERT_EQ(ds.size(), 2u);  // the non-number is nobody to reach
  EXPECT_EQ(ds[0].channel, "email");
  EXPECT_EQ(ds[0].recipient, "siti@example.com");
  const auto mail = json::parse(ds[0].payload).as_object();
  EXPECT_NE(std::string(mail.at("text").as_string()).find("Piano Dasar"), std::string::npos);
  EXPECT_NE(std::string(mail.at("html").as_string()).find("<html"), std::string::npos);
  EXPECT_EQ(ds[0].status, "queued");
  EXPECT_EQ(ds[1].channel, "whatsapp");
  EXPECT_EQ(ds[1].recipient, "+6281234567890");
  const auto wa = json::parse(ds[1].payload).as_object();
  EXPECT_EQ(wa.at("template").as_string(), "janji_booking_confirmed");
  EXPECT_EQ(wa.at("language").as_string(), "id");
  // The greeting is the recipient's own name: the guardian here.
  EXPECT_EQ(wa.at("parameters").as_array().at(0).as_string(), "Ibu Aminah");
}

TEST(OutboxPlan, WithoutWhatsappCredentialsAPhoneGetsAWaMeLinkHandedOverAtOnce) {
  const auto templates = notify::builtin_templates();
  const auto ds = notify::plan(confirmed_notice(), settings(false, true), templates);
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[1].channel, "wa_link");
  ASSERT_TRUE(ds[1].wa_link);
  EXPECT_EQ(ds[1].wa_link->rfind("https://wa.me/6281234567890?text=", 0), 0u) << *ds[1].wa_link;
  EXPECT_EQ(ds[1].status, "sent");
}

TEST(OutboxPlan, WithoutSmtpNoEmailIsQueued) {
  const auto templates = notify::builtin_templates();
  const auto ds = notify::plan(confirmed_notice(), settings(true, false), templates);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].channel, "whatsapp");
}

TEST(OutboxPlan, AConfiguredTemplateNameIsUsed) {
  auto s = settings(true, false);
  for (std::size_t i = 0; i < notify::kAllMessageKinds.size(); ++i)
    if (notify::kAllMessageKinds[i] == notify::MessageKind::kBookingConfirmed)
      s.whatsapp_templates[i] = "kursus_dikonfirmasi";
  const auto ds = notify::plan(confirmed_notice(), s, notify::builtin_templates());
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(json::parse(ds[0].payload).at("template").as_string(), "kursus_dikonfirmasi");
}

TEST(OutboxWebhooks, AnEndpointTakesItsTypesOrEverything) {
  EXPECT_TRUE(notify::takes({"*"}, "booking.created"));
  EXPECT_TRUE(notify::takes({"booking_created", "booking.created"}, "booking.created"));
  EXPECT_FALSE(notify::takes({"booking_created"}, "booking.created"));
  EXPECT_FALSE(notify::takes({}, "booking_created"));
}

TEST(OutboxWebhooks, TheBodyEmbedsTheDataAsItIs) {
  const auto body =
      notify::webhook_body("booking_created", at("2026-12-05T01:02:03Z"), R"({"id":7})");
  const auto v = json::parse(body).as_object();
  EXPECT_EQ(v.at("type").as_string(), "booking_created");
  EXPECT_EQ(v.at("timestamp").as_string().subview().substr(0, 20), "2026-12-05T01:02:03.");
  EXPECT_EQ(v.at("data").at("id").as_int64(), 7);
}

TEST(OutboxWebhooks, MessageIdsAreUniqueAndHaveNoDot) {
  crypto::init();
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  const auto a = notify::new_message_id(now);
  const auto b = notify::new_message_id(now);
  const auto later = notify::new_message_id(now + std::chrono::milliseconds(1));
  EXPECT_NE(a, b);
  // Later ids sort after earlier ones (they append to the index).
  EXPECT_LT(std::max(a, b), later);
  EXPECT_EQ(a.rfind("msg_", 0), 0u);
  EXPECT_EQ(a.find('.'), std::string::npos);
}

// --- the WhatsApp request ----------------------------------------------------------------------

TEST(WhatsappRequest, IsATemplateMessageToTheDigitsWithTheIdAsCallbackData) {
  const auto body = notify::whatsapp_request(
      R"({"to":"+6281234567890","template":"janji_booking_confirmed","language":"id",)"
      R"("parameters":["Siti","Piano Dasar"]})",
      "msg_abc");
  const auto v = json::parse(body).as_object();
  EXPECT_EQ(v.at("messaging_product").as_string(), "whatsapp");
  EXPECT_EQ(v.at("to").as_string(), "6281234567890");
  EXPECT_EQ(v.at("type").as_string(), "template");
  EXPECT_EQ(v.at("biz_opaque_callback_data").as_string(), "msg_abc");
  const auto& t = v.at("template").as_object();
  EXPECT_EQ(t.at("name").as_string(), "janji_booking_confirmed");
  EXPECT_EQ(t.at("language").at("code").as_string(), "id");
  const auto& params = t.at("components").as_array().at(0).at("parameters").as_array();
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[1].at("text").as_string(), "Piano Dasar");
  EXPECT_EQ(params[1].at("type").as_string(), "text");
}

// --- SMTP headers ------------------------------------------------------------------------------

TEST(SmtpHeader, AsciiStaysAsItIs) {
  EXPECT_EQ(notify::encode_header("Booking confirmed"), "Booking confirmed");
}

TEST(SmtpHeader, Utf8BecomesEncodedWordsThatDecodeBack) {
  const std::string subject = "Pendaftaran diterima — Piano Dasar für Kinder, Rp 1.500.000 ✓";
  const auto h = notify::encode_header(subject);
  std::string decoded;
  std::size_t pos = 0;
  while ((pos = h.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const auto end = h.find("?=", pos + 10);
    ASSERT_NE(end, std::string::npos);
    const auto word = h.substr(pos, end + 2 - pos);
    EXPECT_LE(word.size(), 75u) << word;
    decoded += *crypto::base64_decode(h.substr(pos + 10, end - pos - 10));
    pos = end + 2;
  }
  EXPECT_EQ(decoded, subject);
}

TEST(SmtpHeader, MailboxAddressIsTheAngleBracketsPart) {
  EXPECT_EQ(notify::mailbox_address("Alfiyah Makeup <halo@alfiyah.id>"), "halo@alfiyah.id");
  EXPECT_EQ(notify::mailbox_address("halo@alfiyah.id"), "halo@alfiyah.id");
}

// --- private addresses -------------------------------------------------------------------------

TEST(PrivateAddress, InternalRangesArePrivate) {
  for (const char* ip :
       {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1"})
    EXPECT_TRUE(net::is_private_address(ip)) << ip;
}

TEST(PrivateAddress, PublicAddressesAndNamesAreNot) {
  for (const char* ip :
       {"8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "hooks.example.com"})
    EXPECT_FALSE(net::is_private_address(ip)) << ip;
}

// --- the webhook request -------------------------------------------------------------------------

TEST(WebhookRequest, AValidOneKeepsItsEventsOnce) {
  const auto r = notify::parse_webhook_request(
      json::parse(R"({"url":"https://hooks.example.com/janji","events":["booking.created",)"
                  R"("booking.created","booking_updated"],"description":"CRM"})"),
      false);
  EXPECT_EQ(r.url, "https://hooks.example.com/janji");
  EXPECT_EQ(r.events, (std::vector<std::string>{"booking.created", "booking_updated"}));
  EXPECT_EQ(r.description, "CRM");
}

TEST(WebhookRequest, RefusesPrivateTargetsUnlessAllowed) {
  const auto body = json::parse(R"({"url":"http://127.0.0.1:9/x","events":["*"]})");
  EXPECT_THROW(notify::parse_webhook_request(body, false), ApiError);
  EXPECT_THROW(notify::parse_webhook_request(
                   json::parse(R"({"url":"http://localhost:9/x","events":["*"]})"), false),
               ApiError);
  EXPECT_NO_THROW(notify::parse_webhook_request(body, true));
}

TEST(WebhookRequest, RefusesBadUrlsAndUnknownOrNoEvents) {
  for (const char* bad :
       {R"({"url":"ftp://example.com","events":["*"]})",
        R"({"url":"https://example.com","events":[]})",
        R"({"url":"https://example.com","events":["booking.exploded"]})",
        R"({"url":"https://example.com"})", R"({"events":["*"]})", R"({"url":7,"events":["*"]})"})
    EXPECT_THROW(notify::parse_webhook_request(json::parse(bad), false), ApiError) << bad;
}

// --- who hears of what ---------------------------------------------------------------------------

bookings::Booking service_booking() {
  bookings::Booking b;
  b.id = 42;
  b.status = "pending";
  b.price_locked = 150'000'000;  // Rp 1.500.000 in sen
  b.tanggal_acara = at("2026-12-10T02:00:00Z");
  b.jumlah_client = 3;
  b.user.name = "Dewi";
  b.user.email = "dewi@example.com";
  return b;
}

TEST(BookingNotices, ACreatedBookingTellsTheCustomerAndTheOwner) {
  const notify::Zone zone("Asia/Makassar");
  auto b = service_booking();
  const bookings::NoticeFacts facts{"Makeup Wisuda", std::nullopt, "owner@alfiyah.id"};
  const auto ns = bookings::notices_for("booking_created", b, facts, zone, notify::Locale::kId);
  ASSERT_EQ(ns.size(), 2u);
  EXPECT_EQ(ns[0].kind, notify::MessageKind::kBookingCreated);
  ASSERT_EQ(ns[0].to.size(), 1u);
  EXPECT_EQ(ns[0].to[0].by, Recipient::By::kEmail);  // no phone: e-mail
  EXPECT_EQ(ns[0].fields.amount, "Rp 1.500.000");
  EXPECT_EQ(ns[0].fields.date, "Kamis, 10 Desember 2026");
  EXPECT_EQ(ns[1].kind, notify::MessageKind::kBookingCreatedOwner);
  EXPECT_EQ(ns[1].to[0].address, "owner@alfiyah.id");
}

TEST(BookingNotices, APhoneNumberMeansWhatsapp) {
  auto b = service_booking();
  b.user.phone_number = "0812 1111 2222";
  EXPECT_EQ(bookings::customer(b.user).by, Recipient::By::kPhone);
  b.user.phone_number = "12";
  EXPECT_EQ(bookings::customer(b.user).by, Recipient::By::kEmail);
}

TEST(BookingNotices, OnlyAStatusChangeTellsTheCustomerOfAnUpdate) {
  const notify::Zone zone("Asia/Makassar");
  auto b = service_booking();
  b.status = "dp";
  const bookings::NoticeFacts changed{"Makeup", std::string("pending"), std::nullopt};
  const bookings::NoticeFacts same{"Makeup", std::string("dp"), std::nullopt};
  const auto ns = bookings::notices_for("booking_updated", b, changed, zone, notify::Locale::kId);
  ASSERT_EQ(ns.size(), 1u);
  EXPECT_EQ(ns[0].kind, notify::MessageKind::kBookingStatusChanged);
  EXPECT_TRUE(bookings::notices_for("booking_updated", b, same, zone, notify::Locale::kId).empty());
  // No owner e-mail configured: only the customer hears of a new booking.
  EXPECT_EQ(bookings::notices_for("booking_created", b, same, zone, notify::Locale::kId).size(),
            1u);
}

TEST(CourseNotices, EachEventGoesToTheApplicantAndTheGuardian) {
  const notify::Zone zone("Asia/Makassar");
  courses::CourseBooking b;
  b.status = "rejected";
  b.course_title = "Piano Dasar";
  b.rejection_reason = "Kelas penuh";
  b.form.full_name = "Raka";
  b.form.email = "raka@example.com";
  b.form.wa_number = "081234567890";
  b.form.guardian_name = "Ibu Raka";
  b.form.guardian_wa_number = "081298765432";
  const auto ns =
      courses::notices_for("booking.rejected", b, 15'000'000, zone, notify::Locale::kId);
  ASSERT_EQ(ns.size(), 1u);
  EXPECT_EQ(ns[0].kind, notify::MessageKind::kBookingRejected);
  EXPECT_EQ(ns[0].fields.reason, "Kelas penuh");
  ASSERT_EQ(ns[0].to.size(), 3u);
  EXPECT_EQ(ns[0].to[0].by, Recipient::By::kEmail);
  EXPECT_EQ(ns[0].to[2].name, "Ibu Raka");
  for (const char* t : {"booking.created", "booking.confirmed", "booking.expired"})
    EXPECT_EQ(courses::notices_for(t, b, 0, zone, notify::Locale::kId).size(), 1u) << t;
  EXPECT_TRUE(courses::notices_for("booking.deleted", b, 0, zone, notify::Locale::kId).empty());
}

}  // namespace
}  // namespace janji
