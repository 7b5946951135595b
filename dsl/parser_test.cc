// dsl/parser_test.cc: Parse() against docs/dsl.md's text form.
#include "dsl/parser.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "dsl/program.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::string_view_literals;  // "\0"sv keeps its NUL

struct RoundTrip {
  std::string_view text;
  std::string_view printed;  // Parse(text)->ToString()
};

constexpr RoundTrip kRoundTrips[] = {
    // Every operator, canonical already.
    {R"(Concat(ConstStr("a")))", R"(Concat(ConstStr("a")))"},
    {R"(Concat(ConstStr("")))", R"(Concat(ConstStr("")))"},
    {R"(Concat(SubStr(1, 2)))", R"(Concat(SubStr(1, 2)))"},
    {R"(Concat(SubStr(-100, 100)))", R"(Concat(SubStr(-100, 100)))"},
    {R"(Concat(SubStr(0, 0)))", R"(Concat(SubStr(0, 0)))"},
    {R"(Concat(GetSpan(",", 1, End, Number, -1, Start)))",
     R"(Concat(GetSpan(",", 1, End, Number, -1, Start)))"},
    {R"(Concat(GetToken(Word, -1)))", R"(Concat(GetToken(Word, -1)))"},
    {R"(Concat(GetToken(PropCase, 5)))", R"(Concat(GetToken(PropCase, 5)))"},
    {R"(Concat(GetToken(Alphanum, -5)))", R"(Concat(GetToken(Alphanum, -5)))"},
    {R"(Concat(GetUpto("@")))", R"(Concat(GetUpto("@")))"},
    {R"(Concat(GetUpto(Digit)))", R"(Concat(GetUpto(Digit)))"},
    {R"(Concat(GetFrom(" ")))", R"(Concat(GetFrom(" ")))"},
    {R"(Concat(GetFrom(Lower)))", R"(Concat(GetFrom(Lower)))"},
    {R"(Concat(ToCase(Proper)))", R"(Concat(ToCase(Proper)))"},
    {R"(Concat(ToCase(AllCaps)))", R"(Concat(ToCase(AllCaps)))"},
    {R"(Concat(ToCase(Lower)))", R"(Concat(ToCase(Lower)))"},
    {R"(Concat(ToCase(Title)))", R"(Concat(ToCase(Title)))"},
    {R"(Concat(Replace(" ", ",")))", R"(Concat(Replace(" ", ",")))"},
    {R"(Concat(Trim()))", R"(Concat(Trim()))"},
    {R"(Concat(GetFirst(Char, -5)))", R"(Concat(GetFirst(Char, -5)))"},
    {R"(Concat(GetAll(AllCaps)))", R"(Concat(GetAll(AllCaps)))"},
    {R"(Concat(Substitute(Number, 2, "#")))", R"(Concat(Substitute(Number, 2, "#")))"},
    {R"(Concat(SubstituteAll(Digit, "")))", R"(Concat(SubstituteAll(Digit, "")))"},
    {R"(Concat(Remove(Word, -1)))", R"(Concat(Remove(Word, -1)))"},
    {R"(Concat(RemoveAll(Char)))", R"(Concat(RemoveAll(Char)))"},
    // Columns x2.. on substring ops and modifications.
    {R"(Concat(SubStr(x2, 1, 1)))", R"(Concat(SubStr(x2, 1, 1)))"},
    {R"(Concat(GetSpan(x3, Word, 5, Start, "\"", -5, End)))",
     R"(Concat(GetSpan(x3, Word, 5, Start, "\"", -5, End)))"},
    {R"(Concat(GetToken(x1000, Number, 1)))", R"(Concat(GetToken(x1000, Number, 1)))"},
    {R"(Concat(GetUpto(x2, ".")))", R"(Concat(GetUpto(x2, ".")))"},
    {R"(Concat(GetFrom(x2, Number)))", R"(Concat(GetFrom(x2, Number)))"},
    {R"(Concat(ToCase(Lower, x2)))", R"(Concat(ToCase(Lower, x2)))"},
    {R"(Concat(Replace(",", ".", x3)))", R"(Concat(Replace(",", ".", x3)))"},
    {R"(Concat(Trim(x2)))", R"(Concat(Trim(x2)))"},
    {R"(Concat(GetFirst(Lower, 3, x4)))", R"(Concat(GetFirst(Lower, 3, x4)))"},
    {R"(Concat(GetAll(Number, x2)))", R"(Concat(GetAll(Number, x2)))"},
    {R"(Concat(Substitute(Word, 1, "X", x2)))", R"(Concat(Substitute(Word, 1, "X", x2)))"},
    {R"(Concat(SubstituteAll(Word, "X", x2)))", R"(Concat(SubstituteAll(Word, "X", x2)))"},
    {R"(Concat(Remove(Digit, 2, x2)))", R"(Concat(Remove(Digit, 2, x2)))"},
    {R"(Concat(RemoveAll(Lower, x9)))", R"(Concat(RemoveAll(Lower, x9)))"},
    // x1 written out: accepted, printed omitted (Match always prints it).
    {R"(Concat(SubStr(x1, 1, 2)))", R"(Concat(SubStr(1, 2)))"},
    {R"(Concat(GetToken(x1, Word, 1)))", R"(Concat(GetToken(Word, 1)))"},
    {R"(Concat(ToCase(Proper, x1)))", R"(Concat(ToCase(Proper)))"},
    {R"(Concat(Trim(x1)))", R"(Concat(Trim()))"},
    {R"(Concat(GetToken(x01, Word, 1)))", R"(Concat(GetToken(Word, 1)))"},
    // Composed modifications.
    {R"(Concat(ToCase(Proper, GetToken(Word, -1))))",
     R"(Concat(ToCase(Proper, GetToken(Word, -1))))"},
    {R"(Concat(Trim(GetFrom(":"))))", R"(Concat(Trim(GetFrom(":"))))"},
    {R"(Concat(ToCase(Proper, Trim(GetToken(x2, Word, -1)))))",
     R"(Concat(ToCase(Proper, Trim(GetToken(x2, Word, -1)))))"},
    {R"(Concat(Replace(".", " ", ToCase(Lower, x2))))",
     R"(Concat(Replace(".", " ", ToCase(Lower, x2))))"},
    {R"p(Concat(RemoveAll(Digit, Substitute(Word, 1, "w", GetSpan(x2, "(", 1, End, ")", -1, Start)))))p",
     R"p(Concat(RemoveAll(Digit, Substitute(Word, 1, "w", GetSpan(x2, "(", 1, End, ")", -1, Start)))))p"},
    // Number operators: decimals print in their shortest form.
    {R"(Concat(Format("#,##0.00", Dot, Minus, Round(Nearest, 0.050, ReadNumber(Dot, 1)))))",
     R"(Concat(Format("#,##0.00", Dot, Minus, Round(Nearest, 0.05, ReadNumber(Dot, 1)))))"},
    {R"(Concat(ConstStr("$"), Format("0.0", Dot, Minus, Scale(-3, ReadNumber(Comma, -1, x2))), ConstStr("K")))",
     R"(Concat(ConstStr("$"), Format("0.0", Dot, Minus, Scale(-3, ReadNumber(Comma, -1, x2))), ConstStr("K")))"},
    {R"(Concat(Format("0", Dot, Plus, Bin(HighInclusive, 25, 1, ReadNumber(Guess, 2, Trim(x3))))))",
     R"(Concat(Format("0", Dot, Plus, Bin(HighInclusive, 25, 1, ReadNumber(Guess, 2, Trim(x3))))))"},
    {R"(Concat(Format("\"₹\"#,##,##0", SpaceComma, Parens, Bin(Low, 0.5, -2.50, ReadNumber(Dot, 1)))))",
     "Concat(Format(\"\\\"₹\\\"#,##,##0\", SpaceComma, Parens, Bin(Low, 0.5, -2.5, ReadNumber(Dot, 1))))"},
    {R"(Concat(Format("General", Apostrophe, Minus, Round(Floor, 010, ReadNumber(Dot, 1, x1)))))",
     R"(Concat(Format("General", Apostrophe, Minus, Round(Floor, 10, ReadNumber(Dot, 1)))))"},
    // docs/dsl.md's examples.
    {R"(Concat(ToCase(Proper, GetToken(Word, -1)), ConstStr(", "), SubStr(x2, 1, 1), ConstStr(".")))",
     R"(Concat(ToCase(Proper, GetToken(Word, -1)), ConstStr(", "), SubStr(x2, 1, 1), ConstStr(".")))"},
    // (docs/dsl.md writes Replace(" ", "_", x2), but "_" is no delimiter.)
    {R"(Concat(GetSpan(",", 1, End, Number, -1, Start), Replace(" ", "/", x2), Trim()))",
     R"(Concat(GetSpan(",", 1, End, Number, -1, Start), Replace(" ", "/", x2), Trim()))"},
    {R"(Switch((Match(x1, "@", 1), Concat(GetUpto("@"))), (True, Concat(ConstStr("none")))))",
     R"(Switch((Match(x1, "@", 1), Concat(GetUpto("@"))), (True, Concat(ConstStr("none")))))"},
    {R"(Switch((And(Match(x1, Number, 2), Not(Match(x2, Word, 1))), Concat(GetToken(Number, 2)))))",
     R"(Switch((And(Match(x1, Number, 2), Not(Match(x2, Word, 1))), Concat(GetToken(Number, 2)))))"},
    // Switch: True alone, Not alone, And of one literal (printed bare).
    {R"(Switch((True, Concat(SubStr(1, 2)))))", R"(Switch((True, Concat(SubStr(1, 2)))))"},
    {R"(Switch((Not(Match(x3, " ", 100)), Concat(Trim(x3)))))",
     R"(Switch((Not(Match(x3, " ", 100)), Concat(Trim(x3)))))"},
    {R"(Switch((And(Match(x1, Char, 1)), Concat(Trim()))))",
     R"(Switch((Match(x1, Char, 1), Concat(Trim()))))"},
    {R"(Switch((And(Not(Match(x1, Digit, 3)), Not(Match(x1, "'", 1)), Match(x2, AllCaps, 1)), Concat(Trim())), (True, Concat(ConstStr("?")))))",
     R"(Switch((And(Not(Match(x1, Digit, 3)), Not(Match(x1, "'", 1)), Match(x2, AllCaps, 1)), Concat(Trim())), (True, Concat(ConstStr("?")))))"},
    // Strings: escapes, control characters, non-ASCII UTF-8.
    {R"(Concat(ConstStr("a\"b\\c\nd\re\tf")))", R"(Concat(ConstStr("a\"b\\c\nd\re\tf")))"},
    {R"(Concat(ConstStr("\u0041\u00e9\u6771\uFFFD")))", "Concat(ConstStr(\"A\u00e9\u6771\uFFFD\"))"},
    {R"(Concat(ConstStr("\u0001\u001f\u007f\u0000")))", R"(Concat(ConstStr("\u0001\u001F\u007F\u0000")))"},
    {"Concat(ConstStr(\"Gr\u00fc\u00dfe, \u6771\u4eac \U0001F600\"))",
     "Concat(ConstStr(\"Gr\u00fc\u00dfe, \u6771\u4eac \U0001F600\"))"},
    {R"(Concat(Substitute(Word, 1, "\u00c9t\u00e9")))", "Concat(Substitute(Word, 1, \"\u00c9t\u00e9\"))"},
    {R"(Concat(GetUpto("\u0022")))", R"(Concat(GetUpto("\"")))"},
    {R"(Concat(Replace("\"", "'")))", R"(Concat(Replace("\"", "'")))"},
    // White space between any two tokens.
    {" \t\r\n Concat ( ToCase ( Proper , x2 ) ,\tConstStr( \"x\" ) ) \r\n",
     R"(Concat(ToCase(Proper, x2), ConstStr("x")))"},
    {"Concat(\n  GetSpan(\n    x2,\n    \",\" ,1 , End,Number,-1,Start\n  )\n)\n",
     R"(Concat(GetSpan(x2, ",", 1, End, Number, -1, Start)))"},
    {"Switch ( ( And ( Match ( x1 , Word , 1 ) , Not ( Match(x2,Digit,2) ) ) , Concat ( Trim ( ) ) ) )",
     R"(Switch((And(Match(x1, Word, 1), Not(Match(x2, Digit, 2))), Concat(Trim()))))"},
    {"Concat(ConstStr(\" spaces  inside \"))", "Concat(ConstStr(\" spaces  inside \"))"},
};

