// dsl/decimal_test.cc: exact decimals, their reading and their display.
//
// Expected values are spreadsheet results (ROUND, MROUND, FLOOR, CEILING,
// TEXT) computed by hand on the decimal digits, as in
// shared/reference/values.md; 2.675 and 1.005 are the classic cases where a
// binary double gives the wrong answer (2.67, 1.00).
#include "dsl/decimal.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

using namespace std::string_view_literals;  // NOLINT(build/namespaces)

constexpr NumberReading kDot{DecimalMark::kDot};
constexpr NumberReading kComma{DecimalMark::kComma};
constexpr NumberReading kGuess{DecimalMark::kGuess};

// Reads a test literal that must parse (plain '.' notation).
Decimal D(std::string_view text) {
  std::optional<Decimal> d = ParseDecimal(text, kDot);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Decimal());
}

struct ParseCase {
  std::string_view text;
  NumberReading how;
  std::optional<std::string_view> value;  // ToString(); nullopt: rejected
};

TEST(ParseDecimalTest, ReadsWholeNumbersAndRejectsLookalikes) {
  const std::vector<ParseCase> cases = {
      {"57", kDot, "57"},
      {"  57 ", kDot, "57"},
      {"007.5", kDot, "7.5"},
      {"56.10", kDot, "56.10"},
      {".5", kDot, "0.5"},
      {"5.", kDot, "5"},
      {"3.2E-002", kDot, "0.032"},
      {"5e3", kDot, "5000"},
      {"-1.5e+2", kDot, "-150"},
      {"$57", kDot, "57"},
      {"$ 57", kDot, "57"},
      {"-$5", kDot, "-5"},
      {"$-5", kDot, "-5"},
      {"12 \u20AC", kDot, "12"},
      {"\u20B912", kDot, "12"},
      {"\u00A312.50", kDot, "12.50"},
      {"12\u00A5", kDot, "12"},
      {"+44", kDot, "44"},
      {"\u22125", kDot, "-5"},
      {"-0", kDot, "0"},
      {"-0.00", kDot, "0.00"},
      {"(1,234.00)", kDot, "-1234.00"},
      {"($1,234.00)", kDot, "-1234.00"},
      {"12.5%", kDot, "12.5"},
      {"12.5 %", kDot, "12.5"},
      {"4,821", kDot, "4821"},
      {"1,234,567.89", kDot, "1234567.89"},
      {"1 234 567", kDot, "1234567"},
      {"1\u202F234,5", kComma, "1234.5"},
      {"1\u00A0234", kDot, "1234"},
      {"1,23,45,679", kDot, "12345679"},
      {"12,34,567.5", kDot, "1234567.5"},
      {"1.234,5678", kComma, "1234.5678"},
      {"1,23", kComma, "1.23"},
      // Guessing: the last of two marks is the decimal mark; a repeated
      // mark groups; a lone ',' before exactly 3 digits groups.
      {"1.234,56", kGuess, "1234.56"},
      {"1,234.56", kGuess, "1234.56"},
      {"1.234.567", kGuess, "1234567"},
      {"1,234", kGuess, "1234"},
      {"1.234", kGuess, "1.234"},
      {"1,5", kGuess, "1.5"},
      {"1,23", kGuess, "1.23"},
      {"0,125", kGuess, "0.125"},
      {"1,2345", kGuess, "1.2345"},
      {"123456789012345678901234567890", kDot,
       "123456789012345678901234567890"},
      {"0.000000000000000000000000000000000000000012345", kDot,
       "0.000000000000000000000000000000000000000012345"},
      // 38 significant digits fit; trailing zeros past 38 are dropped.
      {"99999999999999999999999999999999999999", kDot,
       "99999999999999999999999999999999999999"},
      {"1000000000000000000000000000000000000000000", kDot,
       "1000000000000000000000000000000000000000000"},
      // Rejected.
      {"", kDot, std::nullopt},
      {"   ", kDot, std::nullopt},
      {".", kDot, std::nullopt},
      {"-", kDot, std::nullopt},
      {"$", kDot, std::nullopt},
      {"%", kDot, std::nullopt},
      {"1.2.3", kDot, std::nullopt},
      {"1.2.3", kGuess, std::nullopt},
      {"12abc", kDot, std::nullopt},
      {"--5", kDot, std::nullopt},
      {"+-5", kDot, std::nullopt},
      {"- 5", kDot, std::nullopt},
      {"-$-5", kDot, std::nullopt},
      {"(-5)", kDot, std::nullopt},
      {"(5", kDot, std::nullopt},
      {"1,23", kDot, std::nullopt},
      {"1,2345", kDot, std::nullopt},
      {"12,3456", kDot, std::nullopt},
      {"1,234,56", kDot, std::nullopt},
      {"1,234 567", kDot, std::nullopt},
      {",234", kDot, std::nullopt},
      {"1,,234", kDot, std::nullopt},
      {"1.234,5", kDot, std::nullopt},
      {"1.5,234", kDot, std::nullopt},
      {"1.234,5", kComma, "1234.5"},
      {"1,234.5", kComma, std::nullopt},
      {"1,5.25", kGuess, std::nullopt},
      {"5e", kDot, std::nullopt},
      {"e5", kDot, std::nullopt},
      {"5e+", kDot, std::nullopt},
      {"5e3e2", kDot, std::nullopt},
      {"5e99999999999999999999", kDot, std::nullopt},
      {"12 kg", kDot, std::nullopt},
      {"$5$", kDot, std::nullopt},
      {"5%%", kDot, std::nullopt},
      {"$5%", kDot, std::nullopt},
      {"5%$", kDot, std::nullopt},
      {"123456789012345678901234567890123456789", kDot, std::nullopt},
      {"\xff" "5", kDot, std::nullopt},
      {"5\xc3", kDot, std::nullopt},
      {"\xe2\x88", kDot, std::nullopt},
  };
  for (const ParseCase& c : cases) {
    SCOPED_TRACE(c.text);
    std::optional<Decimal> d = ParseDecimal(c.text, c.how);
    ASSERT_EQ(d.has_value(), c.value.has_value());
    if (d) EXPECT_EQ(d->ToString(), *c.value);
  }
}

