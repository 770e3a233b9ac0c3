#include "core/fields.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>
#include <string_view>

namespace janji {
namespace {

namespace json = boost::json;

/// Runs finish() and returns the field errors it threw (none when it did not throw).
std::vector<FieldError> finish_errors(Fields& f) {
  try {
    f.finish();
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kValidation);
    EXPECT_EQ(e.status(), 422);
    EXPECT_FALSE(e.fields().empty());
    return e.fields();
  }
  return {};
}

/// The single error of a body after one accessor ran; fails the test if there is not exactly one.
FieldError only_error(Fields& f) {
  auto errors = finish_errors(f);
  EXPECT_EQ(errors.size(), 1u);
  if (errors.empty()) return {};
  return errors.front();
}

/// `text` with every character a test name may not hold replaced by '_' ("empty" for "").
std::string test_name_part(std::string_view text) {
  if (text.empty()) return "empty";
  std::string out(text);
  for (auto& c : out)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return out;
}

json::array loc(std::initializer_list<const char*> parts) {
  json::array a;
  for (auto p : parts) a.emplace_back(p);
  return a;
}

TEST(Fields, ValidBodyFinishesWithoutThrowing) {
  Fields f(json::parse(R"({"name":"Lia","count":3})"));
  EXPECT_EQ(f.required_string("name", 1, 10), "Lia");
  EXPECT_EQ(f.required_int("count", 1, 10), 3);
  EXPECT_TRUE(f.ok());
  EXPECT_NO_THROW(f.finish());
}

TEST(FieldsString, MissingKeyIsTypeMissingAtBodyName) {
  Fields f(json::object{});
  EXPECT_EQ(f.required_string("name", 1, 100), "");
  EXPECT_FALSE(f.ok());
  const auto e = only_error(f);
  EXPECT_EQ(e.type, "missing");
  EXPECT_EQ(e.msg, "Field required");
  EXPECT_EQ(e.loc, loc({"body", "name"}));
  EXPECT_FALSE(e.input.has_value());
}

TEST(FieldsString, LocStartsWithTheGivenSource) {
  Fields f(json::object{}, "query");
  f.required_string("q", 1, 10);
  EXPECT_EQ(only_error(f).loc, loc({"query", "q"}));
}

TEST(FieldsString, NumberIsStringType) {
  Fields f(json::parse(R"({"name":5})"));
  f.required_string("name", 1, 100);
  const auto e = only_error(f);
  EXPECT_EQ(e.type, "string_type");
  ASSERT_TRUE(e.input.has_value());
  EXPECT_EQ(*e.input, 5);
}

TEST(FieldsString, NullIsStringTypeForARequiredString) {
  Fields f(json::parse(R"({"name":null})"));
  f.required_string("name", 1, 100);
  EXPECT_EQ(only_error(f).type, "string_type");
}

TEST(FieldsString, TooShortReportsMinLengthInCtx) {
  Fields f(json::parse(R"({"name":""})"));
  f.required_string("name", 1, 100);
  const auto e = only_error(f);
  EXPECT_EQ(e.type, "string_too_short");
  EXPECT_EQ(e.msg, "String should have at least 1 character");
  EXPECT_EQ(e.ctx.at("min_length"), 1);
  EXPECT_EQ(e.loc, loc({"body", "name"}));
}

TEST(FieldsString, TooLongReportsMaxLengthInCtx) {
  Fields f(json::parse(R"({"name":"abcdef"})"));
  f.required_string("name", 1, 5);
  const auto e = only_error(f);
  EXPECT_EQ(e.type, "string_too_long");
  EXPECT_EQ(e.msg, "String should have at most 5 characters");
  EXPECT_EQ(e.ctx.at("max_length"), 5);
  ASSERT_TRUE(e.input.has_value());
  EXPECT_EQ(*e.input, "abcdef");
}

TEST(FieldsString, LengthCountsCodePointsNotBytes) {
  Fields ok(json::parse(R"({"name":"ééé"})"));
  EXPECT_EQ(ok.required_string("name", 3, 3), "ééé");
  EXPECT_TRUE(ok.ok());

  Fields too_long(json::parse(R"({"name":"éééé"})"));
  too_long.required_string("name", 1, 3);
  EXPECT_EQ(only_error(too_long).type, "string_too_long");
}

TEST(Utf8Length, CountsCodePoints) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("ééé"), 3u);
  EXPECT_EQ(utf8_length("日本"), 2u);
  EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80"), 1u);  // one emoji, four bytes
}

