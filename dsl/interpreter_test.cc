// dsl/interpreter_test.cc: Evaluate(), EvaluateExpr() and EvaluateCondition()
// pinned to the reference semantics, one table per operator.
//
// Every expected output was computed by a small Python transcription of
// ../shared/benchmarks/README.md section 5.3 (ExeDec's dsl.py), not by this
// interpreter. Non-ASCII rows extend it as ../shared/DSL.md section 2 says:
// characters are code points, letters, upper case, lower case and digits are
// the Unicode categories L*, Lu, Ll and Nd, and case mapping is Python's
// str.upper(), str.lower() and str.capitalize(). Rows outside the language
// (positions past +-100, index 0) pin that the interpreter stays total.
#include "dsl/interpreter.h"

#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dsl/program.h"
#include "gmock/gmock.h"
#include "dsl/internal/test_shorthands.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

using ::testing::Optional;

using namespace test_shorthands;  // NOLINT: table shorthands

// Builders named as the text form prints the operators. Substring ops and
// modifications without an inner expression read x1.
Expr ConstStr(std::string text) { return Expr::ConstStr(std::move(text)); }
Expr SubStr(int k1, int k2) {
  return Expr::Substring(Op::kSubStr, {Arg::Position(k1), Arg::Position(k2)});
}
Expr GetSpan(Regex r1, int i1, Boundary y1, Regex r2, int i2, Boundary y2) {
  return Expr::Substring(Op::kGetSpan,
                         {Arg::OfRegex(r1), Arg::Index(i1), Arg::OfBoundary(y1),
                          Arg::OfRegex(r2), Arg::Index(i2), Arg::OfBoundary(y2)});
}
Expr GetToken(TokenType t, int i) {
  return Expr::Substring(Op::kGetToken, {Arg::OfType(t), Arg::Index(i)});
}
Expr GetUpto(Regex r) { return Expr::Substring(Op::kGetUpto, {Arg::OfRegex(r)}); }
Expr GetFrom(Regex r) { return Expr::Substring(Op::kGetFrom, {Arg::OfRegex(r)}); }

// A modification of x1, or of `inner`'s output when given.
Expr Modify(Op op, std::vector<Arg> args, const std::optional<Expr>& inner) {
  return inner ? Expr::Modification(op, std::move(args), *inner)
               : Expr::Modification(op, std::move(args));
}
Expr ToCase(Case s, std::optional<Expr> inner = std::nullopt) {
  return Modify(Op::kToCase, {Arg::OfCase(s)}, inner);
}
Expr Replace(char d1, char d2, std::optional<Expr> inner = std::nullopt) {
  return Modify(Op::kReplace, {Arg::Delimiter(d1), Arg::Delimiter(d2)}, inner);
}
Expr Trim(std::optional<Expr> inner = std::nullopt) { return Modify(Op::kTrim, {}, inner); }
Expr GetFirst(TokenType t, int i, std::optional<Expr> inner = std::nullopt) {
  return Modify(Op::kGetFirst, {Arg::OfType(t), Arg::Index(i)}, inner);
}
Expr GetAll(TokenType t, std::optional<Expr> inner = std::nullopt) {
  return Modify(Op::kGetAll, {Arg::OfType(t)}, inner);
}
Expr Substitute(TokenType t, int i, std::string c, std::optional<Expr> inner = std::nullopt) {
  return Modify(Op::kSubstitute, {Arg::OfType(t), Arg::Index(i), Arg::String(std::move(c))},
                inner);
}
Expr SubstituteAll(TokenType t, std::string c, std::optional<Expr> inner = std::nullopt) {
  return Modify(Op::kSubstituteAll, {Arg::OfType(t), Arg::String(std::move(c))}, inner);
}
Expr Remove(TokenType t, int i, std::optional<Expr> inner = std::nullopt) {
  return Modify(Op::kRemove, {Arg::OfType(t), Arg::Index(i)}, inner);
}
Expr RemoveAll(TokenType t, std::optional<Expr> inner = std::nullopt) {
  return Modify(Op::kRemoveAll, {Arg::OfType(t)}, inner);
}

// `e` (a substring op, or a modification without inner) reading column xj,
// numbered from 1 as the text form prints it, instead of x1.
Expr OnColumn(int j, const Expr& e) {
  return e.kind() == OpKind::kSubstring ? Expr::Substring(e.op(), e.args(), j - 1)
                                        : Expr::Modification(e.op(), e.args(), j - 1);
}

// One row of an operator's table: `expr` run on the single cell `input`.
struct Golden {
  Expr expr;
  std::string input;
  std::string want;
};

void ExpectGoldens(const std::vector<Golden>& goldens) {
  for (const Golden& g : goldens) {
    SCOPED_TRACE(absl::StrCat(g.expr.ToString(), " on ", QuoteString(g.input)));
    EXPECT_THAT(EvaluateExpr(g.expr, Row{g.input}), Optional(g.want));
    EXPECT_THAT(Evaluate(Program::Concat({g.expr}), Row{g.input}), Optional(g.want));
  }
}

TEST(ConstStrTest, ReturnsItsTextWhateverTheInput) {
  ExpectGoldens({
      {ConstStr("a"), "xyz", "a"},
      {ConstStr(""), "xyz", ""},
      {ConstStr("Dr. "), "", "Dr. "},
      {ConstStr("@corp.example"), "ada", "@corp.example"},
      {ConstStr("\"\\\t\n"), "ada", "\"\\\t\n"},
      {ConstStr("→ Zoë 😀"), "ada", "→ Zoë 😀"},
  });
}

