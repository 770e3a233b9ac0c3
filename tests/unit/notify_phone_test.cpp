#include "notify/phone.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace janji::notify {
namespace {

struct PhoneCase {
  const char* name;
  const char* input;
  const char* e164;  // nullptr: not a number
};

std::string case_name(const testing::TestParamInfo<PhoneCase>& p) {
  return p.param.name;
}

class ToE164Accepts : public testing::TestWithParam<PhoneCase> {};

TEST_P(ToE164Accepts, Input) {
  EXPECT_EQ(to_e164(GetParam().input), std::optional<std::string>(GetParam().e164))
      << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    Numbers, ToE164Accepts,
    testing::Values(PhoneCase{"LocalMobile", "081234567890", "+6281234567890"},
                    PhoneCase{"LocalMobileWithDashes", "0812-3456-7890", "+6281234567890"},
                    PhoneCase{"LocalMobileWithSpaces", "0812 3456 7890", "+6281234567890"},
                    PhoneCase{"LocalMobileWithDots", "0812.3456.7890", "+6281234567890"},
                    PhoneCase{"LocalMobileWithParentheses", "(0812) 3456-7890", "+6281234567890"},
                    PhoneCase{"CountryCodeWithoutPlus", "6281234567890", "+6281234567890"},
                    PhoneCase{"CountryCodeWithPlus", "+6281234567890", "+6281234567890"},
                    PhoneCase{"CountryCodeWithPlusAndSpaces", "+62 812 3456 7890",
                              "+6281234567890"},
                    PhoneCase{"ShortestMobile", "0812345678", "+62812345678"},
                    PhoneCase{"LongestMobile", "08123456789012", "+628123456789012"},
                    PhoneCase{"JakartaLandline", "+62 21 5550 1234", "+622155501234"},
                    PhoneCase{"DutchMobile", "+31 6 12345678", "+31612345678"},
                    PhoneCase{"UsNumber", "+1 (650) 555-0100", "+16505550100"},
                    PhoneCase{"ShortestForeign", "+12345678", "+12345678"},
                    PhoneCase{"LongestForeign", "+123456789012345", "+123456789012345"}),
    case_name);

class ToE164Rejects : public testing::TestWithParam<PhoneCase> {};

TEST_P(ToE164Rejects, Input) {
  EXPECT_EQ(to_e164(GetParam().input), std::nullopt) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    NotNumbers, ToE164Rejects,
    testing::Values(PhoneCase{"Empty", "", nullptr}, PhoneCase{"OnlySeparators", " - ", nullptr},
                    PhoneCase{"PlusAlone", "+", nullptr},
                    PhoneCase{"Letters", "0812-CALL-ME", nullptr},
                    PhoneCase{"LocalLandline", "021 5550 1234", nullptr},
                    PhoneCase{"NoPrefix", "81234567890", nullptr},
                    PhoneCase{"InternationalDialPrefix", "006281234567890", nullptr},
                    PhoneCase{"MobileTooShort", "081234567", nullptr},
                    PhoneCase{"MobileTooLong", "081234567890123", nullptr},
                    PhoneCase{"CountryCodeMobileTooShort", "62812345", nullptr},
                    PhoneCase{"PlusMobileTooLong", "+62812345678901234", nullptr},
                    PhoneCase{"PlusMobileTooShort", "+6281234567", nullptr},
                    PhoneCase{"TrunkZeroAfterCountryCode", "+62 0812 3456 7890", nullptr},
                    PhoneCase{"ForeignTooShort", "+1234567", nullptr},
                    PhoneCase{"ForeignTooLong", "+1234567890123456", nullptr},
                    PhoneCase{"CountryCodeZero", "+0812345678", nullptr},
                    PhoneCase{"PlusInTheMiddle", "0812+34567890", nullptr},
                    PhoneCase{"TwoPluses", "++6281234567890", nullptr},
                    PhoneCase{"Tab", "0812\t34567890", nullptr},
                    PhoneCase{"Extension", "+6281234567890 ext 2", nullptr}),
    case_name);

TEST(WaMeLink, DigitsWithoutPlusAndTheTextPercentEncoded) {
  EXPECT_EQ(wa_me_link("+6281234567890", "Halo Siti"),
            "https://wa.me/6281234567890?text=Halo%20Siti");
}

TEST(WaMeLink, CharactersThatWouldEndOrAlterTheQueryAreEncoded) {
  EXPECT_EQ(wa_me_link("+6281234567890", "a&b=c#d+e?f/g\nh%i"),
            "https://wa.me/6281234567890?text=a%26b%3Dc%23d%2Be%3Ff%2Fg%0Ah%25i");
}

TEST(WaMeLink, UnreservedCharactersStayAsTheyAre) {
  EXPECT_EQ(wa_me_link("+6281234567890", "Rp-1.500_000~"),
            "https://wa.me/6281234567890?text=Rp-1.500_000~");
}

TEST(WaMeLink, Utf8TextIsEncodedBytewise) {
  // "Sabtu, 5 Desember – 09.00 🙂": an en dash and an emoji.
  EXPECT_EQ(wa_me_link("+6281234567890", "5 Desember \xE2\x80\x93 09.00 \xF0\x9F\x99\x82"),
            "https://wa.me/6281234567890?text=5%20Desember%20%E2%80%93%2009.00%20%F0%9F%99%82");
}

TEST(WaMeLink, EmptyTextOnlyOpensTheChat) {
  EXPECT_EQ(wa_me_link("+31612345678", ""), "https://wa.me/31612345678");
}

TEST(WaMeLink, RefusesANumberThatIsNotE164) {
  EXPECT_THROW(wa_me_link("081234567890", "x"), std::invalid_argument);
  EXPECT_THROW(wa_me_link("+62 812 3456", "x"), std::invalid_argument);
  EXPECT_THROW(wa_me_link("+", "x"), std::invalid_argument);
  EXPECT_THROW(wa_me_link("", "x"), std::invalid_argument);
}

TEST(WaMeLink, TakesWhatToE164Returns) {
  const auto e164 = to_e164("0812-3456-7890");
  ASSERT_TRUE(e164);
  EXPECT_EQ(wa_me_link(*e164, "Hi"), "https://wa.me/6281234567890?text=Hi");
}

}  // namespace
}  // namespace janji::notify