TEST(FieldsString, OptionalStringAbsentOrNullIsNullopt) {
  Fields f(json::parse(R"({"b":null,"c":"x"})"));
  EXPECT_EQ(f.optional_string("a", 10), std::nullopt);
  EXPECT_EQ(f.optional_string("b", 10), std::nullopt);
  EXPECT_EQ(f.optional_string("c", 10), "x");
  EXPECT_TRUE(f.ok());
}

TEST(FieldsPatch, AbsentNullAndValueAreThreeDifferentOutcomes) {
  Fields f(json::parse(R"({"cleared":null,"set":"Lia"})"));
  const auto absent = f.patch_string("absent", 1, 10);
  const auto cleared = f.patch_string("cleared", 1, 10);
  const auto set = f.patch_string("set", 1, 10);
  EXPECT_FALSE(absent.present);
  EXPECT_FALSE(absent.value.has_value());
  EXPECT_TRUE(cleared.present);
  EXPECT_FALSE(cleared.value.has_value());
  EXPECT_TRUE(set.present);
  EXPECT_EQ(set.value, "Lia");
  EXPECT_TRUE(f.ok());
}

TEST(FieldsPatch, InvalidValueIsAnErrorNotAChange) {
  Fields f(json::parse(R"({"name":""})"));
  const auto p = f.patch_string("name", 1, 10);
  EXPECT_FALSE(p.present);
  EXPECT_EQ(only_error(f).type, "string_too_short");
}

TEST(FieldsInt, NumericStringIsCoerced) {
  Fields f(json::parse(R"({"n":"5"})"));
  EXPECT_EQ(f.required_int("n", 0, 10), 5);
  EXPECT_TRUE(f.ok());
}

TEST(FieldsInt, IntegralFloatIsCoerced) {
  Fields f(json::parse(R"({"n":5.0})"));
  EXPECT_EQ(f.required_int("n", 0, 10), 5);
  EXPECT_TRUE(f.ok());
}

struct IntCase {
  const char* name;
  const char* body;
  const char* type;
};

void PrintTo(const IntCase& c, std::ostream* os) {
  *os << c.body;
}

class FieldsIntRejects : public testing::TestWithParam<IntCase> {};

TEST_P(FieldsIntRejects, WithPydanticErrorType) {
  Fields f(json::parse(GetParam().body));
  EXPECT_EQ(f.required_int("n", 1, 1000), 0);
  const auto e = only_error(f);
  EXPECT_EQ(e.type, GetParam().type) << GetParam().body;
  EXPECT_EQ(e.loc, loc({"body", "n"}));
}

INSTANTIATE_TEST_SUITE_P(
    BadInts, FieldsIntRejects,
    testing::Values(IntCase{"FractionalFloat", R"({"n":5.5})", "int_from_float"},
                    IntCase{"Boolean", R"({"n":true})", "int_type"},
                    IntCase{"Null", R"({"n":null})", "int_type"},
                    IntCase{"Array", R"({"n":[1]})", "int_type"},
                    IntCase{"WordString", R"({"n":"abc"})", "int_parsing"},
                    IntCase{"FloatString", R"({"n":"5.0"})", "int_parsing"},
                    IntCase{"EmptyString", R"({"n":""})", "int_parsing"},
                    IntCase{"HugeFloat", R"({"n":1e30})", "int_parsing_size"},
                    IntCase{"HugeUnsigned", R"({"n":18446744073709551615})", "int_parsing_size"},
                    IntCase{"Missing", R"({})", "missing"},
                    IntCase{"Zero", R"({"n":0})", "greater_than_equal"},
                    IntCase{"Negative", R"({"n":-3})", "greater_than_equal"},
                    IntCase{"AboveMax", R"({"n":1001})", "less_than_equal"},
                    IntCase{"AboveMaxAsString", R"({"n":"1001"})", "less_than_equal"}),
    [](const testing::TestParamInfo<IntCase>& p) { return std::string(p.param.name); });