TEST(SubStrTest, FollowsTheReferenceAtEveryPositionEdge) {
  ExpectGoldens({
      // positive positions are 1-based and inclusive
      {SubStr(1, 5), "Hello World", "Hello"},
      {SubStr(7, 11), "Hello World", "World"},
      // SubStr(k, k) is empty (reference quirk)
      {SubStr(1, 1), "Hello World", ""},
      {SubStr(5, 5), "Hello World", ""},
      {SubStr(-1, -1), "Hello World", ""},
      {SubStr(0, 0), "Hello World", ""},
      {SubStr(1, 2), "Hello World", "He"},
      // k2 = 0 runs to the end
      {SubStr(1, 0), "Hello World", "Hello World"},
      {SubStr(7, 0), "Hello World", "World"},
      // the last character
      {SubStr(-1, 0), "Hello World", "d"},
      {SubStr(-5, 0), "Hello World", "World"},
      // k1 = 0 is the end of the string
      {SubStr(0, 5), "Hello World", ""},
      // -1 is the last character
      {SubStr(1, -1), "Hello World", "Hello World"},
      {SubStr(-5, -1), "Hello World", "World"},
      {SubStr(-5, -2), "Hello World", "Worl"},
      {SubStr(2, -2), "Hello World", "ello Worl"},
      // the last position
      {SubStr(1, 11), "Hello World", "Hello World"},
      // one past the end: p2 = len, so to the end
      {SubStr(1, 12), "Hello World", "Hello World"},
      {SubStr(11, 12), "Hello World", "d"},
      // starts past the end
      {SubStr(12, 13), "Hello World", ""},
      // starts past the end, k2 = 0
      {SubStr(12, 0), "Hello World", ""},
      // clamped to the end
      {SubStr(1, 100), "Hello World", "Hello World"},
      {SubStr(100, 100), "Hello World", ""},
      {SubStr(100, 0), "Hello World", ""},
      // p1 > p2
      {SubStr(5, 3), "Hello World", ""},
      {SubStr(-1, 1), "Hello World", ""},
      // the first character, from the end
      {SubStr(-11, 3), "Hello World", "Hel"},
      // before the start: Python slice v[-1:3] is empty
      {SubStr(-12, 3), "Hello World", ""},
      // clamped to the start
      {SubStr(-100, 3), "Hello World", "Hel"},
      {SubStr(-100, 0), "Hello World", "Hello World"},
      {SubStr(-100, -1), "Hello World", "Hello World"},
      {SubStr(-100, -100), "Hello World", ""},
      // both before the start: Python slices v[-9:-3]
      {SubStr(-20, -15), "Hello World", "llo Wo"},
      {SubStr(2, -100), "Hello World", ""},
      {SubStr(-100, 100), "Hello World", "Hello World"},
      // outside the language: the interpreter stays total
      {SubStr(1000, -1000), "Hello World", ""},
      {SubStr(-1000, 1000), "Hello World", "Hello World"},
      {SubStr(INT_MIN, INT_MAX), "Hello World", "Hello World"},
      {SubStr(INT_MAX, INT_MIN), "Hello World", ""},
      {SubStr(INT_MIN, 0), "Hello World", "Hello World"},
      // empty input
      {SubStr(1, 0), "", ""},
      {SubStr(1, 1), "", ""},
      {SubStr(1, 2), "", ""},
      {SubStr(0, 1), "", ""},
      {SubStr(-1, 0), "", ""},
      {SubStr(-100, 100), "", ""},
      {SubStr(0, 0), "", ""},
      // one character
      {SubStr(1, 0), "x", "x"},
      {SubStr(1, 1), "x", ""},
      {SubStr(-1, 0), "x", "x"},
      {SubStr(1, 2), "x", "x"},
      {SubStr(0, 1), "x", ""},
      // positions count code points
      {SubStr(1, 3), "Zoë Ünal", "Zoë"},
      {SubStr(3, 5), "Zoë Ünal", "ë Ü"},
      {SubStr(-4, 0), "Zoë Ünal", "Ünal"},
      {SubStr(-4, -2), "Zoë Ünal", "Üna"},
      // a 4-byte character is one character
      {SubStr(1, 2), "a😀b", "a😀"},
      {SubStr(2, 0), "a😀b", "😀b"},
      {SubStr(-2, -1), "a😀b", "😀b"},
      {SubStr(2, 100), "北京市", "京市"},
      // a combining mark is a character of its own
      {SubStr(2, 3), "cafe\314\201", "af"},
      {SubStr(-1, 0), "cafe\314\201", "\314\201"},
  });
}

TEST(GetSpanTest, FollowsTheReferenceIncludingTheMatchCountAsPositionQuirk) {
  ExpectGoldens({
      {GetSpan(Re(kNumber), 1, kStart, Re(kNumber), 1, kEnd), "a1b22c333", "1"},
      {GetSpan(Re(kNumber), 1, kStart, Re(kNumber), -1, kEnd), "a1b22c333", "1b22c333"},
      {GetSpan(Re(kNumber), 1, kEnd, Re(kNumber), 3, kStart), "a1b22c333", "b22c"},
      {GetSpan(Re(kNumber), -1, kStart, Re(kNumber), -1, kEnd), "a1b22c333", "333"},
      // empty span
      {GetSpan(Re(kNumber), 2, kStart, Re(kNumber), 2, kStart), "a1b22c333", ""},
      // p1 > p2
      {GetSpan(Re(kNumber), 3, kStart, Re(kNumber), 1, kEnd), "a1b22c333", ""},
      // index past the last match: match count - 1 = 2 as a position (quirk)
      {GetSpan(Re(kNumber), 4, kStart, Re(kNumber), -1, kEnd), "a1b22c333", "b22c333"},
      {GetSpan(Re(kNumber), 5, kEnd, Re(kNumber), -1, kEnd), "a1b22c333", "b22c333"},
      {GetSpan(Re(kNumber), 1, kStart, Re(kNumber), 4, kEnd), "a1b22c333", "1"},
      {GetSpan(Re(kNumber), 1, kStart, Re(kNumber), 5, kStart), "a1b22c333", "1"},
      // index before the first match: position 0
      {GetSpan(Re(kNumber), -4, kStart, Re(kNumber), 1, kEnd), "a1b22c333", "a1"},
      {GetSpan(Re(kNumber), -5, kEnd, Re(kNumber), 2, kEnd), "a1b22c333", "a1b22"},
      {GetSpan(Re(kNumber), 1, kEnd, Re(kNumber), -5, kEnd), "a1b22c333", ""},
      // outside the language: j = n, quirk again
      {GetSpan(Re(kNumber), 0, kStart, Re(kNumber), -1, kEnd), "a1b22c333", "b22c333"},
      {GetSpan(Re(kNumber), INT_MAX, kStart, Re(kNumber), INT_MIN, kEnd), "a1b22c333", ""},
      {GetSpan(Re(kLower), 1, kStart, Re(kLower), -1, kEnd), "a1b22c333", "a1b22c"},
      {GetSpan(Re(kDigit), 2, kStart, Re(kDigit), -2, kEnd), "a1b22c333", "22c33"},
      // no match of r1
      {GetSpan(Re('('), 1, kStart, Re(kNumber), 1, kEnd), "a1b22c333", ""},
      // no match of r2
      {GetSpan(Re(kNumber), 1, kStart, Re(')'), 1, kEnd), "a1b22c333", ""},
      {GetSpan(Re(kWord), 1, kStart, Re(kWord), 1, kEnd), "a1b22c333", "a"},
      {GetSpan(Re('('), 1, kEnd, Re(')'), 1, kStart), "f(x) + g(y)", "x"},
      {GetSpan(Re('('), -1, kEnd, Re(')'), -1, kStart), "f(x) + g(y)", "y"},
      {GetSpan(Re('('), 1, kStart, Re(')'), -1, kEnd), "f(x) + g(y)", "(x) + g(y)"},
      {GetSpan(Re(')'), 1, kEnd, Re('('), -1, kStart), "f(x) + g(y)", " + g"},
      // quirk: position 1
      {GetSpan(Re('('), 3, kStart, Re(')'), -1, kEnd), "f(x) + g(y)", "(x) + g(y)"},
      // quirk: 4 matches, so position 3
      {GetSpan(Re(kLower), 5, kStart, Re(kLower), -1, kEnd), "x: aa bb cc", "aa bb cc"},
      {GetSpan(Re(kWord), 1, kStart, Re(kNumber), -1, kEnd),
       "Ada Lovelace 1815", "Ada Lovelace 1815"},
      {GetSpan(Re(' '), 1, kEnd, Re(' '), 2, kStart), "Ada Lovelace 1815", "Lovelace"},
      // space is a Char
      {GetSpan(Re(kChar), 1, kStart, Re(kChar), -1, kEnd), " a ", " a "},
      // empty input
      {GetSpan(Re(kWord), 1, kStart, Re(kWord), -1, kEnd), "", ""},
      {GetSpan(Re(kChar), 1, kStart, Re(kChar), 1, kEnd), "", ""},
      // non-ASCII
      {GetSpan(Re('('), 1, kEnd, Re(')'), 1, kStart), "Zoë (Ünal)", "Ünal"},
      {GetSpan(Re(kWord), 2, kStart, Re(kWord), 2, kEnd), "Zoë (Ünal)", "Ünal"},
      {GetSpan(Re(kPropCase), 1, kEnd, Re(kPropCase), 2, kEnd), "Zoë Ünal", " Ünal"},
      // quirk: position 1 counts characters
      {GetSpan(Re(kWord), 5, kStart, Re(kWord), -1, kEnd), "Zoë Ünal", "oë Ünal"},
  });
}

