// dsl/number_ops_test.cc: the number operators (ReadNumber, Scale, Round,
// Bin, Format) through the text form and the interpreter, one table per
// operator. Expected outputs were worked out by hand with exact decimal
// arithmetic (and checked with Python's decimal module), not by this code.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dsl/interpreter.h"
#include "dsl/parser.h"
#include "dsl/program.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

using ::testing::HasSubstr;

struct NumberCase {
  std::string expr;   // one expression of a Concat, in the text form
  std::string input;  // the cell x1
  std::optional<std::string> want;  // nullopt: no output
};

void ExpectCases(const std::vector<NumberCase>& cases) {
  for (const NumberCase& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.expr, " on \"", c.input, "\""));
    absl::StatusOr<Program> p = Parse(absl::StrCat("Concat(", c.expr, ")"));
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(Evaluate(*p, Row{c.input}), c.want);
  }
}

// Shorthand: the plain form of a number expression.
std::string Plain(const std::string& number) {
  return absl::StrCat("Format(\"General\", Dot, Minus, ", number, ")");
}

TEST(ReadNumberTest, ReadsTheIthNumberOrGivesNoOutput) {
  ExpectCases({
      {Plain("ReadNumber(Dot, 1)"), "007.5", "7.5"},
      {Plain("ReadNumber(Dot, 1)"), "$57", "57"},
      {Plain("ReadNumber(Dot, 1)"), "3.2E-002", "0.032"},
      {Plain("ReadNumber(Dot, 1)"), "(1,234.00)", "-1234"},
      {Plain("ReadNumber(Dot, 1)"), "-0", "0"},
      {Plain("ReadNumber(Dot, 1)"), "-0.00", "0"},
      {Plain("ReadNumber(Dot, 1)"), "123456789012345678901234567890",
       "123456789012345678901234567890"},
      {Plain("ReadNumber(Dot, 1)"), "Total: 1,234.50 USD", "1234.5"},
      {Plain("ReadNumber(Dot, 2)"), "3.14,1.41", "1.41"},
      {Plain("ReadNumber(Dot, -1)"), "3.14,1.41", "1.41"},
      {Plain("ReadNumber(Dot, -2)"), "12;47", "12"},
      {Plain("ReadNumber(Dot, 3)"), "3.14,1.41", std::nullopt},
      {Plain("ReadNumber(Comma, 1)"), "\u20AC1.234,50", "1234.5"},
      {Plain("ReadNumber(Dot, 1)"), "\u20AC1.234,50", "1.234"},
      {Plain("ReadNumber(Guess, 1)"), "1,5", "1.5"},
      {Plain("ReadNumber(Dot, 2)"), "2021-05-03", "5"},
      {Plain("ReadNumber(Dot, 1, GetFrom(\":\"))"), "a1: 7.25", "7.25"},
      {Plain("ReadNumber(Dot, 1, x2)"), "12", std::nullopt},  // no column x2
      // Empty cells and text that only looks like a number: no output,
      // never a silent 0.
      {Plain("ReadNumber(Dot, 1)"), "", std::nullopt},
      {Plain("ReadNumber(Dot, 1)"), "N/A", std::nullopt},
      {Plain("ReadNumber(Dot, 1)"), "-", std::nullopt},
      {Plain("ReadNumber(Dot, 1)"), "1.2.3", "1.2"},
      {Plain("ReadNumber(Dot, 1)"), "\xFF" "12", std::nullopt},
  });
}

TEST(ScaleTest, MultipliesByAPowerOfTenExactly) {
  ExpectCases({
      {Plain("Scale(-2, ReadNumber(Dot, 1))"), "23.4", "0.234"},
      {Plain("Scale(-2, ReadNumber(Dot, 1))"), "1987", "19.87"},
      {Plain("Scale(3, ReadNumber(Dot, 1))"), "-7.5", "-7500"},
      {Plain("Scale(2, ReadNumber(Dot, 1))"), "0.0734", "7.34"},
      {Plain("Scale(12, ReadNumber(Dot, 1))"), "1E9990", std::nullopt},  // out of range
      {Plain("Scale(-12, ReadNumber(Dot, 1))"), "-0", "0"},
  });
}

