// dsl/match_test.cc: Utf8Text, FindMatches() and HasMatches().
//
// Expected spans come from Python, not from this code: re.finditer with
// RobustFill's regexes (../shared/benchmarks/README.md section 5.3) on ASCII
// text, and on other text the same scan over Unicode general categories
// (letter L*, upper Lu, lower Ll, digit Nd) that DSL.md section 2 asks for;
// the two agree on every ASCII string used here.
#include "dsl/match.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dsl/program.h"
#include "gmock/gmock.h"
#include "dsl/internal/test_shorthands.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

using ::testing::ElementsAreArray;

using namespace test_shorthands;  // NOLINT: table shorthands

std::string RegexName(Regex r) {
  return r.is_type() ? std::string(TokenTypeName(r.type())) : QuoteString(std::string(1, r.delimiter()));
}

// Spans as pairs, which gtest prints readably.
std::vector<std::pair<size_t, size_t>> Pairs(const std::vector<Span>& spans) {
  std::vector<std::pair<size_t, size_t>> out;
  for (const Span& s : spans) out.emplace_back(s.begin, s.end);
  return out;
}

TEST(Utf8TextTest, IndexesByCharacter) {
  const Utf8Text t("Zoë 42");
  EXPECT_EQ(t.text(), "Zoë 42");
  EXPECT_EQ(t.size(), 6u);
  EXPECT_EQ(t.at(2), U'ë');
  EXPECT_EQ(t.at(5), U'2');
  EXPECT_EQ(t.Slice(0, 3), "Zoë");
  EXPECT_EQ(t.Slice(2, 4), "ë ");
  EXPECT_EQ(t.Slice(6, 6), "");

  const Utf8Text ascii("abc");
  EXPECT_EQ(ascii.size(), 3u);
  EXPECT_EQ(ascii.at(1), U'b');
  EXPECT_EQ(ascii.Slice(1, 3), "bc");

  const Utf8Text wide("a😀北");
  EXPECT_EQ(wide.size(), 3u);
  EXPECT_EQ(wide.at(1), U'😀');
  EXPECT_EQ(wide.Slice(1, 3), "😀北");

  EXPECT_EQ(Utf8Text("").size(), 0u);
}

struct FindCase {
  std::string_view text;
  Regex regex;
  std::vector<Span> want;
};