TEST(GetTokenTest, SelectsTheIthMatchFromEitherEndOrNothing) {
  ExpectGoldens({
      // before the first of 4 matches
      {GetToken(kNumber, -5), "ab 12 Cd 345 EF6 g7h", ""},
      {GetToken(kNumber, -4), "ab 12 Cd 345 EF6 g7h", "12"},
      {GetToken(kNumber, -3), "ab 12 Cd 345 EF6 g7h", "345"},
      {GetToken(kNumber, -2), "ab 12 Cd 345 EF6 g7h", "6"},
      {GetToken(kNumber, -1), "ab 12 Cd 345 EF6 g7h", "7"},
      // outside the language: index 0 selects j = n
      {GetToken(kNumber, 0), "ab 12 Cd 345 EF6 g7h", ""},
      {GetToken(kNumber, 1), "ab 12 Cd 345 EF6 g7h", "12"},
      {GetToken(kNumber, 2), "ab 12 Cd 345 EF6 g7h", "345"},
      {GetToken(kNumber, 3), "ab 12 Cd 345 EF6 g7h", "6"},
      {GetToken(kNumber, 4), "ab 12 Cd 345 EF6 g7h", "7"},
      // past the last of 4 matches
      {GetToken(kNumber, 5), "ab 12 Cd 345 EF6 g7h", ""},
      {GetToken(kNumber, INT_MAX), "ab 12 Cd 345 EF6 g7h", ""},
      {GetToken(kNumber, INT_MIN), "ab 12 Cd 345 EF6 g7h", ""},
      {GetToken(kNumber, 1), "ab 12 Cd 345 EF6 g7h", "12"},
      {GetToken(kNumber, 2), "ab 12 Cd 345 EF6 g7h", "345"},
      {GetToken(kNumber, -1), "ab 12 Cd 345 EF6 g7h", "7"},
      {GetToken(kWord, 1), "ab 12 Cd 345 EF6 g7h", "ab"},
      {GetToken(kWord, 2), "ab 12 Cd 345 EF6 g7h", "Cd"},
      {GetToken(kWord, -1), "ab 12 Cd 345 EF6 g7h", "h"},
      {GetToken(kAlphanum, 1), "ab 12 Cd 345 EF6 g7h", "ab"},
      {GetToken(kAlphanum, 2), "ab 12 Cd 345 EF6 g7h", "12"},
      {GetToken(kAlphanum, -1), "ab 12 Cd 345 EF6 g7h", "g7h"},
      {GetToken(kAllCaps, 1), "ab 12 Cd 345 EF6 g7h", "C"},
      {GetToken(kAllCaps, 2), "ab 12 Cd 345 EF6 g7h", "EF"},
      {GetToken(kAllCaps, -1), "ab 12 Cd 345 EF6 g7h", "EF"},
      {GetToken(kPropCase, 1), "ab 12 Cd 345 EF6 g7h", "Cd"},
      {GetToken(kPropCase, 2), "ab 12 Cd 345 EF6 g7h", ""},
      {GetToken(kPropCase, -1), "ab 12 Cd 345 EF6 g7h", "Cd"},
      {GetToken(kLower, 1), "ab 12 Cd 345 EF6 g7h", "ab"},
      {GetToken(kLower, 2), "ab 12 Cd 345 EF6 g7h", "d"},
      {GetToken(kLower, -1), "ab 12 Cd 345 EF6 g7h", "h"},
      {GetToken(kDigit, 1), "ab 12 Cd 345 EF6 g7h", "1"},
      {GetToken(kDigit, 2), "ab 12 Cd 345 EF6 g7h", "2"},
      {GetToken(kDigit, -1), "ab 12 Cd 345 EF6 g7h", "7"},
      {GetToken(kChar, 1), "ab 12 Cd 345 EF6 g7h", "a"},
      {GetToken(kChar, 2), "ab 12 Cd 345 EF6 g7h", "b"},
      {GetToken(kChar, -1), "ab 12 Cd 345 EF6 g7h", "h"},
      // empty input
      {GetToken(kWord, 1), "", ""},
      {GetToken(kChar, -1), "", ""},
      // no match
      {GetToken(kNumber, 1), "no digits here", ""},
      {GetToken(kPropCase, 1), "ABC def", ""},
      // PropCase is [A-Z][a-z]+
      {GetToken(kPropCase, 1), "ABc DeF Gh", "Bc"},
      {GetToken(kPropCase, -1), "ABc DeF Gh", "Gh"},
      {GetToken(kAllCaps, 2), "ABc DeF Gh", "D"},
      // '-' is not a delimiter, so not a Char
      {GetToken(kChar, 2), "a-b", "b"},
      {GetToken(kChar, 2), "a_b", "b"},
      {GetToken(kAlphanum, 2), "x1_y2", "y2"},
      // non-ASCII letters
      {GetToken(kWord, 2), "Zoë Ünal", "Ünal"},
      {GetToken(kWord, -2), "Zoë Ünal", "Zoë"},
      {GetToken(kPropCase, 2), "Zoë Ünal", "Ünal"},
      {GetToken(kLower, 1), "Zoë Ünal", "oë"},
      {GetToken(kAllCaps, -1), "Zoë Ünal", "Ü"},
      {GetToken(kChar, 3), "Zoë Ünal", "ë"},
      {GetToken(kWord, 1), "北京 Beijing", "北京"},
      {GetToken(kAllCaps, 1), "groß ÄRGER", "ÄRGER"},
      // Arabic-Indic digits are Nd
      {GetToken(kNumber, 1), "Ref ٣٤-12", "٣٤"},
      {GetToken(kNumber, 2), "Ref ٣٤-12", "12"},
      {GetToken(kDigit, 2), "Ref ٣٤-12", "٤"},
      // a combining mark (Mn) is not a letter
      {GetToken(kWord, 2), "cafe\314\201s", "s"},
      {GetToken(kWord, -1), "😀 ok", "ok"},
      // an emoji is not a Char
      {GetToken(kChar, 1), "😀 ok", " "},
  });
}

