#include "dsl/program.h"

#include <unordered_set>

#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

Expr Token(TokenType t, int i, int column = 0) {
  return Expr::Substring(Op::kGetToken, {Arg::OfType(t), Arg::Index(i)}, column);
}

TEST(ProgramTest, PrintsTheCanonicalTextForm) {
  Program p = Program::Concat(
      {Expr::Modification(Op::kToCase, {Arg::OfCase(Case::kProper)}, Token(TokenType::kWord, -1)),
       Expr::ConstStr(", "),
       Expr::Substring(Op::kSubStr, {Arg::Position(1), Arg::Position(1)}, /*column=*/1),
       Expr::Modification(Op::kReplace, {Arg::Delimiter(' '), Arg::Delimiter('_')}, 2),
       Expr::Modification(Op::kTrim, {})});
  EXPECT_EQ(p.ToString(),
            R"(Concat(ToCase(Proper, GetToken(Word, -1)), ConstStr(", "), SubStr(x2, 1, 1), )"
            R"(Replace(" ", "_", x3), Trim()))");
}

TEST(ProgramTest, PrintsSwitchConditions) {
  MatchLiteral has_at{0, Regex::Delimiter('@'), 1, false};
  MatchLiteral no_number{1, Regex::Of(TokenType::kNumber), 2, true};
  Program p = Program::Switch({Branch{{has_at, no_number}, {Expr::ConstStr("a")}},
                               Branch{{has_at}, {Expr::ConstStr("b")}},
                               Branch{{}, {Expr::ConstStr("c")}}});
  EXPECT_EQ(p.ToString(),
            R"(Switch((And(Match(x1, "@", 1), Not(Match(x2, Number, 2))), Concat(ConstStr("a"))), )"
            R"((Match(x1, "@", 1), Concat(ConstStr("b"))), (True, Concat(ConstStr("c")))))");
}

TEST(ProgramTest, QuotesStringsWithEscapes) {
  EXPECT_EQ(QuoteString("a\"b\\c\n\t\r\x01\x7f" "é"), R"("a\"b\\c\n\t\r\u0001\u007Fé")");
}

TEST(ProgramTest, EqualProgramsHaveEqualHashesAndDifferentOnesDiffer) {
  Program a = Program::Concat({Token(TokenType::kWord, 1), Expr::ConstStr("x")});
  Program b = Program::Concat({Token(TokenType::kWord, 1), Expr::ConstStr("x")});
  Program c = Program::Concat({Token(TokenType::kWord, 2), Expr::ConstStr("x")});
  Program d = Program::Concat({Token(TokenType::kWord, 1, /*column=*/1), Expr::ConstStr("x")});
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.Hash(), b.Hash());
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  std::unordered_set<Program> set = {a, b, c, d};
  EXPECT_EQ(set.size(), 3u);
}

TEST(ProgramTest, ASwitchOfOneTrueCaseDiffersFromAConcat) {
  Program concat = Program::Concat({Expr::ConstStr("x")});
  Program sw = Program::Switch({Branch{{}, {Expr::ConstStr("x")}}});
  EXPECT_NE(concat, sw);
}

TEST(ProgramTest, CountsSizeAndColumns) {
  Program p = Program::Concat(
      {Expr::Modification(Op::kTrim, {}, Token(TokenType::kWord, 1, /*column=*/2)),
       Expr::ConstStr("-")});
  EXPECT_EQ(p.size(), 4);  // Concat, Trim, GetToken, ConstStr
  EXPECT_EQ(p.NumColumnsUsed(), 3);
  EXPECT_EQ(Program::Concat({Expr::ConstStr("k")}).NumColumnsUsed(), 0);
}

TEST(ProgramTest, OpTableNamesEveryOperatorOnce) {
  for (int i = 0; i < kNumOps; ++i) {
    const Op op = static_cast<Op>(i);
    EXPECT_EQ(GetOpInfo(op).op, op);
    EXPECT_EQ(OpByName(GetOpInfo(op).name), op);
  }
  EXPECT_FALSE(OpByName("Concat").has_value());
}

struct Invalid {
  const char* why;
  Program program;
};

TEST(ValidateTest, RejectsOutOfRangeAndMalformedPrograms) {
  const Invalid cases[] = {
      {"position 101", Program::Concat({Expr::Substring(
                           Op::kSubStr, {Arg::Position(101), Arg::Position(1)})})},
      {"index 0", Program::Concat({Token(TokenType::kWord, 0)})},
      {"index 6", Program::Concat({Token(TokenType::kWord, 6)})},
      {"wrong arity", Program::Concat({Expr::Substring(Op::kGetToken, {Arg::Index(1)})})},
      {"wrong kind", Program::Concat({Expr::Substring(
                         Op::kGetToken, {Arg::Index(1), Arg::OfType(TokenType::kWord)})})},
      {"bad delimiter", Program::Concat({Expr::Modification(
                            Op::kReplace, {Arg::Delimiter('x'), Arg::Delimiter(',')})})},
      {"invalid UTF-8", Program::Concat({Expr::ConstStr("\xff")})},
      {"empty Concat", Program::Concat({})},
      {"regex code past ASCII", Program::Concat({Expr::Substring(
                                    Op::kGetUpto, {Arg::OfRegex(Regex::FromCode(300))})})},
      {"unknown operator", Program::Concat({Expr::Substring(static_cast<Op>(200), {})})},
      {"type out of range", Program::Concat({Expr::Substring(
                                Op::kGetToken, {Arg::OfType(static_cast<TokenType>(200)),
                                                Arg::Index(1)})})},
      {"empty Switch", Program::Switch({})},
      {"column past the limit", Program::Concat({Token(TokenType::kWord, 1, kMaxColumns)})},
      {"negative column", Program::Concat({Token(TokenType::kWord, 1, -1)})},
      {"Match count 0", Program::Switch({Branch{{MatchLiteral{0, Regex::Of(TokenType::kWord), 0,
                                                              false}},
                                               {Expr::ConstStr("a")}}})},
      {"modification of a substring op", Program::Concat({Expr::Modification(
                                             Op::kGetToken, {Arg::OfType(TokenType::kWord),
                                                             Arg::Index(1)},
                                             Token(TokenType::kWord, 1))})},
  };
  for (const Invalid& c : cases) {
    SCOPED_TRACE(c.why);
    absl::Status s = Validate(c.program);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_FALSE(s.message().empty());
  }
}

TEST(ValidateTest, RejectsNestingDeeperThanTheLimit) {
  Expr e = Token(TokenType::kWord, 1);
  for (int i = 0; i < kMaxNesting; ++i) e = Expr::Modification(Op::kTrim, {}, e);
  EXPECT_TRUE(Validate(Program::Concat({e})).ok());
  e = Expr::Modification(Op::kTrim, {}, e);
  EXPECT_FALSE(Validate(Program::Concat({e})).ok());
}

}  // namespace
}  // namespace flashsynth::dsl