const std::vector<FindCase>& FindCases() {
  static const auto* cases = new std::vector<FindCase>{
      // PropCase is [A-Z][a-z]+: "AB" is no match, "Bc" is
      {"ABc DeF Gh", Re(kNumber), {}},
      {"ABc DeF Gh", Re(kWord), {{0, 3}, {4, 7}, {8, 10}}},
      {"ABc DeF Gh", Re(kAlphanum), {{0, 3}, {4, 7}, {8, 10}}},
      {"ABc DeF Gh", Re(kAllCaps), {{0, 2}, {4, 5}, {6, 7}, {8, 9}}},
      {"ABc DeF Gh", Re(kPropCase), {{1, 3}, {4, 6}, {8, 10}}},
      {"ABc DeF Gh", Re(kLower), {{2, 3}, {5, 6}, {9, 10}}},
      {"ABc DeF Gh", Re(kDigit), {}},
      {"ABc DeF Gh", Re(kChar), {
           {0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}, {8, 9}, {9, 10}}},
      {"ABc DeF Gh", Re(' '), {{3, 4}, {7, 8}}},
      {"ABc DeF Gh", Re('('), {}},
      // "-" is not a delimiter
      {"a1b22 c333-x.y(z)", Re(kNumber), {{1, 2}, {3, 5}, {7, 10}}},
      {"a1b22 c333-x.y(z)", Re(kWord), {{0, 1}, {2, 3}, {6, 7}, {11, 12}, {13, 14}, {15, 16}}},
      {"a1b22 c333-x.y(z)", Re(kAlphanum), {{0, 5}, {6, 10}, {11, 12}, {13, 14}, {15, 16}}},
      {"a1b22 c333-x.y(z)", Re(kAllCaps), {}},
      {"a1b22 c333-x.y(z)", Re(kPropCase), {}},
      {"a1b22 c333-x.y(z)", Re(kLower), {{0, 1}, {2, 3}, {6, 7}, {11, 12}, {13, 14}, {15, 16}}},
      {"a1b22 c333-x.y(z)", Re(kDigit), {{1, 2}, {3, 4}, {4, 5}, {7, 8}, {8, 9}, {9, 10}}},
      {"a1b22 c333-x.y(z)", Re(kChar), {
           {0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}, {8, 9}, {9, 10},
           {11, 12}, {12, 13}, {13, 14}, {14, 15}, {15, 16}, {16, 17}}},
      {"a1b22 c333-x.y(z)", Re(' '), {{5, 6}}},
      {"a1b22 c333-x.y(z)", Re('.'), {{12, 13}}},
      {"a1b22 c333-x.y(z)", Re('('), {{14, 15}}},
      // non-ASCII letters; Lt is a letter, neither case
      {"Zoë Ünal ÉCOLE ǅx", Re(kNumber), {}},
      {"Zoë Ünal ÉCOLE ǅx", Re(kWord), {{0, 3}, {4, 8}, {9, 14}, {15, 17}}},
      {"Zoë Ünal ÉCOLE ǅx", Re(kAlphanum), {{0, 3}, {4, 8}, {9, 14}, {15, 17}}},
      {"Zoë Ünal ÉCOLE ǅx", Re(kAllCaps), {{0, 1}, {4, 5}, {9, 14}}},
      {"Zoë Ünal ÉCOLE ǅx", Re(kPropCase), {{0, 3}, {4, 8}}},
      {"Zoë Ünal ÉCOLE ǅx", Re(kLower), {{1, 3}, {5, 8}, {16, 17}}},
      {"Zoë Ünal ÉCOLE ǅx", Re(kDigit), {}},
      {"Zoë Ünal ÉCOLE ǅx", Re(kChar), {
           {0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}, {8, 9}, {9, 10},
           {10, 11}, {11, 12}, {12, 13}, {13, 14}, {14, 15}, {15, 16}, {16, 17}}},
      {"Zoë Ünal ÉCOLE ǅx", Re(' '), {{3, 4}, {8, 9}, {14, 15}}},
      {"Zoë Ünal ÉCOLE ǅx", Re('('), {}},
      // Nd digits; ² (No) and U+0301 (Mn) match nothing
      {"٣٤ 12 ² e\314\201", Re(kNumber), {{0, 2}, {3, 5}}},
      {"٣٤ 12 ² e\314\201", Re(kWord), {{8, 9}}},
      {"٣٤ 12 ² e\314\201", Re(kAlphanum), {{0, 2}, {3, 5}, {8, 9}}},
      {"٣٤ 12 ² e\314\201", Re(kAllCaps), {}},
      {"٣٤ 12 ² e\314\201", Re(kPropCase), {}},
      {"٣٤ 12 ² e\314\201", Re(kLower), {{8, 9}}},
      {"٣٤ 12 ² e\314\201", Re(kDigit), {{0, 1}, {1, 2}, {3, 4}, {4, 5}}},
      {"٣٤ 12 ² e\314\201", Re(kChar), {
           {0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {7, 8}, {8, 9}}},
      {"٣٤ 12 ² e\314\201", Re(' '), {{2, 3}, {5, 6}, {7, 8}}},
      {"٣٤ 12 ² e\314\201", Re('('), {}},
      // empty
      {"", Re(kNumber), {}},
      {"", Re(kWord), {}},
      {"", Re(kAlphanum), {}},
      {"", Re(kAllCaps), {}},
      {"", Re(kPropCase), {}},
      {"", Re(kLower), {}},
      {"", Re(kDigit), {}},
      {"", Re(kChar), {}},
      {"", Re('('), {}},
      {"  \"it's\" (x). ", Re(kNumber), {}},
      {"  \"it's\" (x). ", Re(kWord), {{3, 5}, {6, 7}, {10, 11}}},
      {"  \"it's\" (x). ", Re(kAlphanum), {{3, 5}, {6, 7}, {10, 11}}},
      {"  \"it's\" (x). ", Re(kAllCaps), {}},
      {"  \"it's\" (x). ", Re(kPropCase), {}},
      {"  \"it's\" (x). ", Re(kLower), {{3, 5}, {6, 7}, {10, 11}}},
      {"  \"it's\" (x). ", Re(kDigit), {}},
      {"  \"it's\" (x). ", Re(kChar), {
           {0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}, {8, 9}, {9, 10},
           {10, 11}, {11, 12}, {12, 13}, {13, 14}}},
      {"  \"it's\" (x). ", Re(' '), {{0, 1}, {1, 2}, {8, 9}, {13, 14}}},
      {"  \"it's\" (x). ", Re('.'), {{12, 13}}},
      {"  \"it's\" (x). ", Re('('), {{9, 10}}},
      {"  \"it's\" (x). ", Re('"'), {{2, 3}, {7, 8}}},
      {"  \"it's\" (x). ", Re('\''), {{5, 6}}},
  };
  return *cases;
}

TEST(FindMatchesTest, FindsMaximalMatchesLeftToRightAsPythonFinditer) {
  for (const FindCase& c : FindCases()) {
    SCOPED_TRACE(absl::StrCat(RegexName(c.regex), " in ", QuoteString(c.text)));
    EXPECT_THAT(Pairs(FindMatches(Utf8Text(c.text), c.regex)), ElementsAreArray(Pairs(c.want)));
  }
}

TEST(HasMatchesTest, HoldsExactlyWhenThereAreAtLeastCountMatches) {
  for (const FindCase& c : FindCases()) {
    const Utf8Text text(c.text);
    const int n = static_cast<int>(c.want.size());
    for (int count = -1; count <= n + 2; ++count) {
      SCOPED_TRACE(absl::StrCat(RegexName(c.regex), " in ", QuoteString(c.text), ", count ",
                                count));
      EXPECT_EQ(HasMatches(text, c.regex, count), n >= count);
    }
  }
}

// A text of 1,000,000 characters: `unit` repeated.
std::string Repeat(std::string_view unit, size_t chars_per_unit) {
  std::string out;
  const size_t units = 1000000 / chars_per_unit;
  out.reserve(units * unit.size());
  for (size_t i = 0; i < units; ++i) out += unit;
  return out;
}

struct BigCase {
  std::string_view unit;
  Regex regex;
  size_t count;
  Span first;  // when count > 0
  Span last;
};

TEST(FindMatchesTest, ScansAMillionCharactersInOnePass) {
  const std::vector<BigCase> cases = {
      {"ab1 ", Re(kNumber), 250000, {2, 3}, {999998, 999999}},
      {"ab1 ", Re(kWord), 250000, {0, 2}, {999996, 999998}},
      {"ab1 ", Re(kAlphanum), 250000, {0, 3}, {999996, 999999}},
      {"ab1 ", Re(kAllCaps), 0, {}, {}},
      {"ab1 ", Re(kChar), 1000000, {0, 1}, {999999, 1000000}},
      {"ab1 ", Re(' '), 250000, {3, 4}, {999999, 1000000}},
      {"A", Re(kWord), 1, {0, 1000000}, {0, 1000000}},
      {"A", Re(kAllCaps), 1, {0, 1000000}, {0, 1000000}},
      {"A", Re(kPropCase), 0, {}, {}},
      {"A", Re(kLower), 0, {}, {}},
      {"Ab", Re(kWord), 1, {0, 1000000}, {0, 1000000}},
      {"Ab", Re(kAllCaps), 500000, {0, 1}, {999998, 999999}},
      {"Ab", Re(kPropCase), 500000, {0, 2}, {999998, 1000000}},
      {"Ab", Re(kLower), 500000, {1, 2}, {999999, 1000000}},
      {"Ab", Re(kChar), 1000000, {0, 1}, {999999, 1000000}},
      {"é", Re(kWord), 1, {0, 1000000}, {0, 1000000}},
      {"é", Re(kLower), 1, {0, 1000000}, {0, 1000000}},
      {"é", Re(kAllCaps), 0, {}, {}},
      {"é", Re(kChar), 1000000, {0, 1}, {999999, 1000000}},
  };
  for (const BigCase& c : cases) {
    SCOPED_TRACE(absl::StrCat(RegexName(c.regex), " in ", QuoteString(c.unit), " repeated"));
    const std::string s = Repeat(c.unit, Utf8Text(c.unit).size());
    const Utf8Text text(s);
    ASSERT_EQ(text.size(), 1000000u);
    const std::vector<Span> got = FindMatches(text, c.regex);
    ASSERT_EQ(got.size(), c.count);
    if (c.count > 0) {
      EXPECT_EQ(Pairs({got.front()}), Pairs({c.first}));
      EXPECT_EQ(Pairs({got.back()}), Pairs({c.last}));
    }
    EXPECT_TRUE(HasMatches(text, c.regex, static_cast<int>(c.count)));
    EXPECT_FALSE(HasMatches(text, c.regex, static_cast<int>(c.count) + 1));
  }
}

TEST(HasMatchesTest, AnswersOnAMillionCharacterTextWithAnEarlyMatch) {
  // The first match settles count 1; the answer must not depend on the rest.
  const std::string s = "7" + Repeat("ab ", 3);
  EXPECT_TRUE(HasMatches(Utf8Text(s), Re(kNumber), 1));
  EXPECT_TRUE(HasMatches(Utf8Text(s), Re(kDigit), 1));
  EXPECT_FALSE(HasMatches(Utf8Text(s), Re(kDigit), 2));
  EXPECT_TRUE(HasMatches(Utf8Text(s), Re(kWord), 333333));
  EXPECT_FALSE(HasMatches(Utf8Text(s), Re(kWord), 333334));
}

}  // namespace
}  // namespace flashsynth::dsl