TEST(ParseTest, RoundTripsThroughToString) {
  for (const RoundTrip& t : kRoundTrips) {
    SCOPED_TRACE(t.text);
    absl::StatusOr<Program> p = Parse(t.text);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->ToString(), t.printed);
    absl::StatusOr<Program> again = Parse(p->ToString());
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, *p);
  }
}

TEST(ParseTest, RoundTripTableCoversEveryOperator) {
  std::set<std::string> seen;
  for (const RoundTrip& t : kRoundTrips) {
    for (int i = 0; i < kNumOps; ++i) {
      std::string name(GetOpInfo(static_cast<Op>(i)).name);
      if (t.printed.find(name + "(") != std::string_view::npos) seen.insert(name);
    }
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kNumOps));
}

TEST(ParseTest, BuildsTheAbstractSyntax) {
  absl::StatusOr<Program> p =
      Parse(R"(Concat(SubStr(x2, 1, -1), ToCase(Title, GetToken(Word, 2)), Trim(x3)))");
  ASSERT_TRUE(p.ok()) << p.status();
  Program expected = Program::Concat({
      Expr::Substring(Op::kSubStr, {Arg::Position(1), Arg::Position(-1)}, /*column=*/1),
      Expr::Modification(Op::kToCase, {Arg::OfCase(Case::kTitle)},
                         Expr::Substring(Op::kGetToken,
                                         {Arg::OfType(TokenType::kWord), Arg::Index(2)})),
      Expr::Modification(Op::kTrim, {}, /*column=*/2),
  });
  EXPECT_EQ(*p, expected);
  EXPECT_FALSE(p->is_switch());
  EXPECT_EQ(p->NumColumnsUsed(), 3);
}

