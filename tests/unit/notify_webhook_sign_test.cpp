#include "notify/webhook_sign.hpp"

#include "infra/crypto/crypto.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace janji::notify {
namespace {

class WebhookSign : public testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::init(); }
};

// The signing vector the Standard Webhooks reference libraries test against
// (libraries/go/webhook_test.go, TestWebhookSign).
TEST_F(WebhookSign, MatchesTheReferenceLibrariesVector) {
  EXPECT_EQ(
      webhook_signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330, R"({"test": 2432232314})"),
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

// The key is the bytes 0..31; the body has a UTF-8 en dash. Computed apart with Python:
//   key = bytes(range(32))
//   base64.b64encode(hmac.new(key, b"msg_01JEXAMPLE.1796432400." + body,
//                             hashlib.sha256).digest())
constexpr std::string_view kSecret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr std::string_view kBody =
    "{\"type\":\"booking.confirmed\",\"timestamp\":\"2026-12-05T01:00:00.000Z\","
    "\"data\":{\"id\":7,\"course\":\"Piano \xE2\x80\x93 Dasar\"}}";

TEST_F(WebhookSign, MatchesAVectorComputedWithPython) {
  EXPECT_EQ(webhook_signature(kSecret, "msg_01JEXAMPLE", 1796432400, kBody),
            "v1,FzM59bqdLrIDzLTMBWXiAnykXkNZasdOk/2OKbaiKEU=");
}

TEST_F(WebhookSign, TheTimestampIsSigned) {
  EXPECT_EQ(webhook_signature(kSecret, "msg_01JEXAMPLE", 1796432401, kBody),
            "v1,DvZg/13PV0OzR1eGg3Uh2PxaWFnHCxkDdl745I71+dc=");
}

TEST_F(WebhookSign, TheIdAndTheBodyAreSigned) {
  const auto base = webhook_signature(kSecret, "msg_01JEXAMPLE", 1796432400, kBody);
  EXPECT_NE(webhook_signature(kSecret, "msg_01JEXAMPLF", 1796432400, kBody), base);
  EXPECT_NE(webhook_signature(kSecret, "msg_01JEXAMPLE", 1796432400, std::string(kBody) + " "),
            base);
}

TEST_F(WebhookSign, RefusesASecretWithoutThePrefix) {
  EXPECT_THROW(webhook_signature("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "msg_1", 1, "{}"),
               std::invalid_argument);
  EXPECT_THROW(webhook_signature("", "msg_1", 1, "{}"), std::invalid_argument);
}

TEST_F(WebhookSign, RefusesASecretThatIsNotBase64) {
  EXPECT_THROW(webhook_signature("whsec_not base64!", "msg_1", 1, "{}"), std::invalid_argument);
  EXPECT_THROW(webhook_signature("whsec_", "msg_1", 1, "{}"), std::invalid_argument);
}

TEST_F(WebhookSign, RefusesAKeyShorterThan24OrLongerThan64Bytes) {
  const std::string k23 = "whsec_" + crypto::base64_encode(std::string(23, 'k'));
  const std::string k24 = "whsec_" + crypto::base64_encode(std::string(24, 'k'));
  const std::string k64 = "whsec_" + crypto::base64_encode(std::string(64, 'k'));
  const std::string k65 = "whsec_" + crypto::base64_encode(std::string(65, 'k'));
  EXPECT_THROW(webhook_signature(k23, "msg_1", 1, "{}"), std::invalid_argument);
  EXPECT_NO_THROW(webhook_signature(k24, "msg_1", 1, "{}"));
  EXPECT_NO_THROW(webhook_signature(k64, "msg_1", 1, "{}"));
  EXPECT_THROW(webhook_signature(k65, "msg_1", 1, "{}"), std::invalid_argument);
}

TEST_F(WebhookSign, RefusesAnEmptyIdOrOneWithAFullStop) {
  EXPECT_THROW(webhook_signature(kSecret, "", 1, "{}"), std::invalid_argument);
  EXPECT_THROW(webhook_signature(kSecret, "msg.1", 1, "{}"), std::invalid_argument);
}

TEST_F(WebhookSign, NewSecretIsThePrefixAndBase64Of32Bytes) {
  const auto secret = new_webhook_secret();
  ASSERT_TRUE(secret.starts_with("whsec_")) << secret;
  const auto key = crypto::base64_decode(std::string_view(secret).substr(6));
  ASSERT_TRUE(key) << secret;
  EXPECT_EQ(key->size(), 32u);
  EXPECT_NO_THROW(webhook_signature(secret, "msg_1", 1, "{}"));
}

TEST_F(WebhookSign, NewSecretsDiffer) {
  EXPECT_NE(new_webhook_secret(), new_webhook_secret());
}

}  // namespace
}  // namespace janji::notify