TEST(GetUptoGetFromTest, SplitAtTheEndOfTheFirstMatch) {
  ExpectGoldens({
      {GetUpto(Re(' ')), "a b c", "a "},
      // after the FIRST match (the paper says last)
      {GetFrom(Re(' ')), "a b c", "b c"},
      {GetUpto(Re(kNumber)), "ab12cd34", "ab12"},
      {GetFrom(Re(kNumber)), "ab12cd34", "cd34"},
      {GetUpto(Re(kWord)), "ab12cd34", "ab"},
      {GetFrom(Re(kWord)), "ab12cd34", "12cd34"},
      {GetUpto(Re(kChar)), "  x", " "},
      {GetFrom(Re(kChar)), "  x", " x"},
      {GetUpto(Re('@')), "ada@lovelace.org", "ada@"},
      {GetFrom(Re('@')), "ada@lovelace.org", "lovelace.org"},
      // match at the end
      {GetFrom(Re('.')), "end.", ""},
      {GetUpto(Re('.')), "end.", "end."},
      // match at the start
      {GetUpto(Re('.')), ".start", "."},
      {GetFrom(Re('.')), ".start", "start"},
      {GetUpto(Re(kPropCase)), "ABc DeF", "ABc"},
      {GetFrom(Re(kAllCaps)), "ABc DeF", "c DeF"},
      {GetUpto(Re(kDigit)), "ab12", "ab1"},
      {GetFrom(Re(kDigit)), "ab12", "2"},
      // no match
      {GetUpto(Re('(')), "no parens", ""},
      {GetFrom(Re('(')), "no parens", ""},
      // empty input
      {GetUpto(Re(kNumber)), "", ""},
      {GetFrom(Re(kChar)), "", ""},
      // non-ASCII
      {GetUpto(Re(kWord)), "¿Qué tal?", "¿Qué"},
      {GetFrom(Re(kWord)), "¿Qué tal?", " tal?"},
      {GetFrom(Re(' ')), "Zoë Ünal", "Ünal"},
      {GetUpto(Re(kLower)), "ÄÖü x", "ÄÖü"},
  });
}