TEST(RoundTest, RoundsToAMultipleOfTheStepInEveryMode) {
  ExpectCases({
      {Plain("Round(Nearest, 0.01, ReadNumber(Dot, 1))"), "2.675", "2.68"},
      {Plain("Round(Nearest, 0.01, ReadNumber(Dot, 1))"), "-2.675", "-2.68"},
      {Plain("Round(Nearest, 1, ReadNumber(Dot, 1))"), "0.5", "1"},
      {Plain("Round(Nearest, 1, ReadNumber(Dot, 1))"), "-0.5", "-1"},
      {Plain("Round(Nearest, 1, ReadNumber(Dot, 1))"), "-0.4", "0"},
      {Plain("Round(NearestEven, 1, ReadNumber(Dot, 1))"), "2.5", "2"},
      {Plain("Round(NearestEven, 1, ReadNumber(Dot, 1))"), "3.5", "4"},
      {Plain("Round(TowardZero, 1, ReadNumber(Dot, 1))"), "-2.7", "-2"},
      {Plain("Round(AwayFromZero, 1, ReadNumber(Dot, 1))"), "2.1", "3"},
      {Plain("Round(Floor, 1, ReadNumber(Dot, 1))"), "-2.1", "-3"},
      {Plain("Round(Ceiling, 1, ReadNumber(Dot, 1))"), "-2.7", "-2"},
      {Plain("Round(Nearest, 50, ReadNumber(Dot, 1))"), "48213", "48200"},
      {Plain("Round(Ceiling, 50, ReadNumber(Dot, 1))"), "48213", "48250"},
      {Plain("Round(Nearest, 100, ReadNumber(Dot, 1))"), "731", "700"},
      {Plain("Round(Ceiling, 0.5, ReadNumber(Dot, 1))"), "5.37", "5.5"},
      {Plain("Round(Nearest, 0.05, ReadNumber(Dot, 1))"), "12.62", "12.6"},
      {Plain("Round(Nearest, 0.01, ReadNumber(Dot, 1))"), "-0.001", "0"},
      {Plain("Round(Nearest, 1, ReadNumber(Dot, 1))"), "123456789012345678901234567890.5",
       "123456789012345678901234567891"},
      {Plain("Round(Nearest, 1, ReadNumber(Dot, 1))"), "", std::nullopt},
  });
}

TEST(BinTest, GivesTheEdgesOfTheBinThatHoldsTheValue) {
  ExpectCases({
      {"Format(\"0\", Dot, Minus, Bin(Low, 10, 0, ReadNumber(Dot, 1)))", "147", "140"},
      {"Format(\"0\", Dot, Minus, Bin(High, 10, 0, ReadNumber(Dot, 1)))", "147", "150"},
      {"Format(\"0\", Dot, Minus, Bin(HighInclusive, 10, 0, ReadNumber(Dot, 1)))", "147", "149"},
      {"Format(\"0\", Dot, Minus, Bin(Low, 10, 0, ReadNumber(Dot, 1)))", "140", "140"},
      {"Format(\"0\", Dot, Minus, Bin(HighInclusive, 10, 0, ReadNumber(Dot, 1)))", "140", "149"},
      {"Format(\"0\", Dot, Minus, Bin(Low, 25, 1, ReadNumber(Dot, 1)))", "64", "51"},
      {"Format(\"0\", Dot, Minus, Bin(HighInclusive, 25, 1, ReadNumber(Dot, 1)))", "64", "75"},
      {"Format(\"0\", Dot, Minus, Bin(Low, 25, 1, ReadNumber(Dot, 1)))", "51", "51"},
      {"Format(\"0\", Dot, Minus, Bin(Low, 25, 1, ReadNumber(Dot, 1)))", "50", "26"},
      {"Format(\"0\", Dot, Minus, Bin(Low, 25, 1, ReadNumber(Dot, 1)))", "0", "-24"},
      {"Format(\"0\", Dot, Minus, Bin(Low, 5, 0, ReadNumber(Dot, 1)))", "33.2", "30"},
      {"Format(\"0\", Dot, Minus, Bin(High, 5, 0, ReadNumber(Dot, 1)))", "33.2", "35"},
      {"Format(\"0.0\", Dot, Minus, Bin(HighInclusive, 0.5, 0, ReadNumber(Dot, 1)))", "1.3", "1.4"},
      {"Format(\"0\", Dot, Minus, Bin(Low, 10, 0, ReadNumber(Dot, 1)))", "-3", "-10"},
      {"Format(\"0\", Dot, Minus, Bin(HighInclusive, 10, 0, ReadNumber(Dot, 1)))", "-3", "-1"},
      {"Format(\"0\", Dot, Minus, Bin(Low, 10, 0, ReadNumber(Dot, 1)))", "12;47", "10"},
      {"Format(\"0\", Dot, Minus, Bin(Low, 10, 0, ReadNumber(Dot, 1)))", "none", std::nullopt},
  });
}