TEST(ParseTest, BuildsSwitchCasesInOrder) {
  absl::StatusOr<Program> p = Parse(
      R"(Switch((And(Match(x2, "@", 2), Not(Match(x1, Number, 1))), Concat(ConstStr("a"))),)"
      R"( (True, Concat(ConstStr("b")))))");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->is_switch());
  ASSERT_EQ(p->branches().size(), 2u);
  const Branch& first = p->branches()[0];
  ASSERT_EQ(first.condition.size(), 2u);
  EXPECT_EQ(first.condition[0], (MatchLiteral{1, Regex::Delimiter('@'), 2, false}));
  EXPECT_EQ(first.condition[1], (MatchLiteral{0, Regex::Of(TokenType::kNumber), 1, true}));
  EXPECT_EQ(first.body, std::vector<Expr>{Expr::ConstStr("a")});
  EXPECT_TRUE(p->branches()[1].condition.empty());
  EXPECT_EQ(p->branches()[1].body, std::vector<Expr>{Expr::ConstStr("b")});
}

TEST(ParseTest, DecodesEscapesAndKeepsUtf8Text) {
  absl::StatusOr<Program> p = Parse(
      "Concat(ConstStr(\"\\\"\\\\\\n\\r\\t\\u0000\\u00e9\\uffff \u00e9\u6771\U0001F600\"))");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->exprs()[0].arg(0).text(),
            "\"\\\n\r\t\0\u00e9\uffff \u00e9\u6771\U0001F600"sv);
}