TEST(FieldsInt, BoundsAreReportedInCtxAndMessage) {
  Fields below(json::parse(R"({"n":0})"));
  below.required_int("n", 1, 1000);
  const auto ge = only_error(below);
  EXPECT_EQ(ge.ctx.at("ge"), 1);
  EXPECT_EQ(ge.msg, "Input should be greater than or equal to 1");

  Fields above(json::parse(R"({"n":1001})"));
  above.required_int("n", 1, 1000);
  const auto le = only_error(above);
  EXPECT_EQ(le.ctx.at("le"), 1000);
  EXPECT_EQ(le.msg, "Input should be less than or equal to 1000");
}

TEST(FieldsInt, BoundsAreInclusive) {
  Fields f(json::parse(R"({"lo":1,"hi":1000})"));
  EXPECT_EQ(f.required_int("lo", 1, 1000), 1);
  EXPECT_EQ(f.required_int("hi", 1, 1000), 1000);
  EXPECT_TRUE(f.ok());
}

TEST(CoerceInt, AcceptsIntsIntegralFloatsAndDecimalStrings) {
  std::string type, msg;
  EXPECT_EQ(coerce_int(json::value(-7), type, msg), -7);
  EXPECT_EQ(coerce_int(json::value(3.0), type, msg), 3);
  EXPECT_EQ(coerce_int(json::value(" 42 "), type, msg), 42);
  EXPECT_EQ(coerce_int(json::value("-12"), type, msg), -12);
  EXPECT_EQ(coerce_int(json::value("+12"), type, msg), 12);
  EXPECT_TRUE(type.empty());
  EXPECT_TRUE(msg.empty());
}

TEST(CoerceInt, RefusalsFillTypeAndMessage) {
  std::string type, msg;
  EXPECT_EQ(coerce_int(json::value("4x"), type, msg), std::nullopt);
  EXPECT_EQ(type, "int_parsing");
  EXPECT_FALSE(msg.empty());
  EXPECT_EQ(coerce_int(json::value(2.5), type, msg), std::nullopt);
  EXPECT_EQ(type, "int_from_float");
  EXPECT_EQ(coerce_int(json::value(false), type, msg), std::nullopt);
  EXPECT_EQ(type, "int_type");
  EXPECT_EQ(coerce_int(json::value("-"), type, msg), std::nullopt);
  EXPECT_EQ(type, "int_parsing");
}