struct WrappingCase {
  std::string_view text;
  bool percent;
  bool parentheses;
  bool plus_sign;
  std::string_view currency;
};

TEST(ParseDecimalTest, ReportsTheWrappingAroundTheDigits) {
  const std::vector<WrappingCase> cases = {
      {"57", false, false, false, ""},
      {"5%", true, false, false, ""},
      {"(1,234.00)", false, true, false, ""},
      {"+$3", false, false, true, "$"},
      {"12 \u20AC", false, false, false, "\u20AC"},
      {"\u20B91,23,45,679", false, false, false, "\u20B9"},
  };
  for (const WrappingCase& c : cases) {
    SCOPED_TRACE(c.text);
    NumberWrapping w;
    ASSERT_TRUE(ParseDecimal(c.text, kDot, &w).has_value());
    EXPECT_EQ(w.percent, c.percent);
    EXPECT_EQ(w.parentheses, c.parentheses);
    EXPECT_EQ(w.plus_sign, c.plus_sign);
    EXPECT_EQ(w.currency, c.currency);
  }
}

struct CompareCase {
  std::string_view a, b;
  bool less, equal;
};

TEST(DecimalTest, ComparesValuesNotRepresentations) {
  const std::vector<CompareCase> cases = {
      {"2.50", "2.5", false, true},
      {"-0", "0.000", false, true},
      {"0.032", "3.2E-002", false, true},
      {"-7500", "-7.5e3", false, true},
      {"1", "2", true, false},
      {"-2", "-1", true, false},
      {"-1", "0", true, false},
      {"0.999", "1", true, false},
      {"1e30", "999999999999999999999999999999", false, false},
      {"-1e30", "-999999999999999999999999999999", true, false},
      {"0.00000000000000000000000000000000000000000001", "1e-45", false, false},
  };
  for (const CompareCase& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " vs " + std::string(c.b));
    EXPECT_EQ(D(c.a) < D(c.b), c.less);
    EXPECT_EQ(D(c.a) == D(c.b), c.equal);
    EXPECT_EQ(D(c.b) < D(c.a), !c.less && !c.equal);
  }
}

