#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

namespace janji::notify {

/// SMTP_URL and friends. `smtp://host:port` upgrades with STARTTLS when the server offers it;
/// `smtps://` starts with TLS. Certificates are checked against the system's CA store, or
/// `ca_file` (SSL_CERT_FILE) when set.
struct SmtpSettings {
  std::string url;
  std::string user;
  std::string password;
  std::string from;  // MAIL_FROM: "Name <address>" or an address
  std::string ca_file;
  std::chrono::seconds timeout{30};
};

struct Mail {
  std::string to;
  std::string subject;
  std::string text;
  std::string html;
  std::string message_id;  // without the angle brackets
};

struct SmtpError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Sends `mail` (plain text and HTML alternatives, UTF-8) through the server; blocks until
/// the server accepted it or throws SmtpError saying why not.
void send_mail(const SmtpSettings& settings, const Mail& mail);

/// A header value as RFC 2047 encoded words when it is not plain ASCII ("=?UTF-8?B?…?="),
/// split so no encoded word is longer than 75 characters and no UTF-8 character is cut.
std::string encode_header(std::string_view text);

/// The address part of "Name <address>", or the whole text.
std::string mailbox_address(std::string_view from);

}  // namespace janji::notify