TEST(FieldsMoney, NumberAndDecimalStringBothParse) {
  Fields f(json::parse(R"({"a":350000,"b":"350000.50","c":123.45})"));
  EXPECT_EQ(f.required_money("a"), 35'000'000);
  EXPECT_EQ(f.required_money("b"), 35'000'050);
  EXPECT_EQ(f.required_money("c"), 12'345);
  EXPECT_TRUE(f.ok());
}

TEST(FieldsMoney, EachRefusalHasItsPydanticType) {
  Fields f(
      json::parse(R"({"places":"1.005","neg":-1,"big":"10000000000","text":"abc","bool":true})"));
  f.required_money("places");
  f.required_money("neg");
  f.required_money("big");
  f.required_money("text");
  f.required_money("bool");
  f.required_money("missing");
  const auto errors = finish_errors(f);
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_EQ(errors[0].type, "decimal_max_places");
  EXPECT_EQ(errors[0].ctx.at("decimal_places"), 2);
  EXPECT_EQ(errors[1].type, "greater_than_equal");
  EXPECT_EQ(errors[2].type, "decimal_max_digits");
  EXPECT_EQ(errors[3].type, "decimal_parsing");
  EXPECT_EQ(errors[4].type, "decimal_type");
  EXPECT_EQ(errors[5].type, "missing");
  EXPECT_EQ(errors[5].loc, loc({"body", "missing"}));
}

TEST(FieldsMoney, PatchMoneyNullMeansNoChange) {
  Fields f(json::parse(R"({"price":null,"other":"12.5"})"));
  EXPECT_FALSE(f.patch_money("price").present);
  EXPECT_FALSE(f.patch_money("absent").present);
  const auto other = f.patch_money("other");
  EXPECT_TRUE(other.present);
  EXPECT_EQ(other.value, 1250);
  EXPECT_TRUE(f.ok());
}

TEST(FieldsDatetime, IsoStringWithOffsetIsConvertedToUtc) {
  Fields f(json::parse(R"({"at":"2026-02-11T12:00:00+07:00"})"));
  EXPECT_EQ(f.required_datetime("at"), *parse_datetime("2026-02-11T05:00:00"));
  EXPECT_TRUE(f.ok());
}

TEST(FieldsDatetime, UnixSecondsAreAccepted) {
  Fields f(json::parse(R"({"at":0,"b":1.5})"));
  EXPECT_EQ(f.required_datetime("at"), Timestamp{});
  EXPECT_EQ(f.required_datetime("b"), Timestamp{std::chrono::microseconds(1'500'000)});
  EXPECT_TRUE(f.ok());
}

TEST(FieldsDatetime, BadStringIsParsingErrorWithReason) {
  Fields f(json::parse(R"({"at":"2026-02-30"})"));
  f.required_datetime("at");
  const auto e = only_error(f);
  EXPECT_EQ(e.type, "datetime_from_date_parsing");
  EXPECT_FALSE(e.ctx.at("error").as_string().empty());
  EXPECT_EQ(e.loc, loc({"body", "at"}));
}

TEST(FieldsDatetime, NonStringNonNumberIsDatetimeType) {
  for (const char* body : {R"({"at":true})", R"({"at":null})", R"({"at":{}})", R"({"at":-1})"}) {
    Fields f(json::parse(body));
    f.required_datetime("at");
    EXPECT_EQ(only_error(f).type, "datetime_type") << body;
  }
}

TEST(FieldsEmail, ValidAddressIsKept) {
  Fields f(json::parse(R"({"email":"a@b.test","e2":"first.last+tag@sub.example.co.id"})"));
  EXPECT_EQ(f.required_email("email"), "a@b.test");
  EXPECT_EQ(f.required_email("e2"), "first.last+tag@sub.example.co.id");
  EXPECT_TRUE(f.ok());
}

TEST(FieldsEmail, DomainIsLowerCasedLocalPartIsNot) {
  Fields f(json::parse(R"({"email":"A@EXAMPLE.COM"})"));
  EXPECT_EQ(f.required_email("email"), "A@example.com");
  EXPECT_TRUE(f.ok());
}

class FieldsEmailRejects : public testing::TestWithParam<const char*> {};

TEST_P(FieldsEmailRejects, AsValueErrorWithReason) {
  Fields f(json::object{{"email", GetParam()}});
  EXPECT_EQ(f.required_email("email"), "");
  const auto e = only_error(f);
  EXPECT_EQ(e.type, "value_error");
  EXPECT_EQ(e.msg.rfind("value is not a valid email address: ", 0), 0u) << e.msg;
  EXPECT_FALSE(e.ctx.at("reason").as_string().empty());
  EXPECT_EQ(e.loc, loc({"body", "email"}));
}

INSTANTIATE_TEST_SUITE_P(BadAddresses, FieldsEmailRejects,
                         testing::Values("plainaddress", "a@b@c.test", "@example.com", "user@",
                                         "user@localhost", "", ".a@b.test", "a.@b.test",
                                         "a..b@c.test", "a b@c.test", "a@-b.test", "a@b..test",
                                         "a@b.123", "a@b_c.test"),
                         [](const testing::TestParamInfo<const char*>& p) {
                           return std::to_string(p.index) + "_" + test_name_part(p.param);
                         });

TEST(FieldsEmail, NonStringIsStringType) {
  Fields f(json::parse(R"({"email":42})"));
  f.required_email("email");
  EXPECT_EQ(only_error(f).type, "string_type");
}

TEST(NormalizeEmail, ExplainsEachRefusal) {
  std::string why;
  EXPECT_EQ(normalize_email("no-at-sign", why), std::nullopt);
  EXPECT_NE(why.find("exactly one @-sign"), std::string::npos) << why;
  EXPECT_EQ(normalize_email("a@b@c.d", why), std::nullopt);
  EXPECT_NE(why.find("exactly one @-sign"), std::string::npos) << why;
  EXPECT_EQ(normalize_email("@c.test", why), std::nullopt);
  EXPECT_NE(why.find("before the @-sign"), std::string::npos) << why;
  EXPECT_EQ(normalize_email("a@", why), std::nullopt);
  EXPECT_NE(why.find("after the @-sign"), std::string::npos) << why;
  EXPECT_EQ(normalize_email("a@nodot", why), std::nullopt);
  EXPECT_NE(why.find("period"), std::string::npos) << why;
}

TEST(NormalizeEmail, LowerCasesOnlyTheDomain) {
  std::string why;
  EXPECT_EQ(normalize_email("Lia.Toddopuli@Demo.Janji.TEST", why), "Lia.Toddopuli@demo.janji.test");
}

TEST(NormalizeEmail, LengthLimits) {
  std::string why;
  EXPECT_TRUE(normalize_email(std::string(64, 'a') + "@b.test", why).has_value());
  EXPECT_FALSE(normalize_email(std::string(65, 'a') + "@b.test", why).has_value());
  EXPECT_NE(why.find("too long"), std::string::npos) << why;
}

TEST(FieldsChoice, AllowedValueIsReturned) {
  Fields f(json::parse(R"({"status":"paid"})"));
  EXPECT_EQ(f.required_choice("status", {"pending", "paid"}), "paid");
  EXPECT_TRUE(f.ok());
}

TEST(FieldsChoice, MismatchIsLiteralErrorListingTheChoices) {
  Fields f(json::parse(R"({"status":"PAID"})"));
  EXPECT_EQ(f.required_choice("status", {"pending", "dp", "paid"}), "");
  const auto e = only_error(f);
  EXPECT_EQ(e.type, "literal_error");
  EXPECT_EQ(e.msg, "Input should be 'pending', 'dp' or 'paid'");
  EXPECT_EQ(e.ctx.at("expected"), "'pending', 'dp' or 'paid'");
}

TEST(FieldsChoice, NonStringIsLiteralError) {
  Fields f(json::parse(R"({"status":1})"));
  f.required_choice("status", {"a", "b"});
  EXPECT_EQ(only_error(f).type, "literal_error");
}

TEST(FieldsForbidUnknown, OneExtraForbiddenErrorPerUnknownKey) {
  Fields f(json::parse(R"({"name":"x","role":"admin","id":1})"));
  f.required_string("name", 1, 10);
  f.forbid_unknown({"name", "email"});
  const auto errors = finish_errors(f);
  ASSERT_EQ(errors.size(), 2u);
  std::vector<json::array> locs;
  for (const auto& e : errors) {
    EXPECT_EQ(e.type, "extra_forbidden");
    EXPECT_EQ(e.msg, "Extra inputs are not permitted");
    EXPECT_TRUE(e.input.has_value());
    locs.push_back(e.loc);
  }
  EXPECT_NE(std::find(locs.begin(), locs.end(), loc({"body", "role"})), locs.end());
  EXPECT_NE(std::find(locs.begin(), locs.end(), loc({"body", "id"})), locs.end());
}

TEST(FieldsForbidUnknown, KnownKeysOnlyIsFine) {
  Fields f(json::parse(R"({"name":"x"})"));
  f.forbid_unknown({"name", "email"});
  EXPECT_TRUE(f.ok());
}

TEST(FieldsBody, ArrayBodyIsOneModelAttributesTypeError) {
  Fields f(json::parse(R"([{"name":"x"}])"));
  f.required_string("name", 1, 10);
  f.required_int("n", 0, 1);
  f.forbid_unknown({"name"});
  const auto e = only_error(f);
  EXPECT_EQ(e.type, "model_attributes_type");
  EXPECT_EQ(e.loc, loc({"body"}));
  ASSERT_TRUE(e.input.has_value());
  EXPECT_TRUE(e.input->is_array());
}

TEST(FieldsBody, StringBodyIsModelAttributesType) {
  Fields f(json::value("hello"));
  EXPECT_EQ(only_error(f).type, "model_attributes_type");
}

TEST(FieldsBody, NullBodyIsOneMissingErrorAtBody) {
  Fields f(json::value(nullptr));
  f.required_string("name", 1, 10);
  const auto e = only_error(f);
  EXPECT_EQ(e.type, "missing");
  EXPECT_EQ(e.msg, "Field required");
  EXPECT_EQ(e.loc, loc({"body"}));
}

TEST(FieldsBody, EveryFailingFieldIsReportedTogetherInOrder) {
  Fields f(json::parse(R"({"name":"","email":"nope","jumlah_client":"x","status":"z"})"));
  f.required_string("name", 1, 100);
  f.required_email("email");
  f.required_int("jumlah_client", 1, 1000);
  f.required_choice("status", {"pending"});
  f.required_datetime("tanggal_acara");
  const auto errors = finish_errors(f);
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors[0].loc, loc({"body", "name"}));
  EXPECT_EQ(errors[0].type, "string_too_short");
  EXPECT_EQ(errors[1].loc, loc({"body", "email"}));
  EXPECT_EQ(errors[1].type, "value_error");
  EXPECT_EQ(errors[2].loc, loc({"body", "jumlah_client"}));
  EXPECT_EQ(errors[2].type, "int_parsing");
  EXPECT_EQ(errors[3].loc, loc({"body", "status"}));
  EXPECT_EQ(errors[3].type, "literal_error");
  EXPECT_EQ(errors[4].loc, loc({"body", "tanggal_acara"}));
  EXPECT_EQ(errors[4].type, "missing");
}