TEST(ParseTest, AcceptsEveryDelimiterAsRegexAndDelimiter) {
  for (char d : kDelimiters) {
    SCOPED_TRACE(std::string(1, d));
    std::string quoted = QuoteString(std::string(1, d));
    std::string text = absl::StrCat("Concat(GetUpto(", quoted, "), Replace(", quoted, ", ",
                                    quoted, "))");
    absl::StatusOr<Program> p = Parse(text);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->ToString(), text);
    EXPECT_EQ(p->exprs()[0].arg(0).regex(), Regex::Delimiter(d));
    EXPECT_EQ(p->exprs()[1].arg(0).delimiter(), d);
  }
}

TEST(ParseTest, ParsesWhatThePrinterWritesForEveryByteOfText) {
  std::string all;
  for (int c = 1; c < 128; ++c) all += static_cast<char>(c);
  all += "\u00e9\u6771\U0001F600";
  all += '\0';
  Program p = Program::Concat({Expr::ConstStr(all)});
  absl::StatusOr<Program> again = Parse(p.ToString());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, p);
}

// Builds `Concat(Trim(Trim(...GetToken(Word, 1)...)))` with `n` Trims.
std::string NestedTrims(int n) {
  std::string text = "Concat(";
  for (int i = 0; i < n; ++i) text += "Trim(";
  text += "GetToken(Word, 1)";
  text += std::string(n, ')');
  return text + ")";
}