TEST(ToCaseTest, MapsCaseAsPythonStrMethodsDo) {
  ExpectGoldens({
      {ToCase(Case::kProper), "hELLO wORLD", "Hello world"},
      {ToCase(Case::kAllCaps), "hELLO wORLD", "HELLO WORLD"},
      {ToCase(Case::kLower), "hELLO wORLD", "hello world"},
      {ToCase(Case::kTitle), "hELLO wORLD", "Hello World"},
      {ToCase(Case::kProper), "o'neil 2nd", "O'neil 2nd"},
      {ToCase(Case::kAllCaps), "o'neil 2nd", "O'NEIL 2ND"},
      {ToCase(Case::kLower), "o'neil 2nd", "o'neil 2nd"},
      {ToCase(Case::kTitle), "o'neil 2nd", "O'Neil 2Nd"},
      {ToCase(Case::kProper), "123 abc", "123 abc"},
      {ToCase(Case::kAllCaps), "123 abc", "123 ABC"},
      {ToCase(Case::kLower), "123 abc", "123 abc"},
      {ToCase(Case::kTitle), "123 abc", "123 Abc"},
      {ToCase(Case::kProper), " lead", " lead"},
      {ToCase(Case::kAllCaps), " lead", " LEAD"},
      {ToCase(Case::kLower), " lead", " lead"},
      {ToCase(Case::kTitle), " lead", " Lead"},
      {ToCase(Case::kProper), "mcDONALD-smith x2y", "Mcdonald-smith x2y"},
      {ToCase(Case::kAllCaps), "mcDONALD-smith x2y", "MCDONALD-SMITH X2Y"},
      {ToCase(Case::kLower), "mcDONALD-smith x2y", "mcdonald-smith x2y"},
      {ToCase(Case::kTitle), "mcDONALD-smith x2y", "Mcdonald-Smith X2Y"},
      {ToCase(Case::kProper), "hello_world", "Hello_world"},
      {ToCase(Case::kAllCaps), "hello_world", "HELLO_WORLD"},
      {ToCase(Case::kLower), "hello_world", "hello_world"},
      {ToCase(Case::kTitle), "hello_world", "Hello_World"},
      {ToCase(Case::kProper), "", ""},
      {ToCase(Case::kAllCaps), "", ""},
      {ToCase(Case::kLower), "", ""},
      {ToCase(Case::kTitle), "", ""},
      {ToCase(Case::kProper), "A", "A"},
      {ToCase(Case::kAllCaps), "A", "A"},
      {ToCase(Case::kLower), "A", "a"},
      {ToCase(Case::kTitle), "A", "A"},
      {ToCase(Case::kProper), "a", "A"},
      {ToCase(Case::kAllCaps), "a", "A"},
      {ToCase(Case::kLower), "a", "a"},
      {ToCase(Case::kTitle), "a", "A"},
      // full case mapping, as Python
      {ToCase(Case::kAllCaps), "straße", "STRASSE"},
      {ToCase(Case::kProper), "straße", "Straße"},
      {ToCase(Case::kLower), "STRASSE", "strasse"},
      // ß title-cases to Ss
      {ToCase(Case::kProper), "ßa", "Ssa"},
      {ToCase(Case::kTitle), "zoë ünal", "Zoë Ünal"},
      {ToCase(Case::kProper), "ÉCOLE normale", "École normale"},
      {ToCase(Case::kTitle), "ÉCOLE normale", "École Normale"},
      {ToCase(Case::kLower), "ÉCOLE", "école"},
      {ToCase(Case::kAllCaps), "zoë", "ZOË"},
      // capitalize title-cases the first letter (Python 3.8+)
      {ToCase(Case::kProper), "ǆemal", "ǅemal"},
      {ToCase(Case::kAllCaps), "ǆemal", "ǄEMAL"},
      {ToCase(Case::kTitle), "ǆemal ǆ", "ǅemal ǅ"},
      // İ lowers to i + U+0307
      {ToCase(Case::kLower), "İstanbul", "i\314\207stanbul"},
      // final sigma
      {ToCase(Case::kLower), "ΟΔΟΣ", "οδος"},
      {ToCase(Case::kProper), "ΟΔΟΣ ΟΔΟΣ", "Οδος οδος"},
      // ligature expands
      {ToCase(Case::kAllCaps), "ﬁnance", "FINANCE"},
      {ToCase(Case::kProper), "ﬁnance", "Finance"},
      // capitalize only touches the first character
      {ToCase(Case::kProper), "1ébc", "1ébc"},
      {ToCase(Case::kProper), "'élan", "'élan"},
      {ToCase(Case::kTitle), "l'été 2ème", "L'Été 2Ème"},
      // caseless letters unchanged
      {ToCase(Case::kAllCaps), "北京 abc", "北京 ABC"},
      {ToCase(Case::kTitle), "北京abc", "北京abc"},
  });
}

TEST(ReplaceTrimTest, ReplaceEveryDelimiterAndStripWhiteSpaceAsPython) {
  ExpectGoldens({
      // every occurrence
      {Replace(' ', '_'), "a b  c", "a_b__c"},
      {Replace('.', ','), "1.000.000", "1,000,000"},
      // no occurrence
      {Replace('/', '-'), "no slash", "no slash"},
      // empty input
      {Replace('/', '-'), "", ""},
      {Replace(',', ','), "a,b", "a,b"},
      {Replace('"', '\''), "say \"hi\"", "say 'hi'"},
      {Replace('\'', ' '), "o'neil", "o neil"},
      // non-ASCII
      {Replace(' ', '.'), "Zoë Ünal", "Zoë.Ünal"},
      {Trim(), "  a b  ", "a b"},
      {Trim(), "\t\n x \r\n", "x"},
      // Python strip also removes \v \f \x1c-\x1f
      {Trim(), "\013\014x\034\035\036\037", "x"},
      // only white space
      {Trim(), "   ", ""},
      // empty input
      {Trim(), "", ""},
      {Trim(), "ab", "ab"},
      // non-ASCII white space
      {Trim(), " a\302\240", "a"},
      {Trim(), "\343\200\200x\342\200\203", "x"},
      {Trim(), "\302\205x\342\200\250", "x"},
      // ZERO WIDTH SPACE is not white space
      {Trim(), "\342\200\213x\342\200\213", "\342\200\213x\342\200\213"},
      {Trim(), "\357\273\277x", "\357\273\277x"},
  });
}

TEST(GetFirstGetAllTest, JoinTheFirstMatchesWithPythonSliceCounts) {
  ExpectGoldens({
      {GetFirst(kNumber, -5), "a1 b22 c333", ""},
      {GetFirst(kNumber, -4), "a1 b22 c333", ""},
      {GetFirst(kNumber, -3), "a1 b22 c333", ""},
      {GetFirst(kNumber, -2), "a1 b22 c333", "1"},
      // a negative count drops the last |i| matches (Python slicing)
      {GetFirst(kNumber, -1), "a1 b22 c333", "122"},
      // outside the language
      {GetFirst(kNumber, 0), "a1 b22 c333", ""},
      {GetFirst(kNumber, 1), "a1 b22 c333", "1"},
      {GetFirst(kNumber, 2), "a1 b22 c333", "122"},
      {GetFirst(kNumber, 3), "a1 b22 c333", "122333"},
      // count past the number of matches: all of them
      {GetFirst(kNumber, 4), "a1 b22 c333", "122333"},
      {GetFirst(kNumber, 5), "a1 b22 c333", "122333"},
      {GetFirst(kNumber, INT_MAX), "a1 b22 c333", "122333"},
      {GetFirst(kNumber, INT_MIN), "a1 b22 c333", ""},
      {GetFirst(kWord, 2), "a1 b22 c333", "ab"},
      {GetFirst(kChar, 3), "a1 b22 c333", "a1 "},
      {GetFirst(kWord, -1), "one", ""},
      // no match
      {GetFirst(kNumber, 2), "none", ""},
      {GetFirst(kNumber, -2), "none", ""},
      // empty input
      {GetFirst(kWord, 1), "", ""},
      // non-ASCII
      {GetFirst(kWord, 2), "Zoë Ünal Öz", "ZoëÜnal"},
      {GetFirst(kWord, -1), "Zoë Ünal Öz", "ZoëÜnal"},
      {GetAll(kNumber), "Ab1 cD-22 EFg.", "122"},
      {GetAll(kWord), "Ab1 cD-22 EFg.", "AbcDEFg"},
      {GetAll(kAlphanum), "Ab1 cD-22 EFg.", "Ab1cD22EFg"},
      {GetAll(kAllCaps), "Ab1 cD-22 EFg.", "ADEF"},
      {GetAll(kPropCase), "Ab1 cD-22 EFg.", "AbFg"},
      {GetAll(kLower), "Ab1 cD-22 EFg.", "bcg"},
      {GetAll(kDigit), "Ab1 cD-22 EFg.", "122"},
      {GetAll(kChar), "Ab1 cD-22 EFg.", "Ab1 cD22 EFg."},
      // no match
      {GetAll(kNumber), "none", ""},
      // empty input
      {GetAll(kChar), "", ""},
      // non-ASCII
      {GetAll(kWord), "Zoë, Ünal!", "ZoëÜnal"},
      {GetAll(kChar), "Zoë, Ünal!", "Zoë, Ünal!"},
      {GetAll(kNumber), "٣٤ and 12", "٣٤12"},
  });
}