TEST(FieldsBody, AddAppendsACustomError) {
  Fields f(json::object{});
  f.add({loc({"body", "x"}), "custom", "value_error", std::nullopt, {}});
  EXPECT_FALSE(f.ok());
  EXPECT_EQ(only_error(f).msg, "custom");
}

// -- Coercion: the service surface reads lax (as Pydantic), the course surface strict (as Zod) --

enum class Decoder { kString, kInt, kMoney, kDatetime, kEmail, kChoice };

struct CoercionCase {
  const char* name;
  Coercion coercion;
  Decoder decoder;
  const char* input;  // the field's JSON value
  const char* error;  // the refusal's type; nullptr when the value is accepted
  const char* value;  // what an accepted value decodes to, as text
};

void PrintTo(const CoercionCase& c, std::ostream* os) {
  *os << (c.coercion == Coercion::kStrict ? "strict " : "lax ") << c.input;
}

/// Runs the case's decoder on {"v": input}; returns what it read, as text.
std::string decode(Fields& f, Decoder d) {
  switch (d) {
    case Decoder::kString:
      return f.required_string("v", 0, 100);
    case Decoder::kInt:
      return std::to_string(f.required_int("v", -1000, 1000));
    case Decoder::kMoney:
      return format_money(f.required_money("v"));
    case Decoder::kDatetime:
      return format_naive(f.required_datetime("v"));
    case Decoder::kEmail:
      return f.required_email("v");
    case Decoder::kChoice:
      return f.required_choice("v", {"5", "five"});
  }
  return {};
}