TEST(ParseTest, AcceptsNestingUpToTheLimit) {
  absl::StatusOr<Program> p = Parse(NestedTrims(kMaxNesting));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->size(), 1 + kMaxNesting + 1);
  EXPECT_EQ(p->ToString(), NestedTrims(kMaxNesting));
}

TEST(ParseTest, RejectsVeryDeepNestingWithoutRecursingIntoIt) {
  absl::StatusOr<Program> p = Parse(NestedTrims(1000000));
  ASSERT_FALSE(p.ok());
  // Concat( is 7 characters, each Trim( 5: the 18th expression is too deep.
  EXPECT_THAT(std::string(p.status().message()),
              StartsWith(absl::StrCat("line 1, column ", 7 + 5 * (kMaxNesting + 1) + 1,
                                      ": expected a column: modifications nest at most 16")));
}

TEST(ParseTest, ParsesLongPrograms) {
  std::string text = "Concat(";
  std::string printed = "Concat(";
  constexpr int kExprs = 20000;
  for (int i = 0; i < kExprs; ++i) {
    text += i == 0 ? "" : ",";
    text += "GetToken(x7,Word,1)";
    printed += i == 0 ? "" : ", ";
    printed += "GetToken(x7, Word, 1)";
  }
  text += ")";
  printed += ")";
  absl::StatusOr<Program> p = Parse(text);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->exprs().size(), static_cast<size_t>(kExprs));
  EXPECT_EQ(p->ToString(), printed);
}

struct BadCase {
  std::string name;
  std::string text;
  std::string error;  // a substring of the status message
};

constexpr char kDelimiterError[] =
    R"(expected a delimiter: one of & , . ? ! @ ( ) [ ] % { } / : ; $ # " ' or space)";

