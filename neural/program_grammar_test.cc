#include "neural/program_grammar.h"

#include <random>

#include "dsl/parser.h"
#include "gtest/gtest.h"

namespace flashsynth::neural {
namespace {

constexpr int kWalks = 3000;
constexpr int kMaxWalkTokens = 200;

// Follows random allowed tokens; ends strings and programs often enough
// that most walks finish.
std::vector<int> RandomWalk(const ProgramVocab& vocab, std::mt19937* rng, PrefixParser* p) {
  std::vector<int> ids;
  std::vector<bool> allowed;
  while (!p->finished() && static_cast<int>(ids.size()) < kMaxWalkTokens) {
    p->AllowedTokens(&allowed);
    std::vector<int> choices;
    for (int id = 0; id < vocab.size(); ++id) {
      if (allowed[static_cast<size_t>(id)]) choices.push_back(id);
    }
    EXPECT_FALSE(choices.empty()) << vocab.Describe(ids);
    if (choices.empty()) break;
    int id = choices[std::uniform_int_distribution<size_t>(0, choices.size() - 1)(*rng)];
    for (int pick : {ProgramVocab::kEos, vocab.Id(TokenKind::kEndString)}) {
      if (allowed[static_cast<size_t>(pick)] && (*rng)() % 3 == 0) id = pick;
    }
    EXPECT_TRUE(p->Push(id));
    ids.push_back(id);
  }
  return ids;
}

TEST(PrefixParserTest, EveryFinishedWalkIsAValidProgramThatTokenizesBack) {
  ProgramVocab vocab(3);
  std::mt19937 rng(7);
  int finished = 0;
  for (int i = 0; i < kWalks; ++i) {
    PrefixParser p(vocab);
    const std::vector<int> ids = RandomWalk(vocab, &rng, &p);
    if (!p.finished()) continue;
    ++finished;
    absl::StatusOr<dsl::Program> program = p.program();
    ASSERT_TRUE(program.ok()) << program.status();
    ASSERT_TRUE(dsl::Validate(*program).ok()) << program->ToString();
    absl::StatusOr<std::vector<int>> again = TokenizeProgram(*program, vocab);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*again, ids) << program->ToString();
  }
  EXPECT_GT(finished, kWalks / 2);
}

TEST(PrefixParserTest, BodyGrowsWhenAnExpressionCompletes) {
  ProgramVocab vocab;
  absl::StatusOr<std::vector<int>> ids =
      TokenizeProgram(*dsl::Parse(R"(Concat(ToCase(Lower, GetToken(Word, 1)), ConstStr("-")))"), vocab);
  ASSERT_TRUE(ids.ok()) << ids.status();
  PrefixParser p(vocab);
  std::vector<size_t> sizes;
  for (int id : *ids) {
    ASSERT_TRUE(p.Push(id));
    sizes.push_back(p.body().size());
  }
  // ToCase Lower GetToken x1 Word 1 | ConstStr '-' EndString | EOS
  EXPECT_EQ(sizes, (std::vector<size_t>{0, 0, 0, 0, 0, 1, 1, 1, 2, 2}));
  EXPECT_TRUE(p.finished());
  EXPECT_EQ(p.length(), static_cast<int>(ids->size()));
}

TEST(PrefixParserTest, RefusesTokensOutOfPlaceAndKeepsItsState) {
  ProgramVocab vocab;
  PrefixParser p(vocab);
  EXPECT_FALSE(p.Push(ProgramVocab::kEos));  // a Concat needs an expression
  EXPECT_FALSE(p.Push(ProgramVocab::kPad));
  EXPECT_FALSE(p.Push(vocab.Id(TokenKind::kInteger, 1)));
  EXPECT_EQ(p.length(), 0);
  ASSERT_TRUE(p.Push(vocab.Id(TokenKind::kOp, static_cast<int>(dsl::Op::kGetToken))));
  EXPECT_EQ(p.need(), Need::kColumn);
  ASSERT_TRUE(p.Push(vocab.Id(TokenKind::kColumn, 0)));
  EXPECT_FALSE(p.Push(vocab.Id(TokenKind::kDelimiter, ',')));  // GetToken takes a type
  ASSERT_TRUE(p.Push(vocab.Id(TokenKind::kType, 0)));
  EXPECT_EQ(p.need(), Need::kIndex);
  EXPECT_FALSE(p.Allows(vocab.Id(TokenKind::kInteger, 0)));
  EXPECT_FALSE(p.Allows(vocab.Id(TokenKind::kInteger, dsl::kMaxIndex + 1)));
  EXPECT_TRUE(p.Allows(vocab.Id(TokenKind::kInteger, -dsl::kMaxIndex)));
  EXPECT_FALSE(p.program().ok());
}

TEST(PrefixParserTest, StringsEndOnlyOnWholeCharacters) {
  ProgramVocab vocab;
  PrefixParser p(vocab);
  const int end = vocab.Id(TokenKind::kEndString);
  ASSERT_TRUE(p.Push(vocab.Id(TokenKind::kOp, static_cast<int>(dsl::Op::kConstStr))));
  EXPECT_TRUE(p.Allows(end));
  ASSERT_TRUE(p.Push(vocab.Id(TokenKind::kByte, 0xC3)));
  EXPECT_FALSE(p.Allows(end));
  ASSERT_TRUE(p.Push(vocab.Id(TokenKind::kByte, 0xA9)));
  EXPECT_TRUE(p.Allows(end));
}

TEST(PrefixParserTest, ComposeStopsAtTheNestingLimit) {
  ProgramVocab vocab;
  PrefixParser p(vocab);
  const int trim = vocab.Id(TokenKind::kOp, static_cast<int>(dsl::Op::kTrim));
  for (int depth = 0; depth <= dsl::kMaxNesting; ++depth) ASSERT_TRUE(p.Push(trim)) << depth;
  EXPECT_EQ(p.need(), Need::kSource);
  EXPECT_FALSE(p.Allows(trim));
  EXPECT_FALSE(p.Allows(vocab.Id(TokenKind::kOp, static_cast<int>(dsl::Op::kConstStr))));
  ASSERT_TRUE(p.Push(vocab.Id(TokenKind::kColumn, 0)));
  ASSERT_TRUE(p.Push(ProgramVocab::kEos));
  absl::StatusOr<dsl::Program> program = p.program();
  ASSERT_TRUE(program.ok());
  EXPECT_TRUE(dsl::Validate(*program).ok()) << dsl::Validate(*program);
}

}  // namespace
}  // namespace flashsynth::neural