struct RoundCase {
  std::string_view value;
  int places;
  RoundingMode mode;
  std::string_view rounded;
};

constexpr RoundingMode kHalfAway = RoundingMode::kHalfAwayFromZero;

TEST(DecimalTest, RoundsToDecimalPlacesOnDecimalDigits) {
  const std::vector<RoundCase> cases = {
      {"0.5", 0, kHalfAway, "1"},
      {"-0.5", 0, kHalfAway, "-1"},
      {"2.5", 0, kHalfAway, "3"},
      {"-2.5", 0, kHalfAway, "-3"},
      {"2.4999", 0, kHalfAway, "2"},
      {"2.675", 2, kHalfAway, "2.68"},
      {"1.005", 2, kHalfAway, "1.01"},
      {"0.0482", 2, kHalfAway, "0.05"},
      {"7730.418", 2, kHalfAway, "7730.42"},
      {"56.1", 2, kHalfAway, "56.1"},  // already exact: unchanged
      {"1234.5", -2, kHalfAway, "1200"},
      {"1250", -2, kHalfAway, "1300"},
      {"-0.004", 2, kHalfAway, "0.00"},
      {"2.5", 0, RoundingMode::kHalfEven, "2"},
      {"3.5", 0, RoundingMode::kHalfEven, "4"},
      {"2.51", 0, RoundingMode::kHalfEven, "3"},
      {"-2.7", 0, RoundingMode::kTowardZero, "-2"},
      {"2.7", 0, RoundingMode::kTowardZero, "2"},
      {"2.1", 0, RoundingMode::kAwayFromZero, "3"},
      {"-2.1", 0, RoundingMode::kAwayFromZero, "-3"},
      {"-2.1", 0, RoundingMode::kFloor, "-3"},
      {"2.9", 0, RoundingMode::kFloor, "2"},
      {"-2.7", 0, RoundingMode::kCeiling, "-2"},
      {"2.1", 0, RoundingMode::kCeiling, "3"},
      // Rounding far past the digits.
      {"1e-50", 0, kHalfAway, "0"},
      {"1e-50", 0, RoundingMode::kCeiling, "1"},
      {"-1e-50", 0, RoundingMode::kFloor, "-1"},
      {"99999999999999999999999999999999999999e-1", 0, kHalfAway,
       "10000000000000000000000000000000000000"},
  };
  for (const RoundCase& c : cases) {
    SCOPED_TRACE(std::string(c.value) + " to " + std::to_string(c.places));
    std::optional<Decimal> r = D(c.value).RoundToDecimals(c.places, c.mode);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->ToString(), c.rounded);
  }
}

TEST(DecimalTest, RoundingToAnOutOfRangePlaceIsNullopt) {
  EXPECT_FALSE(D("1.5").RoundToDecimals(-Decimal::kMaxExponent - 1, kHalfAway));
  EXPECT_FALSE(D("1.5").RoundToDecimals(1 << 30, kHalfAway));
}

struct MultipleCase {
  std::string_view value, step;
  RoundingMode mode;
  std::optional<std::string_view> rounded;
};

