#include "infra/net/http_client.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace janji::net {
namespace {

TEST(HttpClientUrl, AcceptsAbsoluteHttpAndHttpsUrls) {
  for (const char* u :
       {"https://challenges.cloudflare.com/turnstile/v0/siteverify",
        "http://127.0.0.1:8080/siteverify", "http://[::1]:9/x?y=1", "https://example.test"})
    EXPECT_NO_THROW(check_url(u)) << u;
}

TEST(HttpClientUrl, RefusesEverythingElse) {
  for (const char* u : {"", "not a url", "/siteverify", "ftp://127.0.0.1/x", "file:///etc/passwd",
                        "http:///nohost", "127.0.0.1:8080/siteverify"})
    EXPECT_THROW(check_url(u), std::invalid_argument) << u;
}

}  // namespace
}  // namespace janji::net
