// dsl/number_format_test.cc: spreadsheet number format codes read into a
// NumberFormat, shown through FormatDecimal, refused with a position, and
// written back. Expected displays are Excel TEXT() results worked by hand
// (shared/reference/values.md, "Format codes users know").
#include "dsl/number_format.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "dsl/decimal.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

using namespace std::string_view_literals;  // NOLINT(build/namespaces)

struct FieldsCase {
  std::string_view code;
  int min_integer_digits;
  int min_decimals;
  int max_decimals;
  Grouping grouping;
  std::string_view prefix;
  std::string_view suffix;
};

TEST(ParseNumberFormatTest, ReadsPlaceholdersGroupingAndLiterals) {
  const std::vector<FieldsCase> cases = {
      {"0", 1, 0, 0, Grouping::kNone, "", ""},
      {"00000", 5, 0, 0, Grouping::kNone, "", ""},
      {"0.00", 1, 2, 2, Grouping::kNone, "", ""},
      {"0.0#", 1, 1, 2, Grouping::kNone, "", ""},
      {"#.##", 0, 0, 2, Grouping::kNone, "", ""},
      {".00", 0, 2, 2, Grouping::kNone, "", ""},
      {"#", 0, 0, 0, Grouping::kNone, "", ""},
      {"#0", 1, 0, 0, Grouping::kNone, "", ""},
      {"#,##0", 1, 0, 0, Grouping::kWestern, "", ""},
      {"#,##0.00", 1, 2, 2, Grouping::kWestern, "", ""},
      {"#,#0", 1, 0, 0, Grouping::kWestern, "", ""},
      {"00,000", 5, 0, 0, Grouping::kWestern, "", ""},
      {"\"$\"#,##0.00", 1, 2, 2, Grouping::kWestern, "$", ""},
      {"$#,##0", 1, 0, 0, Grouping::kWestern, "$", ""},
      {"\u20B9 #,##0", 1, 0, 0, Grouping::kWestern, "\u20B9 ", ""},
      {"0 \u20AC", 1, 0, 0, Grouping::kNone, "", " \u20AC"},
      {"0.0\" pts\"", 1, 1, 1, Grouping::kNone, "", " pts"},
      {"0\\%", 1, 0, 0, Grouping::kNone, "", "%"},
      {"0\" %\"", 1, 0, 0, Grouping::kNone, "", " %"},
      {"\\k0", 1, 0, 0, Grouping::kNone, "k", ""},
      {"(0)", 1, 0, 0, Grouping::kNone, "(", ")"},
      {"+0.0", 1, 1, 1, Grouping::kNone, "+", ""},
      {"0\" kg\" \"net\"", 1, 0, 0, Grouping::kNone, "", " kg net"},
      {"\"a;b[E]%\"0", 1, 0, 0, Grouping::kNone, "a;b[E]%", ""},
      {"\"\"0", 1, 0, 0, Grouping::kNone, "", ""},
      {"\\\"0\\\"", 1, 0, 0, Grouping::kNone, "\"", "\""},
      // flashsynth's extensions: '*' (every decimal), "General", Indian groups.
      {"0.*", 1, 0, kMaxFormatPlaceholders, Grouping::kNone, "", ""},
      {"General", 1, 0, kMaxFormatPlaceholders, Grouping::kNone, "", ""},
      {"#,##0.00*", 1, 2, kMaxFormatPlaceholders, Grouping::kWestern, "", ""},
      {"#,##,##0", 1, 0, 0, Grouping::kIndian, "", ""},
      {"\"\u20B9\"##,##,##0.00", 1, 2, 2, Grouping::kIndian, "\u20B9", ""},
      {"#,##,###", 0, 0, 0, Grouping::kIndian, "", ""},
  };
  for (const FieldsCase& c : cases) {
    absl::StatusOr<NumberFormat> f = ParseNumberFormat(c.code);
    ASSERT_TRUE(f.ok()) << c.code << ": " << f.status();
    EXPECT_EQ(f->min_integer_digits, c.min_integer_digits) << c.code;
    EXPECT_EQ(f->min_decimals, c.min_decimals) << c.code;
    EXPECT_EQ(f->max_decimals, c.max_decimals) << c.code;
    EXPECT_EQ(f->grouping, c.grouping) << c.code;
    EXPECT_EQ(f->prefix, c.prefix) << c.code;
    EXPECT_EQ(f->suffix, c.suffix) << c.code;
    EXPECT_EQ(f->group_mark, ",") << c.code;
    EXPECT_EQ(f->decimal_mark, ".") << c.code;
    EXPECT_EQ(f->sign, SignStyle::kMinusOnly) << c.code;
  }
}

