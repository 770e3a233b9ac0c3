#include "notify/smtp.hpp"

#include "infra/crypto/crypto.hpp"

#include <curl/curl.h>

#include <ctime>
#include <memory>
#include <mutex>
#include <vector>

namespace janji::notify {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool plain_ascii(std::string_view s) {
  for (unsigned char ch : s)
    if (ch >= 0x80 || ch < 0x20) return false;
  return true;
}

std::string rfc5322_date() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct MimeDeleter {
  void operator()(curl_mime* m) const { curl_mime_free(m); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::string encode_header(std::string_view text) {
  if (plain_ascii(text)) return std::string(text);
  // Each word holds at most 45 bytes (60 base64 characters + 12 of framing < 75).
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = std::min<std::size_t>(45, text.size() - i);
    // Never split a UTF-8 sequence: back up to the start of a character.
    while (n > 0 && i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xc0) == 0x80)
      --n;
    if (n == 0) n = std::min<std::size_t>(45, text.size() - i);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + crypto::base64_encode(text.substr(i, n)) + "?=";
    i += n;
  }
  return out;
}

std::string mailbox_address(std::string_view from) {
  const auto open = from.rfind('<');
  const auto close = from.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    return std::string(from.substr(open + 1, close - open - 1));
  return std::string(from);
}

void send_mail(const SmtpSettings& s, const Mail& m) {
  global_init();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw SmtpError("cannot start libcurl");
  CURL* c = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_URL, s.url.c_str());
  // smtp:// uses STARTTLS when the server offers it; smtps:// is TLS from the start.
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (!s.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, s.ca_file.c_str());
  if (!s.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, s.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, s.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(s.timeout.count()));
  const auto from = "<" + mailbox_address(s.from) + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  std::unique_ptr<curl_slist, ListDeleter> rcpt(
      curl_slist_append(nullptr, ("<" + m.to + ">").c_str()));
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());

  curl_slist* raw_headers = nullptr;
  for (const auto& h :
       {"Date: " + rfc5322_date(), "From: " + s.from, "To: <" + m.to + ">",
        "Subject: " + encode_header(m.subject), "Message-ID: <" + m.message_id + ">"})
    raw_headers = curl_slist_append(raw_headers, h.c_str());
  std::unique_ptr<curl_slist, ListDeleter> headers(raw_headers);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  // multipart/alternative: the plain text first, the HTML preferred by mail readers.
  std::unique_ptr<curl_mime, MimeDeleter> mime(curl_mime_init(c));
  curl_mime* alt = curl_mime_init(c);
  curl_mimepart* text = curl_mime_addpart(alt);
  curl_mime_data(text, m.text.data(), m.text.size());
  curl_mime_type(text, "text/plain; charset=UTF-8");
  curl_mime_encoder(text, "quoted-printable");
  curl_mimepart* html = curl_mime_addpart(alt);
  curl_mime_data(html, m.html.data(), m.html.size());
  curl_mime_type(html, "text/html; charset=UTF-8");
  curl_mime_encoder(html, "quoted-printable");
  curl_mimepart* part = curl_mime_addpart(mime.get());
  curl_mime_subparts(part, alt);  // owned by `mime` from here
  curl_mime_type(part, "multipart/alternative");
  std::unique_ptr<curl_slist, ListDeleter> inline_header(
      curl_slist_append(nullptr, "Content-Disposition: inline"));
  curl_mime_headers(part, inline_header.get(), 0);
  curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());

  const auto rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    std::string why = error[0] ? error : curl_easy_strerror(rc);
    if (code) why += " (SMTP " + std::to_string(code) + ")";
    throw SmtpError(why);
  }
}

}  // namespace janji::notify
