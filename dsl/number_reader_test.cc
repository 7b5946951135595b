// dsl/number_reader_test.cc: FindNumbers(), table-driven.
#include "dsl/number_reader.h"

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

struct ReadCase {
  std::string text;
  DecimalMark mark;
  std::string want;  // the values' ToString(), joined by " | "
};

std::string Values(std::string_view text, DecimalMark mark) {
  std::vector<std::string> out;
  for (const NumberMatch& m : FindNumbers(text, mark)) out.push_back(m.value.ToString());
  return absl::StrJoin(out, " | ");
}

TEST(FindNumbersTest, ReadsWholeCellsAndNumbersInsideText) {
  const std::vector<ReadCase> cases = {
      // A whole cell: every decoration ParseDecimal knows.
      {"(1,234.00)", DecimalMark::kDot, "-1234.00"},
      {"  $57 ", DecimalMark::kDot, "57"},
      {"3.2E-002", DecimalMark::kDot, "0.032"},
      {"007.5", DecimalMark::kDot, "7.5"},
      {"-0", DecimalMark::kDot, "0"},
      {"-0.00", DecimalMark::kDot, "0.00"},
      {"\u22125", DecimalMark::kDot, "-5"},
      {"5%", DecimalMark::kDot, "5"},
      {"1 234,5", DecimalMark::kComma, "1234.5"},
      {"\u20AC1.234,50", DecimalMark::kComma, "1234.50"},
      {"12,34,567", DecimalMark::kDot, "1234567"},
      {"123456789012345678901234567890", DecimalMark::kDot, "123456789012345678901234567890"},
      // The same text read with the other mark.
      {"\u20AC1.234,50", DecimalMark::kDot, "1.234 | 50"},
      {"7,5", DecimalMark::kDot, "7 | 5"},
      {"7,5", DecimalMark::kComma, "7.5"},
      {"1,5", DecimalMark::kGuess, "1.5"},
      {"1,234", DecimalMark::kGuess, "1234"},
      // Numbers inside text.
      {"3.14,1.41", DecimalMark::kDot, "3.14 | 1.41"},
      {"12;47", DecimalMark::kDot, "12 | 47"},
      {"Total: 1,234.50 USD", DecimalMark::kDot, "1234.50"},
      {"2021-05-03", DecimalMark::kDot, "2021 | 5 | 3"},
      {"x=-5 y=+2", DecimalMark::kDot, "-5 | 2"},
      {"A-7", DecimalMark::kDot, "7"},
      {"ID42b", DecimalMark::kDot, "42"},
      {"1,234,5678", DecimalMark::kDot, "1234 | 5678"},
      {"212,555,1234", DecimalMark::kDot, "212555 | 1234"},
      {"v1.2.3", DecimalMark::kDot, "1.2 | 3"},
      {"a .5 b", DecimalMark::kDot, "0.5"},
      {"temp -3.5C, 2e3 m", DecimalMark::kDot, "-3.5 | 2000"},
      // Text that only looks like a number, and no number at all.
      {"", DecimalMark::kDot, ""},
      {"   ", DecimalMark::kDot, ""},
      {"N/A", DecimalMark::kDot, ""},
      {"-", DecimalMark::kDot, ""},
      {".", DecimalMark::kDot, ""},
      {"e5", DecimalMark::kDot, "5"},  // digits after letters, as in "ID42b"
      {"\xFF" "12", DecimalMark::kDot, ""},  // not UTF-8: no number
  };
  for (const ReadCase& c : cases) {
    EXPECT_EQ(Values(c.text, c.mark), c.want) << "\"" << c.text << "\"";
  }
}

TEST(FindNumbersTest, GivesTheBytesOfEachNumber) {
  const std::vector<NumberMatch> m = FindNumbers("x=-5; 1,234.5kg", DecimalMark::kDot);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].begin, 2u);
  EXPECT_EQ(m[0].end, 4u);
  EXPECT_EQ(m[1].begin, 6u);
  EXPECT_EQ(m[1].end, 13u);
}

TEST(FindNumbersTest, StaysLinearOnHugeCells) {
  // 100,000 digits with marks: one run far past kMaxNumberBytes, no number.
  std::string digits;
  for (int i = 0; i < 50000; ++i) digits += "1,";
  EXPECT_TRUE(FindNumbers(digits, DecimalMark::kDot).empty());
  // Many short numbers: all of them.
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "12 ";
  EXPECT_EQ(FindNumbers(many, DecimalMark::kDot).size(), 20000u);
}

}  // namespace
}  // namespace flashsynth::dsl
