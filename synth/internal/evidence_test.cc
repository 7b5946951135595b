#include "synth/internal/evidence.h"

#include "dsl/parser.h"
#include "gtest/gtest.h"

namespace flashsynth::synth::internal {
namespace {

dsl::Program P(const char* text) { return *dsl::Parse(text); }

TEST(SeamTest, SeamsAreClassChangesButNotInsideACapitalizedWord) {
  const std::u32string s = U"McCoy 42,x";
  EXPECT_TRUE(IsSeam(s, 0));
  EXPECT_FALSE(IsSeam(s, 1));  // M|c: one token
  EXPECT_TRUE(IsSeam(s, 2));   // c|C
  EXPECT_FALSE(IsSeam(s, 3));  // C|o
  EXPECT_TRUE(IsSeam(s, 5));   // y|space
  EXPECT_FALSE(IsSeam(s, 7));  // 4|2
  EXPECT_TRUE(IsSeam(s, 8));   // 2|,
  EXPECT_TRUE(IsSeam(s, s.size()));
}

TEST(SeamPenaltyTest, ChargesASubstringThatCutsATokenOnlyOnNewRows) {
  const std::vector<Example> examples = {{{"Hello world"}, "Hello"}, {{"Abcde fgh"}, "Abcde"}};
  const std::vector<dsl::Row> rows = {{"Goodbye world"}, {"Hi there"}};
  // SubStr(1, 5) gives "Goodb" (cut) and "Hi th" (cut) on the new rows.
  EXPECT_DOUBLE_EQ(SeamPenalty(P("Concat(SubStr(1, 5))"), examples, rows), 2 * kSeamCharge / 2);
  EXPECT_DOUBLE_EQ(SeamPenalty(P("Concat(GetToken(Word, 1))"), examples, rows), 0);
  EXPECT_DOUBLE_EQ(SeamPenalty(P("Concat(SubStr(1, 5))"), examples, {}), 0);
}

TEST(SeamPenaltyTest, SubstringsOffSeamsOnTheExamplesAreNotJudged) {
  const std::vector<Example> examples = {{{"Hello world"}, "Hel"}};
  const std::vector<dsl::Row> rows = {{"Goodbye"}};
  EXPECT_DOUBLE_EQ(SeamPenalty(P("Concat(SubStr(1, 3))"), examples, rows), 0);
}

TEST(SeamPenaltyTest, JudgesTheCaseThatRuns) {
  const std::vector<Example> examples = {{{"a,bc"}, "bc"}, {{"xyz"}, "xyz"}};
  const std::vector<dsl::Row> rows = {{"q,rstu"}};
  const dsl::Program p =
      P(R"(Switch((Match(x1, ",", 1), Concat(SubStr(3, 4))), (True, Concat(SubStr(1, 0)))))");
  // On the new row the first case runs and SubStr(3, 4) gives "rs" of "rstu".
  EXPECT_DOUBLE_EQ(SeamPenalty(p, examples, rows), kSeamCharge);
}

TEST(ShapePenaltyTest, ChargesOutputsWithPunctuationNoExampleHas) {
  const std::vector<Example> examples = {{{"a, b"}, "a, b, c"}, {{"d"}, "d, x, y"}};
  const std::vector<dsl::Row> rows = {{"p, q, r"}, {"s"}};
  // Appending ", c" gives three commas to "p, q, r" and one to "s"; every
  // example output has two.
  EXPECT_DOUBLE_EQ(ShapePenalty(P(R"(Concat(SubStr(1, 0), ConstStr(", c")))"), examples, rows),
                   kShapeCharge);
  // The copy is off only on "s", which has no comma.
  EXPECT_DOUBLE_EQ(ShapePenalty(P("Concat(SubStr(1, 0))"), examples, rows), kShapeCharge / 2);
  EXPECT_DOUBLE_EQ(ShapePenalty(P(R"(Concat(ConstStr("u, v, w")))"), examples, rows), 0);
  EXPECT_DOUBLE_EQ(ShapePenalty(P("Concat(SubStr(1, 0))"), examples, {}), 0);
}

TEST(ShapePenaltyTest, LettersDigitsAndSpacesDoNotCount) {
  const std::vector<Example> examples = {{{"ab"}, "ab 12"}};
  const std::vector<dsl::Row> rows = {{"abc def 1234"}};
  EXPECT_DOUBLE_EQ(ShapePenalty(P("Concat(SubStr(1, 0))"), examples, rows), 0);
  EXPECT_DOUBLE_EQ(ShapePenalty(P(R"(Concat(SubStr(1, 0), ConstStr("!")))"), examples, rows), kShapeCharge);
}

TEST(ShapePenaltyTest, NumbersWrittenByFormatDoNotCount) {
  // Whole numbers in the examples, "7.5" on a row to fill: the point comes
  // from the number's value, not from the program's shape.
  const std::vector<Example> examples = {{{"$12"}, "12 kg"}, {{"$7"}, "7 kg"}};
  const std::vector<dsl::Row> rows = {{"$7.5"}, {"$3"}};
  EXPECT_DOUBLE_EQ(
      ShapePenalty(P(R"(Concat(Format("0.*", Dot, Minus, ReadNumber(Dot, 1)), ConstStr(" kg")))"),
                   examples, rows),
      0);
  // Text outside the numbers is still judged: "b.c" brings a point no
  // example shows.
  EXPECT_DOUBLE_EQ(
      ShapePenalty(P(R"(Concat(Format("0.*", Dot, Minus, ReadNumber(Dot, 1)), GetFrom(" ")))"),
                   {{{"$12 a"}, "12a"}}, {{"$7.5 b.c"}}),
      kShapeCharge);
}

}  // namespace
}  // namespace flashsynth::synth::internal