TEST(SubstituteRemoveTest, ReplaceTheFirstOccurrenceOfTheMatchText) {
  ExpectGoldens({
      // the 2nd match is "a"; its FIRST occurrence is inside "ab" (quirk)
      {Substitute(kWord, 2, "X"), "ab a", "Xb a"},
      // the last match "2" first occurs inside "12"
      {Substitute(kNumber, -1, "#"), "1 12 2", "1 1# 2"},
      {Substitute(kNumber, 1, "#"), "1 12 2", "# 12 2"},
      {Substitute(kNumber, 2, "#"), "1 12 2", "1 # 2"},
      // index out of range: unchanged
      {Substitute(kNumber, 4, "#"), "1 12 2", "1 12 2"},
      {Substitute(kNumber, -4, "#"), "1 12 2", "1 12 2"},
      // outside the language
      {Substitute(kNumber, 0, "#"), "1 12 2", "1 12 2"},
      {Substitute(kNumber, 5, "#"), "1 12 2", "1 12 2"},
      {Substitute(kNumber, -5, "#"), "1 12 2", "1 12 2"},
      {Substitute(kWord, 1, ""), "ab cd", " cd"},
      {Substitute(kPropCase, 1, "Mr"), "hi Ada", "hi Mr"},
      // any UTF-8 replacement
      {Substitute(kChar, 1, "→"), "ab", "→b"},
      // a replacement of several characters
      {Substitute(kDigit, 2, "[d]"), "a1b2c3", "a1b[d]c3"},
      // no match: unchanged
      {Substitute(kNumber, 1, "#"), "none", "none"},
      // empty input
      {Substitute(kNumber, 1, "#"), "", ""},
      // non-ASCII
      {Substitute(kWord, 2, "X"), "Zoë Ünal", "Zoë X"},
      {Substitute(kLower, -1, "_"), "Zoë Ünal", "Zoë Ü_"},
      // the 2nd match "1" first occurs inside "12" (quirk)
      {Remove(kNumber, 2), "12 1", "2 1"},
      {Remove(kNumber, 1), "12 1", " 1"},
      {Remove(kNumber, -1), "12 1", "2 1"},
      // index out of range: unchanged
      {Remove(kNumber, 3), "12 1", "12 1"},
      {Remove(kNumber, -3), "12 1", "12 1"},
      {Remove(kWord, 1), "none", ""},
      // empty input
      {Remove(kWord, 1), "", ""},
      // non-ASCII
      {Remove(kWord, -1), "Zoë Ünal", "Zoë "},
      {SubstituteAll(kNumber, "#"), "1 12 2", "# # #"},
      // the 2nd "a" is replaced where it first occurs, inside "xa" (quirk)
      {SubstituteAll(kWord, "xa"), "a a", "xxa a"},
      {SubstituteAll(kChar, "ba"), "ab", "baab"},
      {SubstituteAll(kLower, "-"), "Ab cD", "A- -D"},
      // no match
      {SubstituteAll(kNumber, "#"), "none", "none"},
      // empty input
      {SubstituteAll(kNumber, "#"), "", ""},
      // non-ASCII
      {SubstituteAll(kWord, "•"), "Zoë Ünal", "• •"},
      {RemoveAll(kNumber), "12 1 x3", "  x"},
      {RemoveAll(kLower), "Ab cD", "A D"},
      {RemoveAll(kChar), "a-b_c", "-_"},
      // no match
      {RemoveAll(kDigit), "none", "none"},
      // empty input
      {RemoveAll(kWord), "", ""},
      // non-ASCII
      {RemoveAll(kLower), "Zoë Ünal", "Z Ü"},
  });
}

TEST(ComposeTest, AppliesTheOuterModificationToTheInnerOutput) {
  ExpectGoldens({
      {ToCase(Case::kProper, GetToken(kWord, -1)), "ada LOVELACE", "Lovelace"},
      {ToCase(Case::kAllCaps, SubStr(1, 3)), "zoë ünal", "ZOË"},
      {Trim(GetFrom(Re(':'))), "Name:  Ada ", "Ada"},
      {GetFirst(kDigit, 3, RemoveAll(kLower)), "a1b2c3d4", "123"},
      {ToCase(Case::kLower, Substitute(kWord, 1, "X", ToCase(Case::kAllCaps))), "ab cd", "x cd"},
      {Replace(' ', '-', ToCase(Case::kLower, Trim())), "  Hello Big World ", "hello-big-world"},
      {ToCase(Case::kTitle, GetSpan(Re('('), 1, kEnd, Re(')'), 1, kStart)),
       "x (the old man) y", "The Old Man"},
      {GetAll(kNumber, Remove(kNumber, 1)), "1 2 3", "23"},
      // inner output empty
      {ToCase(Case::kProper, GetToken(kWord, 3)), "ada lovelace", ""},
      {RemoveAll(kChar, GetUpto(Re('@'))), "ada@x", ""},
  });
}

struct ColumnGolden {
  Expr expr;
  std::optional<std::string> want;
};