struct DisplayCase {
  std::string_view code;
  std::string_view value;
  std::string_view shown;
};

TEST(ParseNumberFormatTest, FormatsLikeASpreadsheetThroughFormatDecimal) {
  const std::vector<DisplayCase> cases = {
      {"0.00", "56.1", "56.10"},
      {"#,##0", "4821", "4,821"},
      {"00000", "57", "00057"},
      {"0.0#", "2.718", "2.72"},
      {"0.0#", "2.7", "2.7"},
      {"\"$\"#,##0.00", "1234.5", "$1,234.50"},
      {"0.0\" pts\"", "2.718", "2.7 pts"},
      {"#,##0.00", "-1234567.891", "-1,234,567.89"},
      {"$#,##0", "-5", "-$5"},
      {"0", "2.5", "3"},
      {"0", "-2.5", "-3"},
      {"#.00", "0.5", ".50"},
      {"0.00", "-0.001", "0.00"},
      {"00,000", "57", "00,057"},
      {"0\\%", "12", "12%"},  // an escaped '%' is text: no scaling
  };
  for (const DisplayCase& c : cases) {
    absl::StatusOr<NumberFormat> f = ParseNumberFormat(c.code);
    ASSERT_TRUE(f.ok()) << c.code << ": " << f.status();
    std::optional<Decimal> v = ParseDecimal(c.value, NumberReading{});
    ASSERT_TRUE(v.has_value()) << c.value;
    EXPECT_EQ(FormatDecimal(*v, *f), c.shown) << c.code << " on " << c.value;
  }
}

struct RefusedCase {
  std::string_view code;
  std::string_view message;
};

