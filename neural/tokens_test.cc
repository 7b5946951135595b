#include "neural/tokens.h"

#include <set>

#include "dsl/parser.h"
#include "dsl/sampler.h"
#include "gtest/gtest.h"

namespace flashsynth::neural {
namespace {

constexpr int kSampledPrograms = 10000;  // per sampler setting

TEST(CharIdsTest, PrintableAsciiHasIdsAndTheRestIsUnknown) {
  EXPECT_EQ(CharId(' '), kCharFirstPrintable);
  EXPECT_EQ(CharId('~'), kCharVocabSize - 1);
  EXPECT_EQ(CharId('\t'), kCharUnk);
  EXPECT_EQ(CharId(U'é'), kCharUnk);
  EXPECT_EQ(EncodeText("aé", 10), (std::vector<int>{CharId('a'), kCharUnk, kCharEos}));
  EXPECT_EQ(EncodeText("\xff" "a", 10), (std::vector<int>{kCharUnk, CharId('a'), kCharEos}));
}

TEST(CharIdsTest, RowsJoinColumnsAndAreCutBeforeTheirEnd) {
  const std::vector<std::string> cells = {"ab", "c"};
  EXPECT_EQ(EncodeRow(cells, 100),
            (std::vector<int>{CharId('a'), CharId('b'), kCharSeparator, CharId('c'), kCharEos}));
  EXPECT_EQ(EncodeRow(cells, 2), (std::vector<int>{CharId('a'), CharId('b'), kCharEos}));
  EXPECT_EQ(EncodeRow({}, 5), std::vector<int>{kCharEos});
}

TEST(ProgramVocabTest, IdsAreDenseAndFindTheirTokens) {
  ProgramVocab vocab;
  EXPECT_EQ(vocab.token(ProgramVocab::kPad).kind, TokenKind::kPad);
  EXPECT_EQ(vocab.token(ProgramVocab::kBos).kind, TokenKind::kBos);
  EXPECT_EQ(vocab.token(ProgramVocab::kEos).kind, TokenKind::kEos);
  std::set<std::string> names;
  for (int id = 0; id < vocab.size(); ++id) {
    const ProgramToken& t = vocab.token(id);
    EXPECT_EQ(vocab.Id(t.kind, t.value), id) << t.name;
    EXPECT_TRUE(names.insert(t.name).second) << "duplicate name " << t.name;
  }
  for (int op = 0; op < dsl::kNumOps; ++op) EXPECT_GE(vocab.Id(TokenKind::kOp, op), 0);
  for (char d : dsl::kDelimiters) EXPECT_GE(vocab.Id(TokenKind::kDelimiter, d), 0);
  EXPECT_GE(vocab.Id(TokenKind::kInteger, -dsl::kMaxPosition), 0);
  EXPECT_GE(vocab.Id(TokenKind::kInteger, dsl::kMaxMatchCount), 0);
  EXPECT_EQ(vocab.Id(TokenKind::kColumn, kDefaultMaxColumns), -1);
  EXPECT_EQ(vocab.Id(TokenKind::kDelimiter, 'a'), -1);
}

TEST(ProgramVocabTest, FingerprintFollowsTheColumns) {
  EXPECT_EQ(ProgramVocab(4).fingerprint(), ProgramVocab(4).fingerprint());
  EXPECT_NE(ProgramVocab(4).fingerprint(), ProgramVocab(5).fingerprint());
  EXPECT_EQ(ProgramVocab(5).size(), ProgramVocab(4).size() + 1);
}

struct Golden {
  const char* program;
  const char* tokens;
};
constexpr Golden kGoldens[] = {
    {"Concat(GetToken(Word, -1))", "GetToken x1 Word -1 EOS"},
    {R"(Concat(ToCase(Proper, GetToken(Word, -1)), ConstStr(", ")))",
     "ToCase case:Proper GetToken x1 Word -1 ConstStr ',' ' ' EndString EOS"},
    {"Concat(SubStr(x2, 1, 1), Trim(x3))", "SubStr x2 1 1 Trim x3 EOS"},
    {R"(Concat(GetSpan(",", 1, End, Number, -2, Start)))",
     R"(GetSpan x1 "," 1 End Number -2 Start EOS)"},
    {R"(Concat(Replace(" ", "/", Trim(GetUpto(":")))))",
     R"(Replace " " "/" Trim GetUpto x1 ":" EOS)"},
    {R"(Concat(ConstStr("")))", "ConstStr EndString EOS"},
    {R"(Concat(ConstStr("é")))", R"(ConstStr '\xC3' '\xA9' EndString EOS)"},
    {R"(Switch((Not(Match(x2, Number, 2)), Concat(GetAll(Digit))), (True, Concat(ConstStr("-")))))",
     "Switch Branch NotMatch x2 Number 2 Then GetAll Digit x1 "
     "Branch Then ConstStr '-' EndString EOS"},
};

TEST(TokenizeTest, WritesTokensInPrintedOrder) {
  ProgramVocab vocab;
  for (const Golden& g : kGoldens) {
    SCOPED_TRACE(g.program);
    absl::StatusOr<dsl::Program> p = dsl::Parse(g.program);
    ASSERT_TRUE(p.ok()) << p.status();
    absl::StatusOr<std::vector<int>> ids = TokenizeProgram(*p, vocab);
    ASSERT_TRUE(ids.ok()) << ids.status();
    EXPECT_EQ(vocab.Describe(*ids), g.tokens);
    absl::StatusOr<dsl::Program> back = DetokenizeProgram(*ids, vocab);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, *p);
  }
}

void ExpectRoundTrips(const dsl::SamplerOptions& options, uint64_t seed) {
  ProgramVocab vocab;
  dsl::Sampler sampler(options, seed);
  for (int i = 0; i < kSampledPrograms; ++i) {
    const dsl::Program p = sampler.Next().program;
    absl::StatusOr<std::vector<int>> ids = TokenizeProgram(p, vocab);
    ASSERT_TRUE(ids.ok()) << p.ToString() << ": " << ids.status();
    absl::StatusOr<dsl::Program> back = DetokenizeProgram(*ids, vocab);
    ASSERT_TRUE(back.ok()) << p.ToString() << ": " << back.status();
    ASSERT_EQ(*back, p) << vocab.Describe(*ids);
  }
}

TEST(TokenizeTest, EveryRobustFillSampleRoundTrips) {
  ExpectRoundTrips(dsl::SamplerOptions::RobustFill(), 1);
}

TEST(TokenizeTest, EveryExtendedSampleRoundTrips) {
  ExpectRoundTrips(dsl::SamplerOptions::Extended(), 2);
}

TEST(TokenizeTest, RefusesColumnsPastTheVocabulary) {
  ProgramVocab vocab(2);
  absl::StatusOr<std::vector<int>> ids = TokenizeProgram(*dsl::Parse("Concat(Trim(x3))"), vocab);
  ASSERT_FALSE(ids.ok());
  EXPECT_EQ(ids.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(ids.status().message().find("x3"), std::string::npos) << ids.status();
}

TEST(DetokenizeTest, NamesTheTokenThatDoesNotFit) {
  ProgramVocab vocab;
  const int get_token = vocab.Id(TokenKind::kOp, static_cast<int>(dsl::Op::kGetToken));
  const int x1 = vocab.Id(TokenKind::kColumn, 0);
  const int word = vocab.Id(TokenKind::kType, static_cast<int>(dsl::TokenType::kWord));
  const int zero = vocab.Id(TokenKind::kInteger, 0);
  absl::StatusOr<dsl::Program> p = DetokenizeProgram({get_token, x1, word, zero}, vocab);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(),
            "token 3 (0) does not fit after \"GetToken x1 Word\"");
  p = DetokenizeProgram({get_token, x1, word}, vocab);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("stops early"), std::string::npos) << p.status();
  const int one = vocab.Id(TokenKind::kInteger, 1);
  p = DetokenizeProgram({get_token, x1, word, one, ProgramVocab::kEos, ProgramVocab::kEos}, vocab);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("follow EOS"), std::string::npos) << p.status();
  EXPECT_FALSE(DetokenizeProgram({}, vocab).ok());
  EXPECT_FALSE(DetokenizeProgram({vocab.size()}, vocab).ok());
}

}  // namespace
}  // namespace flashsynth::neural