TEST(DecimalTest, RoundsToAMultipleOfAStep) {
  const std::vector<MultipleCase> cases = {
      {"48213", "50", kHalfAway, "48200"},
      {"48225", "50", kHalfAway, "48250"},
      {"2398", "100", kHalfAway, "2400"},
      {"12.62", "0.05", kHalfAway, "12.60"},
      {"5.37", "0.5", kHalfAway, "5.5"},
      {"-5.37", "0.5", kHalfAway, "-5.5"},
      {"17", "5", RoundingMode::kFloor, "15"},
      {"17", "5", RoundingMode::kCeiling, "20"},
      {"-17", "5", RoundingMode::kFloor, "-20"},
      {"20", "5", RoundingMode::kCeiling, "20"},
      {"0", "5", kHalfAway, "0"},
      {"1.2345", "1e-10", kHalfAway, "1.2345000000"},
      {"5", "0", kHalfAway, std::nullopt},
      {"5", "-5", kHalfAway, std::nullopt},
      // Aligning 1e50 to 0.01 needs more than 128 bits.
      {"1e50", "0.01", kHalfAway, std::nullopt},
  };
  for (const MultipleCase& c : cases) {
    SCOPED_TRACE(std::string(c.value) + " to " + std::string(c.step));
    std::optional<Decimal> r = D(c.value).RoundToMultiple(D(c.step), c.mode);
    ASSERT_EQ(r.has_value(), c.rounded.has_value());
    if (r) EXPECT_EQ(r->ToString(), *c.rounded);
  }
}

struct ScaleCase {
  std::string_view value;
  int k;
  std::optional<std::string_view> scaled;
};

TEST(DecimalTest, ScalesByPowersOfTenExactly) {
  const std::vector<ScaleCase> cases = {
      {"23.4", -2, "0.234"},
      {"-7.5", 3, "-7500"},
      {"12.5", -2, "0.125"},  // a percent as a fraction
      {"0", 5, "0"},
      {"1", Decimal::kMaxExponent, std::string_view()},  // checked below
      {"1", Decimal::kMaxExponent + 1, std::nullopt},
      {"1", -Decimal::kMaxExponent - 1, std::nullopt},
      {"1", 1 << 30, std::nullopt},
  };
  for (const ScaleCase& c : cases) {
    SCOPED_TRACE(std::string(c.value) + " by " + std::to_string(c.k));
    std::optional<Decimal> r = D(c.value).ScaleByPowerOfTen(c.k);
    ASSERT_EQ(r.has_value(), c.scaled.has_value());
    if (r && !c.scaled->empty()) EXPECT_EQ(r->ToString(), *c.scaled);
  }
}

struct SumCase {
  std::string_view a, b;
  std::optional<std::string_view> sum, difference;
};

TEST(DecimalTest, AddsAndSubtractsExactly) {
  const std::vector<SumCase> cases = {
      {"0.1", "0.2", "0.3", "-0.1"},
      {"2.50", "-2.5", "0.00", "5.00"},
      {"1e30", "1", "1000000000000000000000000000001",
       "999999999999999999999999999999"},
      {"99999999999999999999999999999999999999", "1",
       "100000000000000000000000000000000000000",
       "99999999999999999999999999999999999998"},
      {"99999999999999999999999999999999999999", "0.1", std::nullopt,
       std::nullopt},
      {"1e40", "1", std::nullopt, std::nullopt},
      {"0", "1e40", "10000000000000000000000000000000000000000",
       "-10000000000000000000000000000000000000000"},
  };
  for (const SumCase& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " and " + std::string(c.b));
    std::optional<Decimal> sum = D(c.a).Add(D(c.b));
    std::optional<Decimal> difference = D(c.a).Subtract(D(c.b));
    ASSERT_EQ(sum.has_value(), c.sum.has_value());
    ASSERT_EQ(difference.has_value(), c.difference.has_value());
    if (sum) EXPECT_EQ(sum->ToString(), *c.sum);
    if (difference) EXPECT_EQ(difference->ToString(), *c.difference);
  }
}

TEST(DecimalTest, ThirtyDigitNumbersRoundTripExactly) {
  const std::vector<std::string_view> texts = {
      "123456789012345678901234567890",
      "-987654321098765432109876543210",
      "1234567890.12345678901234567890",
      "0.000123456789012345678901234567890",
  };
  for (std::string_view t : texts) {
    SCOPED_TRACE(t);
    EXPECT_EQ(D(t).ToString(), t);
  }
}

TEST(DecimalTest, FromPartsRejectsTooManyDigitsAndLargeExponents) {
  EXPECT_FALSE(Decimal::FromParts(false, absl::Uint128Max(), 0));
  EXPECT_FALSE(Decimal::FromParts(false, 1, Decimal::kMaxExponent + 1));
  EXPECT_EQ(Decimal::FromParts(true, 0, 3)->ToString(), "0");
  EXPECT_EQ(Decimal::FromInt(INT64_MIN).ToString(), "-9223372036854775808");
}