const std::vector<BadCase>& BadCases() {
  static const auto* cases = new std::vector<BadCase>{
      {"empty input", "", "line 1, column 1: expected Concat or Switch"},
      {"only white space", "  \n  ", "line 2, column 3: expected Concat or Switch"},
      {"not a program", "SubStr(1, 2)", "line 1, column 1: expected Concat or Switch"},
      {"lower-case keyword", "concat(Trim())", "line 1, column 1: expected Concat or Switch"},
      {"no paren after Concat", "Concat Trim()", "line 1, column 8: expected '('"},
      {"empty Concat", "Concat()",
       "line 1, column 8: expected an operator name such as SubStr or ToCase"},
      {"trailing comma", "Concat(Trim(),)",
       "line 1, column 15: expected an operator name such as SubStr or ToCase"},
      {"unclosed Concat", "Concat(SubStr(1, 2)", "line 1, column 20: expected ',' or ')'"},
      {"unclosed op", "Concat(SubStr(1, 2", "line 1, column 19: expected ')'"},
      {"missing comma between exprs", "Concat(Trim() Trim())",
       "line 1, column 15: expected ',' or ')'"},
      {"unknown op", "Concat(Foo(1))", "line 1, column 8: unknown operator 'Foo'"},
      {"op names are case-sensitive", "Concat(substr(1, 2))",
       "line 1, column 8: unknown operator 'substr'"},
      {"long unknown op is shortened", "Concat(" + std::string(1000, 'A') + "())",
       "line 1, column 8: unknown operator '" + std::string(40, 'A') + "...'"},
      {"column as expression", "Concat(x2)", "line 1, column 8: unknown operator 'x2'"},
      {"string as expression", R"(Concat("a"))",
       "line 1, column 8: expected an operator name such as SubStr or ToCase"},
      {"too few args", "Concat(SubStr(1))", "line 1, column 16: expected ','"},
      {"too many args", "Concat(SubStr(1, 2, 3))", "line 1, column 19: expected ')'"},
      {"wrong arg kind: int for type", "Concat(GetToken(1, 2))",
       "line 1, column 17: expected a token type: Number, Word, Alphanum, AllCaps, PropCase, "
       "Lower, Digit or Char"},
      {"wrong arg kind: type for position", "Concat(SubStr(Word, 2))",
       "line 1, column 15: expected a position (an integer from -100 to 100)"},
      {"wrong arg kind: string for case", R"(Concat(ToCase("Proper")))",
       "line 1, column 15: expected a case: Proper, AllCaps, Lower or Title"},
      {"position 101", "Concat(SubStr(101, 1))",
       "line 1, column 15: expected a position (an integer from -100 to 100)"},
      {"position -101", "Concat(SubStr(1, -101))",
       "line 1, column 18: expected a position (an integer from -100 to 100)"},
      {"huge position", "Concat(SubStr(99999999999999999999999, 1))",
       "line 1, column 15: expected a position (an integer from -100 to 100)"},
      {"plus sign", "Concat(SubStr(+1, 1))",
       "line 1, column 15: expected a position (an integer from -100 to 100)"},
      {"index 0", "Concat(GetToken(Word, 0))",
       "line 1, column 23: expected an index (an integer from -5 to 5, not 0)"},
      {"index 6", "Concat(GetToken(Word, 6))",
       "line 1, column 23: expected an index (an integer from -5 to 5, not 0)"},
      {"index -6", "Concat(GetFirst(Word, -6))",
       "line 1, column 23: expected an index (an integer from -5 to 5, not 0)"},
      {"unknown type", "Concat(GetAll(Letters))",
       "line 1, column 15: expected a token type: Number, Word"},
      {"unknown case", "Concat(ToCase(Upper))",
       "line 1, column 15: expected a case: Proper, AllCaps, Lower or Title"},
      {"unknown boundary", R"(Concat(GetSpan(",", 1, Middle, ",", 2, End)))",
       "line 1, column 24: expected a boundary: Start or End"},
      {"bad regex name", "Concat(GetUpto(Comma))",
       "line 1, column 16: expected a regex: a token type such as Word or a one-character "
       "delimiter string"},
      {"regex of two characters", R"(Concat(GetUpto(", ")))",
       absl::StrCat("line 1, column 16: ", kDelimiterError)},
      {"regex of a non-delimiter", R"(Concat(GetFrom("a")))",
       absl::StrCat("line 1, column 16: ", kDelimiterError)},
      {"empty delimiter", R"(Concat(Replace("", " ")))",
       absl::StrCat("line 1, column 16: ", kDelimiterError)},
      {"delimiter not a string", "Concat(Replace(Word, Word))",
       absl::StrCat("line 1, column 16: ", kDelimiterError)},
      {"underscore is no delimiter", R"(Concat(Replace(" ", "_", x2)))",
       absl::StrCat("line 1, column 21: ", kDelimiterError)},
      {"number in a Concat", "Concat(Round(Nearest, 1, ReadNumber(Dot, 1)))",
       "line 1, column 8: Round gives a number; write it as text with Format(...)"},
      {"number operator on a column", R"(Concat(Format("0", Dot, Minus, x1)))",
       "line 1, column 32: expected a number expression: ReadNumber, Scale, Round or Bin"},
      {"number operator on text", R"(Concat(Format("0", Dot, Minus, GetToken(Number, 1))))",
       "line 1, column 32: Format reads a number, but GetToken gives text"},
      {"number operator without source", R"(Concat(Format("0", Dot, Minus)))",
       "line 1, column 30: expected ',' and a number expression"},
      {"ReadNumber of a number", "Concat(Format(\"0\", Dot, Minus, ReadNumber(Dot, 1, "
       "Scale(2, ReadNumber(Dot, 1)))))",
       "line 1, column 51: ReadNumber reads text, but Scale gives a number"},
      {"step 0", R"(Concat(Format("0", Dot, Minus, Round(Nearest, 0, ReadNumber(Dot, 1)))))",
       "line 1, column 1: Round: the step must be positive, got 0"},
      {"negative width", R"(Concat(Format("0", Dot, Minus, Bin(Low, -5, 0, ReadNumber(Dot, 1)))))",
       "line 1, column 1: Bin: the width must be positive, got -5"},
      {"bad format code", R"(Concat(Format("0%", Dot, Minus, ReadNumber(Dot, 1))))",
       "line 1, column 15: format code: column 2: '%' scales the value, not supported"},
      {"scale 0", R"(Concat(Format("0", Dot, Minus, Scale(0, ReadNumber(Dot, 1)))))",
       "line 1, column 38: expected a power of ten (an integer from -12 to 12, not 0)"},
      {"unknown rounding", R"(Concat(Format("0", Dot, Minus, Round(Up, 1, ReadNumber(Dot, 1)))))",
       "line 1, column 38: expected a rounding: Nearest, NearestEven, TowardZero, AwayFromZero, "
       "Floor or Ceiling"},
      {"decimal with exponent", R"(Concat(Format("0", Dot, Minus, Round(Floor, 1e3, ReadNumber(Dot, 1)))))",
       "line 1, column 46: expected ','"},
      {"unknown marks", R"(Concat(Format("0", Period, Minus, ReadNumber(Dot, 1))))",
       "line 1, column 20: expected number marks: Dot, Comma, SpaceDot, SpaceComma or Apostrophe"},
      {"unknown decimal mark", R"(Concat(Format("0", Dot, Minus, ReadNumber(Point, 1))))",
       "line 1, column 43: expected a decimal mark: Dot, Comma or Guess"},
      {"backslash is no delimiter", R"(Concat(Replace("\\", "'")))",
       absl::StrCat("line 1, column 16: ", kDelimiterError)},
      {"non-ASCII delimiter", "Concat(Replace(\"\u00e9\", \" \"))",
       absl::StrCat("line 1, column 16: ", kDelimiterError)},
      {"bad escape", R"(Concat(ConstStr("a\qb")))",
       R"(line 1, column 20: expected an escape: \" \\ \n \r \t or \uXXXX)"},
      {"short \\u escape", R"(Concat(ConstStr("\u12")))",
       "line 1, column 20: expected four hex digits naming a character outside D800-DFFF"},
      {"surrogate \\u escape", R"(Concat(ConstStr("\uD83D\uDE00")))",
       "line 1, column 20: expected four hex digits naming a character outside D800-DFFF"},
      {"unterminated string", R"(Concat(ConstStr("abc)", "line 1, column 21: expected '\"'"},
      {"string cut by a line end", "Concat(ConstStr(\"ab\ncd\"))",
       "line 1, column 20: expected '\"'"},
      {"raw control character in a string", "Concat(ConstStr(\"a\x01\"))",
       "line 1, column 19: expected '\"'"},
      {"single-quoted string", "Concat(ConstStr('a'))",
       "line 1, column 17: expected a string literal"},
      {"invalid UTF-8 byte in a string", "Concat(ConstStr(\"a\xff\"))",
       "line 1, column 19: expected UTF-8 text in a string"},
      {"invalid UTF-8 after non-ASCII", "Concat(ConstStr(\"\u00e9\u6771\x80\"))",
       "line 1, column 20: expected UTF-8 text in a string"},
      {"overlong UTF-8", "Concat(ConstStr(\"\xc0\xaf\"))",
       "line 1, column 18: expected UTF-8 text in a string"},
      {"truncated UTF-8", "Concat(ConstStr(\"ab\xe6\x9d\"))",
       "line 1, column 20: expected UTF-8 text in a string"},
      {"UTF-8 surrogate", "Concat(ConstStr(\"\xed\xa0\x80\"))",
       "line 1, column 18: expected UTF-8 text in a string"},
      {"UTF-8 past U+10FFFF", "Concat(ConstStr(\"\xf4\x90\x80\x80\"))",
       "line 1, column 18: expected UTF-8 text in a string"},
      {"trailing text", R"(Concat(ConstStr("a")) x)",
       "line 1, column 23: expected end of input"},
      {"two programs", "Concat(Trim())\nConcat(Trim())", "line 2, column 1: expected end of input"},
      {"extra paren", "Concat(Trim()))", "line 1, column 15: expected end of input"},
      {"column x0", "Concat(SubStr(x0, 1, 2))", "line 1, column 15: expected a column x1 to x1000"},
      {"column x1001", "Concat(ToCase(Lower, x1001))",
       "line 1, column 22: expected a column x1 to x1000"},
      {"huge column", "Concat(Trim(x99999999999999999999))",
       "line 1, column 13: expected a column x1 to x1000"},
      {"column after args", "Concat(SubStr(1, 2, x2))", "line 1, column 19: expected ')'"},
      {"column without comma", "Concat(SubStr(x2 1, 2))", "line 1, column 18: expected ','"},
      {"source without comma", "Concat(ToCase(Lower x2))",
       "line 1, column 21: expected ',' or ')'"},
      {"comma before Trim's source", "Concat(Trim(, x2))",
       "line 1, column 13: expected a column such as x2 or a substring or modification operator"},
      {"ConstStr as source", R"(Concat(ToCase(Lower, ConstStr("a"))))",
       "line 1, column 22: expected a column such as x2 or a substring or modification "
       "operator, not ConstStr"},
      {"unknown op as source", "Concat(Trim(Bar()))", "line 1, column 13: unknown operator 'Bar'"},
      {"too deep nesting", NestedTrims(kMaxNesting + 1),
       absl::StrCat("line 1, column ", 7 + 5 * (kMaxNesting + 1) + 1,
                    ": expected a column: modifications nest at most 16 deep")},
      {"error on a later line", "Concat(\n  SubStr(1, 2),\n  Foo(1))",
       "line 3, column 3: unknown operator 'Foo'"},
      {"columns count characters", "Concat(ConstStr(\"\u65e5\u672c\"), Foo())",
       "line 1, column 24: unknown operator 'Foo'"},
      {"NUL byte", std::string("Concat(\0)"sv),
       "line 1, column 8: expected an operator name such as SubStr or ToCase"},
      {"empty Switch", "Switch()",
       "line 1, column 8: expected '(' starting a case (condition, Concat(...))"},
      {"Switch case without parens", "Switch(True, Concat(Trim()))",
       "line 1, column 8: expected '(' starting a case"},
      {"unknown condition", "Switch((Maybe, Concat(Trim())))",
       "line 1, column 9: expected a condition: True, Match, Not or And"},
      {"case body not a Concat", "Switch((True, Trim()))", "line 1, column 15: expected Concat"},
      {"case without body", "Switch((True))", "line 1, column 13: expected ','"},
      {"unclosed case", "Switch((True, Concat(Trim()))", "line 1, column 30: expected ',' or ')'"},
      {"unclosed Switch", "Switch((True, Concat(Trim())),",
       "line 1, column 31: expected '(' starting a case"},
      {"True inside And", "Switch((And(True), Concat(Trim())))",
       "line 1, column 13: expected Match or Not"},
      {"empty And", "Switch((And(), Concat(Trim())))", "line 1, column 13: expected Match or Not"},
      {"And inside Not", "Switch((Not(And(Match(x1, Word, 1))), Concat(Trim())))",
       "line 1, column 13: expected Match"},
      {"Match without column", "Switch((Match(Word, 1), Concat(Trim())))",
       "line 1, column 15: expected a column x1 to x1000"},
      {"match count 0", "Switch((Match(x1, Word, 0), Concat(Trim())))",
       "line 1, column 25: expected a match count (an integer from 1 to 100)"},
      {"match count 101", "Switch((Match(x1, Word, 101), Concat(Trim())))",
       "line 1, column 25: expected a match count (an integer from 1 to 100)"},
      {"match regex not a delimiter", R"(Switch((Match(x1, "ab", 1), Concat(Trim()))))",
       absl::StrCat("line 1, column 19: ", kDelimiterError)},
      {"empty Concat in a case", "Switch((True, Concat()))",
       "line 1, column 22: expected an operator name such as SubStr or ToCase"},
  };
  return *cases;
}

