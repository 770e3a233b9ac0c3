#include "core/money.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

namespace janji {
namespace {

namespace json = boost::json;

// Parses `text` and returns the outcome; `out` keeps a sentinel unless parsing succeeds.
MoneyParse parse_text(std::string_view text, Money& out) {
  out = -7;
  return parse_money(text, out);
}

MoneyParse parse_json(const json::value& v, Money& out) {
  out = -7;
  return parse_money(v, out);
}

TEST(FormatMoney, ZeroHasTwoDecimals) {
  EXPECT_EQ(format_money(0), "0.00");
}

TEST(FormatMoney, SenBelowOneRupiahArePaddedToTwoDigits) {
  EXPECT_EQ(format_money(5), "0.05");
  EXPECT_EQ(format_money(50), "0.50");
  EXPECT_EQ(format_money(105), "1.05");
}

TEST(FormatMoney, LargeAmountHasNoSeparatorsOrExponent) {
  EXPECT_EQ(format_money(150'000'000), "1500000.00");
  EXPECT_EQ(format_money(kMaxMoney), "9999999999.99");
}

TEST(FormatMoney, NegativeAmountsKeepTheSignInFrontOfTheWholePart) {
  EXPECT_EQ(format_money(-5), "-0.05");
  EXPECT_EQ(format_money(-150'000'050), "-1500000.50");
}

TEST(FormatMoney, MostNegativeValueDoesNotOverflow) {
  EXPECT_EQ(format_money(std::numeric_limits<Money>::min()), "-92233720368547758.08");
}

TEST(ParseMoneyText, WholeNumberIsScaledToSen) {
  Money m;
  ASSERT_EQ(parse_text("1500000", m), MoneyParse::kOk);
  EXPECT_EQ(m, 150'000'000);
}

TEST(ParseMoneyText, OneDecimalPlaceMeansTensOfSen) {
  Money m;
  ASSERT_EQ(parse_text("1500000.5", m), MoneyParse::kOk);
  EXPECT_EQ(m, 150'000'050);
}

TEST(ParseMoneyText, TwoDecimalPlacesAreExact) {
  Money m;
  ASSERT_EQ(parse_text("1500000.00", m), MoneyParse::kOk);
  EXPECT_EQ(m, 150'000'000);
  ASSERT_EQ(parse_text("0.01", m), MoneyParse::kOk);
  EXPECT_EQ(m, 1);
}

TEST(ParseMoneyText, TrailingZerosBeyondTwoPlacesAreAccepted) {
  Money m;
  ASSERT_EQ(parse_text("1.500", m), MoneyParse::kOk);
  EXPECT_EQ(m, 150);
  ASSERT_EQ(parse_text("2.0000000", m), MoneyParse::kOk);
  EXPECT_EQ(m, 200);
}

TEST(ParseMoneyText, ANonZeroThirdDecimalIsTooManyPlaces) {
  Money m;
  EXPECT_EQ(parse_text("1.005", m), MoneyParse::kTooManyPlaces);
  EXPECT_EQ(parse_text("1.5001", m), MoneyParse::kTooManyPlaces);
  EXPECT_EQ(m, -7);
}

TEST(ParseMoneyText, NonDecimalTextIsRefused) {
  for (const char* text : {"", ".", "abc", "1e5", "1,000", "1.2.3", " 1", "1 ", "0x10", "-", "+"}) {
    Money m;
    EXPECT_EQ(parse_text(text, m), MoneyParse::kNotDecimal) << '"' << text << '"';
    EXPECT_EQ(m, -7) << '"' << text << '"';
  }
}

TEST(ParseMoneyText, NegativeAmountIsRefused) {
  Money m;
  EXPECT_EQ(parse_text("-1", m), MoneyParse::kNegative);
  EXPECT_EQ(parse_text("-0.01", m), MoneyParse::kNegative);
  EXPECT_EQ(m, -7);
}

TEST(ParseMoneyText, LargestNumeric12_2ValueIsAccepted) {
  Money m;
  ASSERT_EQ(parse_text("9999999999.99", m), MoneyParse::kOk);
  EXPECT_EQ(m, kMaxMoney);
}

TEST(ParseMoneyText, OneSenAboveTheColumnLimitIsTooLarge) {
  Money m;
  EXPECT_EQ(parse_text("10000000000.00", m), MoneyParse::kTooLarge);
  EXPECT_EQ(parse_text("10000000000", m), MoneyParse::kTooLarge);
  EXPECT_EQ(m, -7);
}

TEST(ParseMoneyText, HugeDigitRunsAreTooLargeWithoutOverflow) {
  Money m;
  EXPECT_EQ(parse_text("99999999999999999999999999999999999999", m), MoneyParse::kTooLarge);
}

TEST(ParseMoneyJson, IntegralDoubleIsScaledToSen) {
  Money m;
  ASSERT_EQ(parse_json(json::parse("1500000.0"), m), MoneyParse::kOk);
  EXPECT_EQ(m, 150'000'000);
}

TEST(ParseMoneyJson, IntegerIsScaledToSen) {
  Money m;
  ASSERT_EQ(parse_json(json::value(1500000), m), MoneyParse::kOk);
  EXPECT_EQ(m, 150'000'000);
  ASSERT_EQ(parse_json(json::value(1500000u), m), MoneyParse::kOk);
  EXPECT_EQ(m, 150'000'000);
}

TEST(ParseMoneyJson, TwoDecimalDoubleIsExactInSen) {
  Money m;
  ASSERT_EQ(parse_json(json::parse("123.45"), m), MoneyParse::kOk);
  EXPECT_EQ(m, 12345);
  ASSERT_EQ(parse_json(json::parse("0.29"), m), MoneyParse::kOk);  // 28.999999999999996 * 100
  EXPECT_EQ(m, 29);
  ASSERT_EQ(parse_json(json::parse("9999999999.99"), m), MoneyParse::kOk);
  EXPECT_EQ(m, kMaxMoney);
}

TEST(ParseMoneyJson, BinaryRoundingNoiseOfTwoDecimalSumsIsNotExtraPlaces) {
  // What a JavaScript client sends for 0.1 + 0.2 and 1.1 * 3.
  Money m;
  ASSERT_EQ(parse_json(json::value(0.1 + 0.2), m), MoneyParse::kOk);
  EXPECT_EQ(m, 30);
  ASSERT_EQ(parse_json(json::parse("3.3000000000000003"), m), MoneyParse::kOk);
  EXPECT_EQ(m, 330);
}

TEST(ParseMoneyJson, ThirdDecimalInADoubleIsTooManyPlaces) {
  Money m;
  EXPECT_EQ(parse_json(json::parse("1.005"), m), MoneyParse::kTooManyPlaces);
  EXPECT_EQ(parse_json(json::parse("0.001"), m), MoneyParse::kTooManyPlaces);
  EXPECT_EQ(m, -7);
}

TEST(ParseMoneyJson, NegativeNumbersAreRefused) {
  Money m;
  EXPECT_EQ(parse_json(json::value(-1), m), MoneyParse::kNegative);
  EXPECT_EQ(parse_json(json::parse("-0.5"), m), MoneyParse::kNegative);
  EXPECT_EQ(m, -7);
}

TEST(ParseMoneyJson, NumbersBeyondTheColumnLimitAreTooLarge) {
  Money m;
  EXPECT_EQ(parse_json(json::parse("1e300"), m), MoneyParse::kTooLarge);
  EXPECT_EQ(parse_json(json::value(10'000'000'000LL), m), MoneyParse::kTooLarge);
  EXPECT_EQ(parse_json(json::value(std::numeric_limits<std::uint64_t>::max()), m),
            MoneyParse::kTooLarge);
  EXPECT_EQ(parse_json(json::parse("10000000000.0"), m), MoneyParse::kTooLarge);
  EXPECT_EQ(m, -7);
}

TEST(ParseMoneyJson, DecimalStringsFollowTheTextRules) {
  Money m;
  ASSERT_EQ(parse_json(json::value("1500000.00"), m), MoneyParse::kOk);
  EXPECT_EQ(m, 150'000'000);
  EXPECT_EQ(parse_json(json::value("1.005"), m), MoneyParse::kTooManyPlaces);
  EXPECT_EQ(parse_json(json::value("1e5"), m), MoneyParse::kNotDecimal);
}

TEST(ParseMoneyJson, NonNumericJsonIsNotDecimal) {
  for (const char* text : {"true", "false", "null", "[1]", "{\"amount\":1}"}) {
    Money m;
    EXPECT_EQ(parse_json(json::parse(text), m), MoneyParse::kNotDecimal) << text;
    EXPECT_EQ(m, -7) << text;
  }
}

TEST(MoneyRoundTrip, FormattedAmountsParseBackToTheSameValue) {
  for (Money v : {Money{0}, Money{1}, Money{99}, Money{100}, Money{150'000'050}, kMaxMoney}) {
    Money m;
    ASSERT_EQ(parse_text(format_money(v), m), MoneyParse::kOk) << v;
    EXPECT_EQ(m, v);
  }
}

}  // namespace
}  // namespace janji
