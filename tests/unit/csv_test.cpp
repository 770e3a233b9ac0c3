#include "core/csv.hpp"

#include <gtest/gtest.h>

namespace janji {
namespace {

TEST(Csv, FormulaStartsArePrefixedWithAnApostrophe) {
  EXPECT_EQ(csv_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csv_text("+62812"), "'+62812");
  EXPECT_EQ(csv_text("-1"), "'-1");
  EXPECT_EQ(csv_text("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_text("\tcmd"), "'\tcmd");
  EXPECT_EQ(csv_text("Siti = Rina"), "Siti = Rina");  // only the first character counts
}

TEST(Csv, SeparatorsQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(csv_text("Jl. Asia Afrika 5, Bandung"), "\"Jl. Asia Afrika 5, Bandung\"");
  EXPECT_EQ(csv_text("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_text("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_text(""), "");
  EXPECT_EQ(csv_text("Ani Ayu"), "Ani Ayu");
}

TEST(Csv, RowsEndWithCrlfAndNumbersStayNumbers) {
  EXPECT_EQ(csv_row({csv_number("42"), csv_text("a,b"), csv_money(150000000)}),
            "42,\"a,b\",1500000.00\r\n");
  EXPECT_EQ(csv_money(5), "0.05");
  EXPECT_EQ(csv_row({}), "\r\n");
  EXPECT_EQ(kUtf8Bom, "\xEF\xBB\xBF");
}

}  // namespace
}  // namespace janji