class FieldsCoercion : public testing::TestWithParam<CoercionCase> {};

TEST_P(FieldsCoercion, AcceptsOrRefusesAsItsSurfaceDoes) {
  const auto& c = GetParam();
  Fields f(json::object{{"v", json::parse(c.input)}}, "body", c.coercion);
  const auto got = decode(f, c.decoder);
  if (!c.error) {
    EXPECT_TRUE(f.ok());
    EXPECT_EQ(got, c.value);
    return;
  }
  const auto e = only_error(f);
  EXPECT_EQ(e.type, c.error);
  EXPECT_EQ(e.loc, loc({"body", "v"}));
  ASSERT_TRUE(e.input.has_value());
  EXPECT_EQ(*e.input, json::parse(c.input));
}

constexpr auto kLax = Coercion::kLax;
constexpr auto kStrict = Coercion::kStrict;

INSTANTIATE_TEST_SUITE_P(
    Surfaces, FieldsCoercion,
    testing::Values(
        // Integers: Pydantic reads a decimal string, Zod does not; both take 5.0 (JavaScript
        // cannot tell it from 5) and neither takes a boolean.
        CoercionCase{"IntFromNumber", kLax, Decoder::kInt, "5", nullptr, "5"},
        CoercionCase{"IntFromNumber", kStrict, Decoder::kInt, "5", nullptr, "5"},
        CoercionCase{"IntFromString", kLax, Decoder::kInt, R"("5")", nullptr, "5"},
        CoercionCase{"IntFromString", kStrict, Decoder::kInt, R"("5")", "int_type", nullptr},
        CoercionCase{"IntFromPaddedString", kLax, Decoder::kInt, R"(" -7 ")", nullptr, "-7"},
        CoercionCase{"IntFromPaddedString", kStrict, Decoder::kInt, R"(" -7 ")", "int_type",
                     nullptr},
        CoercionCase{"IntFromWordString", kStrict, Decoder::kInt, R"("abc")", "int_type", nullptr},
        CoercionCase{"IntFromIntegralFloat", kLax, Decoder::kInt, "5.0", nullptr, "5"},
        CoercionCase{"IntFromIntegralFloat", kStrict, Decoder::kInt, "5.0", nullptr, "5"},
        CoercionCase{"IntFromFractionalFloat", kStrict, Decoder::kInt, "5.5", "int_from_float",
                     nullptr},
        CoercionCase{"IntFromBoolean", kLax, Decoder::kInt, "true", "int_type", nullptr},
        CoercionCase{"IntFromBoolean", kStrict, Decoder::kInt, "true", "int_type", nullptr},
        // Money: a decimal string is a price to Pydantic, not to Zod's number().
        CoercionCase{"MoneyFromNumber", kLax, Decoder::kMoney, "12.5", nullptr, "12.50"},
        CoercionCase{"MoneyFromNumber", kStrict, Decoder::kMoney, "12.5", nullptr, "12.50"},
        CoercionCase{"MoneyFromString", kLax, Decoder::kMoney, R"("12.50")", nullptr, "12.50"},
        CoercionCase{"MoneyFromString", kStrict, Decoder::kMoney, R"("12.50")", "float_type",
                     nullptr},
        CoercionCase{"MoneyFromBoolean", kLax, Decoder::kMoney, "true", "decimal_type", nullptr},
        CoercionCase{"MoneyFromBoolean", kStrict, Decoder::kMoney, "true", "float_type", nullptr},
        CoercionCase{"MoneyNegative", kStrict, Decoder::kMoney, "-1", "greater_than_equal",
                     nullptr},
        // Datetimes: Pydantic reads a number as Unix seconds; a string is ISO text on both.
        CoercionCase{"DatetimeFromString", kLax, Decoder::kDatetime, R"("2026-02-11T05:00:00")",
                     nullptr, "2026-02-11T05:00:00"},
        CoercionCase{"DatetimeFromString", kStrict, Decoder::kDatetime, R"("2026-02-11T05:00:00")",
                     nullptr, "2026-02-11T05:00:00"},
        CoercionCase{"DatetimeFromUnixSeconds", kLax, Decoder::kDatetime, "86400", nullptr,
                     "1970-01-02T00:00:00"},
        CoercionCase{"DatetimeFromUnixSeconds", kStrict, Decoder::kDatetime, "86400",
                     "datetime_type", nullptr},
        // Strings, addresses and choices: neither original turns a number into text.
        CoercionCase{"StringFromString", kLax, Decoder::kString, R"("Lia")", nullptr, "Lia"},
        CoercionCase{"StringFromString", kStrict, Decoder::kString, R"("Lia")", nullptr, "Lia"},
        CoercionCase{"StringFromNumber", kLax, Decoder::kString, "5", "string_type", nullptr},
        CoercionCase{"StringFromNumber", kStrict, Decoder::kString, "5", "string_type", nullptr},
        CoercionCase{"StringFromBoolean", kLax, Decoder::kString, "true", "string_type", nullptr},
        CoercionCase{"StringFromBoolean", kStrict, Decoder::kString, "true", "string_type",
                     nullptr},
        CoercionCase{"EmailFromString", kStrict, Decoder::kEmail, R"("a@B.test")", nullptr,
                     "a@b.test"},
        CoercionCase{"EmailFromNumber", kLax, Decoder::kEmail, "5", "string_type", nullptr},
        CoercionCase{"EmailFromNumber", kStrict, Decoder::kEmail, "5", "string_type", nullptr},
        CoercionCase{"ChoiceFromString", kStrict, Decoder::kChoice, R"("5")", nullptr, "5"},
        CoercionCase{"ChoiceFromNumber", kLax, Decoder::kChoice, "5", "literal_error", nullptr},
        CoercionCase{"ChoiceFromNumber", kStrict, Decoder::kChoice, "5", "literal_error", nullptr}),
    [](const testing::TestParamInfo<CoercionCase>& p) {
      return std::string(p.param.coercion == Coercion::kStrict ? "Strict_" : "Lax_") + p.param.name;
    });