TEST(ParseTest, RejectsMalformedTextNamingWhereAndWhat) {
  for (const BadCase& c : BadCases()) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<Program> p = Parse(c.text);
    ASSERT_FALSE(p.ok()) << p->ToString();
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(p.status().message()), StartsWith("line "));
    EXPECT_THAT(std::string(p.status().message()), HasSubstr(c.error));
  }
}

TEST(ParseTest, NamesTheFullDelimiterList) {
  absl::StatusOr<Program> p = Parse(R"(Concat(GetUpto("ab")))");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), absl::StrCat("line 1, column 16: ", kDelimiterError));
}

TEST(ParseTest, NeverFailsOnAnyPrefixOfAValidProgram) {
  const std::string text =
      R"(Switch((And(Match(x1, Number, 2), Not(Match(x2, "\"", 1))), )"
      R"(Concat(ToCase(Proper, GetSpan(x2, ",", 1, End, Word, -1, Start)), ConstStr("\u00e9\n")))))";
  ASSERT_TRUE(Parse(text).ok());
  for (size_t n = 0; n < text.size(); ++n) {
    SCOPED_TRACE(text.substr(0, n));
    absl::StatusOr<Program> p = Parse(std::string_view(text).substr(0, n));
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(p.status().message()), StartsWith("line 1, column "));
  }
}

}  // namespace
}  // namespace flashsynth::dsl