TEST(EvaluateExprTest, ReadsTheColumnItNamesAndNothingPastTheRow) {
  const Row row = {"Ada Lovelace", "london uk", "", "x1 y22"};
  const std::vector<ColumnGolden> goldens = {
      // a substring op reading x2
      {OnColumn(2, GetToken(kWord, 1)), "london"},
      {OnColumn(2, SubStr(1, 0)), "london uk"},
      // an empty cell
      {OnColumn(3, SubStr(1, 0)), ""},
      {OnColumn(4, GetToken(kNumber, -1)), "22"},
      {OnColumn(4, GetSpan(Re(kNumber), 1, kStart, Re(kNumber), -1, kEnd)), "1 y22"},
      // a modification reading x2
      {OnColumn(2, ToCase(Case::kProper)), "London uk"},
      {OnColumn(4, RemoveAll(kDigit)), "x y"},
      // composed, inner reads x2
      {ToCase(Case::kTitle, OnColumn(2, GetToken(kWord, 1))), "London"},
      // x1 still reads the first cell
      {GetToken(kWord, -1), "Lovelace"},
      // a column past the row: no output
      {OnColumn(5, SubStr(1, 0)), std::nullopt},
      {OnColumn(1000, GetToken(kWord, 1)), std::nullopt},
      {OnColumn(5, Trim()), std::nullopt},
      {ToCase(Case::kProper, OnColumn(5, GetToken(kWord, 1))), std::nullopt},
  };
  for (const ColumnGolden& g : goldens) {
    SCOPED_TRACE(g.expr.ToString());
    EXPECT_EQ(EvaluateExpr(g.expr, row), g.want);
    EXPECT_EQ(Evaluate(Program::Concat({g.expr}), row), g.want);
  }
}

TEST(EvaluateExprTest, ReadsNoCellForConstStr) {
  EXPECT_THAT(EvaluateExpr(ConstStr("c"), Row{}), Optional(std::string("c")));
  EXPECT_EQ(EvaluateExpr(GetToken(kWord, 1), Row{}), std::nullopt);
}

struct ProgramGolden {
  Program program;
  Row row;
  std::optional<std::string> want;
};

void ExpectPrograms(const std::vector<ProgramGolden>& goldens) {
  for (const ProgramGolden& g : goldens) {
    SCOPED_TRACE(g.program.ToString());
    EXPECT_EQ(Evaluate(g.program, g.row), g.want);
  }
}

TEST(EvaluateTest, ConcatenatesExpressionsThatMayMixColumns) {
  // DSL.md section 3's example. SubStr(x2, 1, 1) is empty (reference quirk).
  const Program dsl_md = Program::Concat({ToCase(Case::kProper, GetToken(kWord, -1)),
                                          ConstStr(", "), OnColumn(2, SubStr(1, 1)),
                                          ConstStr(".")});
  const Program byron = Program::Concat(
      {OnColumn(2, GetToken(kWord, 1)), ConstStr(", "), GetToken(kWord, 1)});
  const Program needs_x3 = Program::Concat(
      {GetToken(kWord, 1), ConstStr(" "), OnColumn(3, GetToken(kWord, 1))});
  ExpectPrograms({
      {dsl_md, {"ada lovelace", "Byron"}, "Lovelace, ."},
      {byron, {"Ada Lovelace", "Byron"}, "Byron, Ada"},
      {byron, {"Ada Lovelace", ""}, ", Ada"},
      {needs_x3, {"Ada", "Byron", "Noel"}, "Ada Noel"},
      // One expression without output makes the whole row output-less.
      {needs_x3, {"Ada", "Byron"}, std::nullopt},
  });
}

TEST(EvaluateTest, RunsTheExampleOfTheHeader) {
  // interpreter.h's example. Its comment says "Lovelace, A" but also that
  // SubStr(1, 1) is empty, which the reference confirms: "Lovelace, ".
  const Program p = Program::Concat(
      {GetToken(kWord, -1), ConstStr(", "), SubStr(1, 1)});
  EXPECT_THAT(Evaluate(p, Row{"Ada Lovelace"}), Optional(std::string("Lovelace, ")));
}

MatchLiteral Match(int column, Regex r, int count) {
  return MatchLiteral{column - 1, r, count, /*negated=*/false};
}
MatchLiteral Not(MatchLiteral m) {
  m.negated = !m.negated;
  return m;
}

TEST(SwitchTest, TakesTheFirstCaseWhoseConditionHolds) {
  // docs/dsl.md's examples.
  const Program at = Program::Switch({
      {{Match(1, Re('@'), 1)}, {GetUpto(Re('@'))}},
      {{}, {ConstStr("none")}},
  });
  const Program and_not = Program::Switch({
      {{Match(1, Re(kNumber), 2), Not(Match(2, Re(kWord), 1))}, {GetToken(kNumber, 2)}},
  });
  const Program first_wins = Program::Switch({
      {{Match(1, Re(kWord), 1)}, {ConstStr("word")}},
      {{Match(1, Re(kNumber), 1)}, {ConstStr("number")}},
      {{}, {ConstStr("other")}},
  });
  const Program counts = Program::Switch({
      {{Match(1, Re(kDigit), 3)}, {ConstStr("3+")}},
      {{Not(Match(1, Re(kDigit), 1))}, {ConstStr("0")}},
  });
  ExpectPrograms({
      {at, {"ada@x.org"}, "ada@"},
      {at, {"ada"}, "none"},
      {at, {""}, "none"},
      {and_not, {"a1 b2", "123"}, "2"},
      {and_not, {"a1 b2 c3", ""}, "2"},
      {and_not, {"a1 b2", "x"}, std::nullopt},  // no case holds
      {and_not, {"a1", "123"}, std::nullopt},
      {first_wins, {"a1"}, "word"},  // both of the first two hold
      {first_wins, {"11"}, "number"},
      {first_wins, {"--"}, "other"},
      {counts, {"1a2b3"}, "3+"},  // exactly 3 matches
      {counts, {"1a2"}, std::nullopt},
      {counts, {"abc"}, "0"},
      {counts, {"٣٤٥"}, "3+"},  // Nd digits
      {Program::Switch({{{Match(1, Re(kWord), 2)}, {GetToken(kWord, 2)}}}),
       {"Zoë Ünal"}, "Ünal"},
      {Program::Switch({}), {"x"}, std::nullopt},
  });
}

TEST(SwitchTest, GivesNoOutputWhenAConditionReadsAMissingOrInvalidCell) {
  const Program p = Program::Switch({
      {{Match(2, Re(kWord), 1)}, {ConstStr("x2 has a word")}},
      {{}, {ConstStr("else")}},
  });
  ExpectPrograms({
      {p, {"a", "b"}, "x2 has a word"},
      {p, {"a", "1"}, "else"},
      {p, {"a"}, std::nullopt},
      {p, {"a", "\xff"}, std::nullopt},
  });
}