TEST(ParseNumberFormatTest, RefusesWhatNumberFormatCannotSayWithAPosition) {
  const std::vector<RefusedCase> cases = {
      {"", "empty format code"},
      {"0.0%", "column 4: '%' scales the value, not supported"},
      {"0.0,,", "column 4: ',' after the last digit scales the value by 1000, not supported"},
      {"#,##0,", "column 6: ',' after the last digit scales the value by 1000, not supported"},
      {"0.0,,\"M\"", "column 4: ',' after the last digit scales the value by 1000, not supported"},
      {"0.00E+00", "column 5: 'E' is scientific notation, not supported"},
      {"0e0", "column 2: 'e' is scientific notation, not supported"},
      {"0;-0", "column 2: ';' starts another section, not supported"},
      {"[Red]0", "column 1: '[' starts a color, condition or locale, not supported"},
      {"general", "column 1: 'g' is not a format character here; quote literal text"},
      {"0.*0", "column 4: '0' follows '*', which ends the fraction"},
      {"0.**", "column 4: '*' follows '*', which ends the fraction"},
      {"0 kg", "column 3: 'k' is not a format character here; quote literal text"},
      {"\"$\"", "format code has no digit placeholder ('0' or '#')"},
      {"$", "format code has no digit placeholder ('0' or '#')"},
      {"0.0.0", "column 4: '.' is a second decimal point"},
      {"0.", "column 2: '.' has no digit placeholder after it"},
      {"0.\" pts\"", "column 2: '.' has no digit placeholder after it"},
      {",0", "column 1: ',' must sit between digit placeholders"},
      {"\\0,0", "column 3: ',' must sit between digit placeholders"},
      {"0.0,0", "column 4: ',' in the fraction, not supported"},
      {"0\"-\"00", "column 5: '0' follows literal text, not supported"},
      {"0 .0", "column 3: '.' follows literal text, not supported"},
      {"0#", "column 2: '#' after '0' in the integer part, not supported"},
      {"0.#0", "column 4: '0' after '#' in the fraction, not supported"},
      {"0\" pts", "column 2: '\"' opens a quote that is never closed"},
      {"0\\", "column 2: '\\' escapes nothing"},
      {"?", "column 1: '?' is a space-padded digit, not supported"},
      {"@", "column 1: '@' is a text placeholder, not supported"},
      {"0*-", "column 2: '*' repeats a fill character, not supported"},
      {"0_)", "column 2: '_' adds padding, not supported"},
      {"0/0", "column 2: '/' is not a format character here; quote literal text"},
      {"\u20AC0%", "column 3: '%' scales the value, not supported"},  // columns count characters
      {"0\xFF", "format code is not valid UTF-8"},
      {"\xC0\xB0", "format code is not valid UTF-8"},       // overlong '0'
      {"0\xE2\x82", "format code is not valid UTF-8"},      // cut short
      {"\xED\xA0\x80", "format code is not valid UTF-8"},   // a surrogate
      {"0\0"sv, "column 2: '\0' is not a format character here; quote literal text"sv},
  };
  for (const RefusedCase& c : cases) {
    absl::StatusOr<NumberFormat> f = ParseNumberFormat(c.code);
    ASSERT_FALSE(f.ok()) << c.code;
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument) << c.code;
    EXPECT_EQ(std::string(f.status().message()), c.message) << c.code;
  }
}

TEST(ParseNumberFormatTest, RefusesTooManyPlaceholders) {
  const std::string at_limit(kMaxFormatPlaceholders, '0');
  EXPECT_TRUE(ParseNumberFormat(at_limit).ok());
  EXPECT_TRUE(ParseNumberFormat("0." + at_limit).ok());
  EXPECT_EQ(ParseNumberFormat(at_limit + "0").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseNumberFormat("0." + at_limit + "#").status().code(),
            absl::StatusCode::kInvalidArgument);
}

NumberFormat Fmt(int min_int, int min_dec, int max_dec, Grouping g,
                 std::string prefix = "", std::string suffix = "") {
  NumberFormat f;
  f.min_integer_digits = min_int;
  f.min_decimals = min_dec;
  f.max_decimals = max_dec;
  f.grouping = g;
  f.prefix = std::move(prefix);
  f.suffix = std::move(suffix);
  return f;
}

NumberFormat KeepScale(NumberFormat f) {
  f.keep_scale = true;
  return f;
}

struct CodeCase {
  NumberFormat format;
  std::string_view code;
};