TEST(FormatTest, WritesTheNumberAsTheCodeMarksAndSignSay) {
  ExpectCases({
      {"Format(\"#,##0\", Dot, Minus, ReadNumber(Dot, 1))", "4821", "4,821"},
      {"Format(\"#,##0.####\", Comma, Minus, ReadNumber(Dot, 1))", "1234.5678", "1.234,5678"},
      {"Format(\"\\\"\u20B9\\\"#,##,##0\", Dot, Minus, ReadNumber(Dot, 1))", "12345678.9",
       "\u20B91,23,45,679"},
      {"Format(\"00000\", Dot, Minus, ReadNumber(Dot, 1))", "57", "00057"},
      {"Format(\"0000\", Dot, Plus, ReadNumber(Dot, 1))", "+44", "+0044"},
      {"Format(\"0000\", Dot, Plus, ReadNumber(Dot, 1))", "-44", "-0044"},
      {"Format(\"#,##0.00\", Dot, Parens, ReadNumber(Dot, 1))", "-1234.5", "(1,234.50)"},
      {"Format(\"#,##0.00\", SpaceComma, Minus, ReadNumber(Dot, 1))", "1234567.891",
       "1 234 567,89"},
      {"Format(\"#,##0\", Apostrophe, Minus, ReadNumber(Dot, 1))", "1234567", "1'234'567"},
      {"Format(\"#,##0.0\", SpaceDot, Minus, ReadNumber(Dot, 1))", "-1234.56", "-1 234.6"},
      {"Format(\"0.00\", Dot, Minus, ReadNumber(Dot, 1))", "2.675", "2.68"},
      {"Format(\"0.00\", Dot, Minus, ReadNumber(Dot, 1))", "0.5", "0.50"},
      {"Format(\"0\", Dot, Minus, ReadNumber(Dot, 1))", "-0.4", "0"},
      {"Format(\"0.0\", Dot, Minus, ReadNumber(Dot, 1))", "0.05", "0.1"},
      {"Format(\"0.00*\", Dot, Minus, ReadNumber(Dot, 1))", "3", "3.00"},
      {"Format(\"0.00*\", Dot, Minus, ReadNumber(Dot, 1))", "3.14159", "3.14159"},
      {"Format(\"0.*\", Dot, Minus, ReadNumber(Dot, 1))", "$12.50", "12.50"},
      {"Format(\"General\", Dot, Minus, ReadNumber(Dot, 1))", "$12.50", "12.5"},
      {"Format(\"0.*\", Dot, Minus, Scale(-2, ReadNumber(Dot, 1)))", "250", "2.50"},
      {"Format(\"0.*\", Dot, Minus, Round(Nearest, 0.05, ReadNumber(Dot, 1)))", "12.62", "12.60"},
      {"Format(\"0.0 \\\"kg\\\"\", Dot, Minus, ReadNumber(Dot, 1))", "72.456", "72.5 kg"},
      {"Format(\"0\", Dot, Minus, ReadNumber(Dot, 1))", "", std::nullopt},
  });
}