TEST(EvaluateConditionTest, NeedsEveryLiteralAndReportsMissingCells) {
  const Row row = {"ab 12", "XY"};
  EXPECT_THAT(EvaluateCondition({}, row), Optional(true));
  EXPECT_THAT(EvaluateCondition({Match(1, Re(kNumber), 1)}, row), Optional(true));
  EXPECT_THAT(EvaluateCondition({Match(1, Re(kNumber), 2)}, row), Optional(false));
  EXPECT_THAT(EvaluateCondition({Not(Match(1, Re(kNumber), 2))}, row), Optional(true));
  EXPECT_THAT(EvaluateCondition({Match(1, Re(' '), 1), Match(2, Re(kAllCaps), 1)}, row),
              Optional(true));
  EXPECT_THAT(EvaluateCondition({Match(1, Re(' '), 1), Match(2, Re(kLower), 1)}, row),
              Optional(false));
  EXPECT_EQ(EvaluateCondition({Match(3, Re(kWord), 1)}, row), std::nullopt);
  EXPECT_EQ(EvaluateCondition({Match(1, Re(kWord), 1)}, Row{"\xc3"}), std::nullopt);
}

TEST(EvaluateTest, GivesNoOutputWhenACellItReadsIsNotUtf8) {
  const std::vector<std::string> bad_cells = {
      "\xff",             // never in UTF-8
      "ab\x80",           // a lone continuation byte
      "\xc3",             // truncated
      "\xe2\x82",         // truncated
      "\xc0\xaf",         // overlong '/'
      "\xe0\x80\xaf",     // overlong '/'
      "\xed\xa0\x80",     // surrogate U+D800
      "\xf4\x90\x80\x80", // U+110000
  };
  for (const std::string& bad : bad_cells) {
    SCOPED_TRACE(QuoteString(bad));
    EXPECT_EQ(EvaluateExpr(SubStr(1, 0), Row{bad}), std::nullopt);
    EXPECT_EQ(EvaluateExpr(Trim(), Row{bad}), std::nullopt);
    EXPECT_EQ(EvaluateExpr(ToCase(Case::kLower, GetToken(kWord, 1)), Row{bad}), std::nullopt);
    EXPECT_EQ(Evaluate(Program::Concat({ConstStr("a"), SubStr(1, 0)}), Row{bad}),
              std::nullopt);
    EXPECT_EQ(EvaluateExpr(OnColumn(2, SubStr(1, 0)), Row{"ok", bad}), std::nullopt);
    // A cell the program does not read does not matter.
    EXPECT_THAT(EvaluateExpr(ConstStr("a"), Row{bad}), Optional(std::string("a")));
    EXPECT_THAT(Evaluate(Program::Concat({SubStr(1, 0)}), Row{"ok", bad}),
                Optional(std::string("ok")));
  }
}

struct Malformed {
  std::string_view name;
  Expr expr;
};

TEST(EvaluateExprTest, GivesNoOutputForMalformedExpressionsBuiltByHand) {
  const std::vector<Malformed> cases = {
      {"GetToken missing its index", Expr::Substring(Op::kGetToken, {Arg::OfType(kWord)})},
      {"SubStr with three positions",
       Expr::Substring(Op::kSubStr, {Arg::Position(1), Arg::Position(2), Arg::Position(3)})},
      {"SubStr without arguments", Expr::Substring(Op::kSubStr, {})},
      {"GetSpan with one side",
       Expr::Substring(Op::kGetSpan,
                       {Arg::OfRegex(Re(kWord)), Arg::Index(1), Arg::OfBoundary(kStart)})},
      {"ConstStr without text", Expr::Substring(Op::kConstStr, {})},
      {"Trim with an argument", Expr::Modification(Op::kTrim, {Arg::Position(1)})},
      {"Substitute missing its text",
       Expr::Modification(Op::kSubstitute, {Arg::OfType(kWord), Arg::Index(1)})},
      {"GetToken with its arguments swapped",
       Expr::Substring(Op::kGetToken, {Arg::Index(1), Arg::OfType(kWord)})},
      {"Replace with strings for delimiters",
       Expr::Modification(Op::kReplace, {Arg::String(" "), Arg::String("_")})},
      {"a type out of range",
       Expr::Substring(Op::kGetToken,
                       {Arg::OfType(static_cast<TokenType>(200)), Arg::Index(1)})},
      {"a case out of range",
       Expr::Modification(Op::kToCase, {Arg::OfCase(static_cast<Case>(9))})},
      {"a regex code out of range", GetUpto(Regex::FromCode(300))},
      {"a negative regex code", GetFrom(Regex::FromCode(-1))},
      {"ConstStr of invalid UTF-8", ConstStr("\xff")},
      {"Substitute by invalid UTF-8", Substitute(kWord, 1, "\xc3")},
      {"column x0", Expr::Substring(Op::kSubStr, {Arg::Position(1), Arg::Position(0)}, -1)},
      {"an unknown operator", Expr::Substring(static_cast<Op>(200), {})},
      {"a malformed inner expression",
       ToCase(Case::kProper, Expr::Substring(Op::kGetToken, {Arg::OfType(kWord)}))},
  };
  for (const Malformed& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(EvaluateExpr(c.expr, Row{"Ada Lovelace 1815"}), std::nullopt);
    EXPECT_EQ(Evaluate(Program::Concat({ConstStr("a"), c.expr}), Row{"Ada Lovelace 1815"}),
              std::nullopt);
  }
}

TEST(EvaluateExprTest, AcceptsExactlyTheNestingThatValidateAccepts) {
  for (int depth : {1, 2, kMaxNesting - 1, kMaxNesting, kMaxNesting + 1, kMaxNesting + 5}) {
    SCOPED_TRACE(depth);
    Expr e = GetToken(kWord, 1);
    for (int i = 0; i < depth; ++i) e = ToCase(i % 2 == 0 ? Case::kAllCaps : Case::kLower, e);
    const std::optional<std::string> got = EvaluateExpr(e, Row{"ab cd"});
    EXPECT_EQ(got.has_value(), ValidateExpr(e).ok());
    if (got.has_value()) {
      EXPECT_EQ(*got, depth % 2 == 1 ? "AB" : "ab");
    }
  }
}

TEST(EvaluateExprTest, GivesNoOutputForAVeryDeepCompositionWithoutCrashing) {
  Expr e = GetToken(kWord, 1);
  for (int i = 0; i < 10000; ++i) e = Trim(e);
  EXPECT_EQ(EvaluateExpr(e, Row{"ab"}), std::nullopt);
}

}  // namespace
}  // namespace flashsynth::dsl