TEST(NumberFormatCodeTest, WritesCanonicalCodesThatReadBackEqual) {
  const std::vector<CodeCase> cases = {
      {Fmt(1, 0, 0, Grouping::kNone), "0"},
      {Fmt(0, 0, 0, Grouping::kNone), "#"},
      {Fmt(5, 0, 0, Grouping::kNone), "00000"},
      {Fmt(1, 2, 2, Grouping::kNone), "0.00"},
      {Fmt(1, 1, 2, Grouping::kNone), "0.0#"},
      {Fmt(0, 0, 2, Grouping::kNone), "#.##"},
      {Fmt(0, 2, 2, Grouping::kNone), "#.00"},
      {Fmt(1, 0, 0, Grouping::kWestern), "#,##0"},
      {Fmt(0, 0, 0, Grouping::kWestern), "#,###"},
      {Fmt(3, 0, 0, Grouping::kWestern), "#,000"},
      {Fmt(4, 0, 0, Grouping::kWestern), "0,000"},
      {Fmt(5, 0, 0, Grouping::kWestern), "00,000"},
      {Fmt(7, 0, 0, Grouping::kWestern), "0,000,000"},
      {Fmt(1, 0, 0, Grouping::kIndian), "#,##,##0"},
      {Fmt(7, 0, 0, Grouping::kIndian), "00,00,000"},
      {KeepScale(Fmt(1, 0, kMaxFormatPlaceholders, Grouping::kNone)), "0.*"},
      {KeepScale(Fmt(1, 2, kMaxFormatPlaceholders, Grouping::kWestern)), "#,##0.00*"},
      {Fmt(1, 0, kMaxFormatPlaceholders, Grouping::kNone), "General"},
      {Fmt(1, 2, 2, Grouping::kWestern, "$"), "\"$\"#,##0.00"},
      {Fmt(1, 1, 1, Grouping::kNone, "", " pts"), "0.0\" pts\""},
      {Fmt(1, 0, 0, Grouping::kNone, "\"", "a\"b"), "\\\"0\"a\"\\\"\"b\""},
      {Fmt(1, 0, 0, Grouping::kNone, "", "%"), "0\"%\""},
      {Fmt(1, 0, 0, Grouping::kNone, "\\", ";"), "\"\\\"0\";\""},
  };
  for (const CodeCase& c : cases) {
    const std::string code = NumberFormatCode(c.format);
    EXPECT_EQ(code, c.code);
    absl::StatusOr<NumberFormat> back = ParseNumberFormat(code);
    ASSERT_TRUE(back.ok()) << code << ": " << back.status();
    EXPECT_TRUE(*back == c.format) << code;
  }
}

TEST(NumberFormatCodeTest, NormalisesWhatTheSubsetCannotSay) {
  NumberFormat f = Fmt(1, 2, 1, Grouping::kWestern);  // max below min
  f.group_mark = ".";
  f.decimal_mark = ",";
  f.sign = SignStyle::kParentheses;
  EXPECT_EQ(NumberFormatCode(f), "#,##0.00");
  EXPECT_EQ(NumberFormatCode(Fmt(-3, -1, -1, Grouping::kNone)), "#");
}

TEST(ParseNumberFormatTest, StarKeepsTheValuesDecimalsAndGeneralDropsTrailingZeros) {
  const absl::StatusOr<NumberFormat> star = ParseNumberFormat("0.*");
  const absl::StatusOr<NumberFormat> general = ParseNumberFormat("General");
  const absl::StatusOr<NumberFormat> two = ParseNumberFormat("#,##0.00*");
  ASSERT_TRUE(star.ok() && general.ok() && two.ok());
  EXPECT_TRUE(star->keep_scale);
  EXPECT_FALSE(general->keep_scale);
  const struct {
    const char* value;
    std::string star, general, two;
  } cases[] = {
      {"2.50", "2.50", "2.5", "2.50"},
      {"7.5", "7.5", "7.5", "7.50"},
      {"0.032", "0.032", "0.032", "0.032"},
      {"1234.5678", "1234.5678", "1234.5678", "1,234.5678"},
      {"75E2", "7500", "7500", "7,500.00"},
      {"-0.00", "0.00", "0", "0.00"},
  };
  for (const auto& c : cases) {
    const Decimal v = *ParseDecimal(c.value, NumberReading{});
    EXPECT_EQ(FormatDecimal(v, *star), c.star) << c.value;
    EXPECT_EQ(FormatDecimal(v, *general), c.general) << c.value;
    EXPECT_EQ(FormatDecimal(v, *two), c.two) << c.value;
  }
}

TEST(NumberFormatTest, EqualityComparesEveryField) {
  const NumberFormat a = Fmt(1, 2, 2, Grouping::kWestern, "$");
  NumberFormat b = a;
  EXPECT_TRUE(a == b);
  b.group_mark = " ";
  EXPECT_TRUE(a != b);
  b = a;
  b.sign = SignStyle::kAlways;
  EXPECT_FALSE(a == b);
  b = a;
  b.keep_scale = true;
  EXPECT_FALSE(a == b);
}

}  // namespace
}  // namespace flashsynth::dsl