TEST(CoerceInt, StrictRefusesStringsButTakesNumbers) {
  std::string type, msg;
  EXPECT_EQ(coerce_int(json::value(-7), type, msg, Coercion::kStrict), -7);
  EXPECT_EQ(coerce_int(json::value(3.0), type, msg, Coercion::kStrict), 3);
  EXPECT_TRUE(type.empty());
  EXPECT_EQ(coerce_int(json::value("42"), type, msg, Coercion::kStrict), std::nullopt);
  EXPECT_EQ(type, "int_type");
  EXPECT_EQ(msg, "Input should be a valid integer");
}

TEST(FieldsSurface, DefaultIsLaxForTheServiceSurface) {
  Fields f(json::parse(R"({"n":"5","price":"12.50","at":0})"));
  EXPECT_EQ(f.required_int("n", 0, 10), 5);
  EXPECT_EQ(f.required_money("price"), 1250);
  EXPECT_EQ(f.required_datetime("at"), Timestamp{});
  EXPECT_TRUE(f.ok());
}

TEST(FieldsSurface, StrictReportsEveryCoercibleFieldTogether) {
  Fields f(json::parse(R"({"n":"5","price":"12.50","at":0})"), "body", Coercion::kStrict);
  f.required_int("n", 0, 10);
  f.required_money("price");
  f.required_datetime("at");
  const auto errors = finish_errors(f);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].loc, loc({"body", "n"}));
  EXPECT_EQ(errors[1].loc, loc({"body", "price"}));
  EXPECT_EQ(errors[2].loc, loc({"body", "at"}));
}

}  // namespace
}  // namespace janji