struct FormatCase {
  std::string_view value;
  NumberFormat format;
  std::string_view text;
};

NumberFormat Fixed(int decimals) {
  NumberFormat f;
  f.min_decimals = f.max_decimals = decimals;
  return f;
}

NumberFormat Grouped(Grouping g, int decimals = 0) {
  NumberFormat f = Fixed(decimals);
  f.grouping = g;
  return f;
}

TEST(FormatDecimalTest, FollowsSpreadsheetFormatCodes) {
  NumberFormat european;  // #.##0,####
  european.max_decimals = 4;
  european.grouping = Grouping::kWestern;
  european.group_mark = ".";
  european.decimal_mark = ",";
  NumberFormat rupees = Grouped(Grouping::kIndian);
  rupees.prefix = "\u20B9";
  NumberFormat padded;  // 00000
  padded.min_integer_digits = 5;
  NumberFormat signed4;  // +0000;-0000
  signed4.min_integer_digits = 4;
  signed4.sign = SignStyle::kAlways;
  NumberFormat one_or_two;  // 0.0#
  one_or_two.min_decimals = 1;
  one_or_two.max_decimals = 2;
  NumberFormat accounting = Grouped(Grouping::kWestern, 2);
  accounting.sign = SignStyle::kParentheses;
  accounting.prefix = "$";
  NumberFormat dollars = Fixed(2);
  dollars.prefix = "$";
  NumberFormat percent = Fixed(1);
  percent.suffix = "%";
  NumberFormat thin = Grouped(Grouping::kWestern);
  thin.group_mark = "\u202F";
  NumberFormat no_integer = Fixed(2);  // #.00
  no_integer.min_integer_digits = 0;

  const std::vector<FormatCase> cases = {
      {"0.0482", Fixed(2), "0.05"},
      {"7730.418", Fixed(2), "7730.42"},
      {"56.1", Fixed(2), "56.10"},
      {"2.675", Fixed(2), "2.68"},
      {"1.005", Fixed(2), "1.01"},
      {"0.5", Fixed(0), "1"},
      {"-0.5", Fixed(0), "-1"},
      {"2.5", Fixed(0), "3"},
      {"-0", Fixed(0), "0"},
      {"-0.00", Fixed(2), "0.00"},
      {"-0.001", Fixed(2), "0.00"},
      {"4821", Grouped(Grouping::kWestern), "4,821"},
      {"1234567.891", Grouped(Grouping::kWestern, 2), "1,234,567.89"},
      {"999.999", Grouped(Grouping::kWestern, 2), "1,000.00"},
      {"1234.5678", european, "1.234,5678"},
      {"12345678.9", rupees, "\u20B91,23,45,679"},
      {"1234567", Grouped(Grouping::kIndian), "12,34,567"},
      {"123", Grouped(Grouping::kIndian), "123"},
      {"57", padded, "00057"},
      {"123456", padded, "123456"},
      {"44", signed4, "+0044"},
      {"-44", signed4, "-0044"},
      {"0", signed4, "0000"},
      {"3", one_or_two, "3.0"},
      {"3.14159", one_or_two, "3.14"},
      {"3.10", one_or_two, "3.1"},
      {"-1234", accounting, "($1,234.00)"},
      {"1234", accounting, "$1,234.00"},
      {"-5", dollars, "-$5.00"},
      {"12.34", percent, "12.3%"},
      {"1234567", thin, "1\u202F234\u202F567"},
      {"0.5", no_integer, ".50"},
      {"123456789012345678901234567890", Fixed(0),
       "123456789012345678901234567890"},
      {"5e3", Fixed(0), "5000"},
  };
  for (const FormatCase& c : cases) {
    SCOPED_TRACE(c.value);
    EXPECT_EQ(FormatDecimal(D(c.value), c.format), c.text);
  }
}

}  // namespace
}  // namespace flashsynth::dsl