TEST(NumberProgramTest, MixesNumbersWithTextInOneConcat) {
  ExpectCases({
      {"ConstStr(\"$\"), Format(\"0.0\", Dot, Minus, Scale(-3, ReadNumber(Dot, 1))), "
       "ConstStr(\"K\")",
       "4821", "$4.8K"},
      {"Format(\"0.0\", Dot, Minus, ReadNumber(Dot, 1)), ConstStr(\" * \"), "
       "Format(\"0.0\", Dot, Minus, ReadNumber(Dot, 2))",
       "3.14,1.41", "3.1 * 1.4"},
      {"Format(\"00\", Dot, Minus, ReadNumber(Dot, 1)), ConstStr(\":\"), "
       "Format(\"00\", Dot, Minus, ReadNumber(Dot, -1))",
       "7,5", "07:05"},
      {"Format(\"0\", Dot, Minus, Bin(Low, 10, 0, ReadNumber(Dot, 1))), ConstStr(\"-\"), "
       "Format(\"0\", Dot, Minus, Bin(HighInclusive, 10, 0, ReadNumber(Dot, 1)))",
       "147", "140-149"},
  });
}

TEST(NumberValidateTest, NamesTheTypeFaultsOfHandBuiltPrograms) {
  const Expr read = Expr::Modification(Op::kReadNumber,
                                       {Arg::OfMark(DecimalMark::kDot), Arg::Index(1)}, 0);
  // A number in a Concat.
  absl::Status s = Validate(Program::Concat({read}));
  EXPECT_THAT(std::string(s.message()), HasSubstr("ReadNumber gives a number"));
  // A number operator reading a column.
  s = Validate(Program::Concat({Expr::Modification(
      Op::kFormat,
      {Arg::FormatCode("0"), Arg::OfMarks(NumberMarks::kDot), Arg::OfSign(SignStyle::kMinusOnly)},
      0)}));
  EXPECT_THAT(std::string(s.message()), HasSubstr("Format reads a number"));
  // Text where a number is read.
  s = Validate(Program::Concat({Expr::Modification(
      Op::kFormat,
      {Arg::FormatCode("0"), Arg::OfMarks(NumberMarks::kDot), Arg::OfSign(SignStyle::kMinusOnly)},
      Expr::Modification(Op::kTrim, {}, 0))}));
  EXPECT_THAT(std::string(s.message()), HasSubstr("Format reads a number, but Trim gives text"));
  // A step that is not positive; a bad format code.
  const Expr round = Expr::Modification(
      Op::kRound, {Arg::OfRounding(RoundingMode::kFloor), Arg::OfDecimal(Decimal())}, read);
  s = ValidateExpr(round);
  EXPECT_THAT(std::string(s.message()), HasSubstr("Round: the step must be positive, got 0"));
  s = ValidateExpr(Expr::Modification(
      Op::kFormat,
      {Arg::FormatCode("0%"), Arg::OfMarks(NumberMarks::kDot), Arg::OfSign(SignStyle::kMinusOnly)},
      read));
  EXPECT_THAT(std::string(s.message()), HasSubstr("'%' scales the value"));
  // The interpreter stays total on all of them.
  EXPECT_EQ(EvaluateExpr(read, Row{"12"}), std::nullopt);
  EXPECT_EQ(Evaluate(Program::Concat({read}), Row{"12"}), std::nullopt);
}

TEST(NumberArgTest, KeepsDecimalConstantsInTheirShortestForm) {
  EXPECT_EQ(Arg::OfDecimal(*ParseDecimalConstant("0.050")).text(), "0.05");
  EXPECT_EQ(Arg::OfDecimal(*ParseDecimalConstant("10")).text(), "10");
  EXPECT_EQ(Arg::OfDecimal(*ParseDecimalConstant("-2.50")).text(), "-2.5");
  EXPECT_EQ(Arg::OfDecimal(*ParseDecimalConstant("1.000")).text(), "1");
  EXPECT_EQ(Arg::OfDecimal(*ParseDecimalConstant("1.000")),
            Arg::OfDecimal(*ParseDecimalConstant("1")));
  for (const char* bad : {"", "-", ".5", "5.", "1e3", "+1", "1,5", " 1", "--1"}) {
    EXPECT_EQ(ParseDecimalConstant(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace flashsynth::dsl
