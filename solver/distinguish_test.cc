#include "solver/distinguish.h"

#include <gtest/gtest.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "dsl/interpreter.h"
#include "dsl/parser.h"
#include "dsl/text.h"

namespace flashsynth::solver {
namespace {

dsl::Program P(const char* text) {
  absl::StatusOr<dsl::Program> p = dsl::Parse(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status();
  return *p;
}

// The class of each character, runs collapsed: "Ada 12" -> "Ul d", with
// other characters kept as they are.
std::string ShapeString(const std::string& cell) {
  std::string shape;
  size_t pos = 0;
  while (pos < cell.size()) {
    const char32_t c = dsl::DecodeUtf8(cell, &pos);
    char k = 'x';
    if (dsl::IsDigit(c)) k = 'd';
    else if (dsl::IsUpper(c)) k = 'U';
    else if (dsl::IsLower(c)) k = 'l';
    else if (c < 128) k = static_cast<char>(c);
    if (shape.empty() || shape.back() != k || !(k == 'd' || k == 'U' || k == 'l')) shape.push_back(k);
  }
  return shape;
}

bool ShapedLikeAnExample(const dsl::Row& row, const std::vector<dsl::Row>& examples) {
  for (const dsl::Row& e : examples) {
    bool same = e.size() == row.size();
    for (size_t c = 0; same && c < e.size(); ++c) same = ShapeString(e[c]) == ShapeString(row[c]);
    if (same) return true;
  }
  return false;
}

struct Pair {
  const char* a;
  const char* b;
  std::vector<dsl::Row> examples;
  // Whether a row of exactly an example's shape (classes of runs and
  // punctuation kept, lengths free) separates the programs.
  bool same_shape_exists;
};

// Programs that agree on the examples and differ elsewhere.
const Pair kDifferent[] = {
    // A fixed-length prefix vs the first word: a longer first word.
    {"Concat(SubStr(1, 2))", "Concat(GetToken(Word, 1))", {{"ab cd"}, {"xy zw"}}, true},
    // The quirk SubStr(k, k) == "": a one-letter word.
    {"Concat(SubStr(1, -1))", "Concat(SubStr(1, 0))", {{"abc"}, {"xyz"}}, true},
    // AllCaps vs Proper agree on one-letter first words.
    {"Concat(ToCase(AllCaps, GetToken(Word, 1)))", "Concat(ToCase(Proper, GetToken(Word, 1)))",
     {{"a bc"}, {"x yz"}}, true},
    // Last word vs second word: only three words tell them apart.
    {"Concat(GetToken(Word, -1))", "Concat(GetToken(Word, 2))", {{"Ada Lovelace"}, {"Alan Turing"}}, false},
    // Number vs Alphanum: digits next to letters.
    {"Concat(GetToken(Number, 1))", "Concat(GetToken(Alphanum, 1))", {{"12 ab"}, {"345 cd"}}, false},
    // Everything after the space vs the second word.
    {"Concat(GetFrom(\" \"))", "Concat(GetToken(Word, 2))", {{"ab cd"}, {"xy zw"}}, false},
    // Lower-casing a lower-case word is the identity only on lower case.
    {"Concat(ToCase(Lower, GetToken(Word, 1)))", "Concat(GetToken(Word, 1))", {{"ab 1"}, {"cd 2"}}, false},
    // Proper vs Title: two words.
    {"Concat(ToCase(Proper))", "Concat(ToCase(Title))", {{"ada"}, {"bob"}}, false},
    // Two columns; only the second one's shape matters.
    {"Concat(GetToken(x2, Number, 1), ConstStr(\"-\"))", "Concat(SubStr(x2, 1, 3), ConstStr(\"-\"))",
     {{"a", "123"}, {"b", "456"}}, true},
};

TEST(DistinguishTest, FindsARowShapedLikeTheExamples) {
  for (const Pair& t : kDifferent) {
    SCOPED_TRACE(std::string(t.a) + " vs " + t.b);
    const dsl::Program a = P(t.a), b = P(t.b);
    for (const dsl::Row& e : t.examples) ASSERT_EQ(dsl::Evaluate(a, e), dsl::Evaluate(b, e));
    absl::StatusOr<Distinction> d = Distinguish(a, b, t.examples, SolverOptions());
    ASSERT_TRUE(d.ok()) << d.status();
    ASSERT_EQ(d->verdict, Verdict::kDistinguished);
    EXPECT_EQ(d->output_a, dsl::Evaluate(a, d->input));
    EXPECT_EQ(d->output_b, dsl::Evaluate(b, d->input));
    EXPECT_NE(d->output_a, d->output_b);
    EXPECT_EQ(d->input.size(), t.examples[0].size());
    if (t.same_shape_exists) {
      EXPECT_TRUE(ShapedLikeAnExample(d->input, t.examples)) << d->input.back();
    } else {
      EXPECT_EQ(d->found_by, FoundBy::kMutation) << d->input.back();
    }
  }
}

// The example of distinguish.h, row for row: the search is seeded.
TEST(DistinguishTest, IsReproducibleAndMatchesTheHeader) {
  for (int run = 0; run < 2; ++run) {
    absl::StatusOr<Distinction> d = Distinguish(P("Concat(GetToken(Word, -1))"), P("Concat(GetToken(Word, 2))"),
                                                {{"Ada Lovelace"}, {"Alan Turing"}}, SolverOptions());
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->found_by, FoundBy::kMutation);
    EXPECT_EQ(d->input, dsl::Row{"VSSw Fpqc Ljmcm"});
    EXPECT_EQ(d->output_a, "Ljmcm");
    EXPECT_EQ(d->output_b, "Fpqc");
  }
}

TEST(DistinguishTest, ReturnsAnExampleOnWhichTheProgramsDisagree) {
  absl::StatusOr<Distinction> d = Distinguish(P("Concat(SubStr(1, 2))"), P("Concat(SubStr(1, 3))"),
                                              {{"abcd"}}, SolverOptions());
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->found_by, FoundBy::kExample);
  EXPECT_EQ(d->input, dsl::Row{"abcd"});
  EXPECT_EQ(d->output_a, "ab");
  EXPECT_EQ(d->output_b, "abc");
}

// Z3 must find what the mutations cannot: the difference needs white space
// at an end of the cell, which neither the examples nor the programs have.
TEST(DistinguishTest, FallsBackToAnyRowWithinTheBound) {
  const dsl::Program a = P("Concat(Trim())");
  const dsl::Program b = P("Concat(SubStr(1, 0))");
  const std::vector<dsl::Row> examples = {{"ab"}, {"cd"}};
  for (const dsl::Row& e : examples) ASSERT_EQ(dsl::Evaluate(a, e), dsl::Evaluate(b, e));
  SolverOptions options;
  options.max_length = 8;
  absl::StatusOr<Distinction> d = Distinguish(a, b, examples, options);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->verdict, Verdict::kDistinguished);
  EXPECT_EQ(d->found_by, FoundBy::kAnyRow);
  EXPECT_NE(d->input[0], dsl::Strip(d->input[0]));
  EXPECT_LE(dsl::CountChars(d->input[0]), 8u);
  EXPECT_EQ(d->output_a, dsl::Evaluate(a, d->input));
  EXPECT_EQ(d->output_b, dsl::Evaluate(b, d->input));
  EXPECT_NE(d->output_a, d->output_b);
}

// Pairs that agree on every row within the bound.
const Pair kEquivalent[] = {
    // On the ASCII alphabet, upper(lower(x)) == upper(x).
    {"Concat(ToCase(AllCaps, ToCase(Lower)))", "Concat(ToCase(AllCaps))", {{"Ab c"}, {"dE"}}, false},
    {"Concat(GetToken(Word, 1))", "Concat(GetFirst(Word, 1))", {{"ab cd"}}, false},
    {"Concat(GetAll(Digit))", "Concat(GetAll(Number))", {{"a1 23"}}, false},
    {"Concat(SubStr(1, 0))", "Concat(SubStr(-100, 100))", {{"abc"}}, false},
};

TEST(DistinguishTest, ProvesEquivalencesWithinTheBound) {
  SolverOptions options;
  options.max_length = 10;
  for (const Pair& t : kEquivalent) {
    SCOPED_TRACE(std::string(t.a) + " vs " + t.b);
    absl::StatusOr<Distinction> d = Distinguish(P(t.a), P(t.b), t.examples, options);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->verdict, Verdict::kEquivalentWithinBound);
    EXPECT_EQ(d->found_by, FoundBy::kNone);
  }
}

// The alphabet follows the examples: upper then lower loses 'ß' ("SS" ->
// "ss"), which a row can only hold when an example has one.
TEST(DistinguishTest, TheAlphabetComesFromTheExamples) {
  const dsl::Program a = P("Concat(ToCase(Lower, ToCase(AllCaps, GetToken(Word, -1))))");
  const dsl::Program b = P("Concat(ToCase(Lower, GetToken(Word, -1)))");
  SolverOptions options;
  options.max_length = 8;
  absl::StatusOr<Distinction> ascii = Distinguish(a, b, {{"ab cd"}}, options);
  ASSERT_TRUE(ascii.ok()) << ascii.status();
  EXPECT_EQ(ascii->verdict, Verdict::kEquivalentWithinBound);
  // "ß" in the first word only, so that the examples agree.
  absl::StatusOr<Distinction> sharp = Distinguish(a, b, {{"aß cd"}}, options);
  ASSERT_TRUE(sharp.ok()) << sharp.status();
  ASSERT_EQ(sharp->verdict, Verdict::kDistinguished);
  EXPECT_NE(sharp->input[0].find("ß"), std::string::npos);
}

TEST(DistinguishTest, ReturnsWithinItsTimeout) {
  // Equivalent (every digit, joined, either way), so nothing short of a
  // proof over every row answers, and heavy to encode.
  const char* kCommon = "SubstituteAll(Char, \"ab\"), GetSpan(Word, 1, End, Number, -1, Start), ";
  const dsl::Program a = P(absl::StrCat("Concat(", kCommon, "GetAll(Digit))").c_str());
  const dsl::Program b = P(absl::StrCat("Concat(", kCommon, "GetAll(Number))").c_str());
  SolverOptions options;
  options.timeout = absl::Milliseconds(100);
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<Distinction> d = Distinguish(a, b, {{"a1 b2 c3 d4"}}, options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(d.status().code(), absl::StatusCode::kDeadlineExceeded) << d.status();
  // Z3 may overrun its own timeout slightly while it stops.
  EXPECT_LT(seconds, 0.1 + 0.5);
}

TEST(DistinguishTest, RejectsInvalidProgramsAndRaggedRows) {
  const dsl::Program ok = P("Concat(GetToken(Word, 1))");
  const dsl::Program bad = dsl::Program::Concat(
      {dsl::Expr::Substring(dsl::Op::kGetToken, {dsl::Arg::OfType(dsl::TokenType::kWord), dsl::Arg::Index(0)})});
  EXPECT_EQ(Distinguish(ok, bad, {{"a"}}, SolverOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Distinguish(bad, ok, {{"a"}}, SolverOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Distinguish(ok, ok, {{"a"}, {"b", "c"}}, SolverOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace flashsynth::solver

namespace flashsynth::solver {
namespace {

// Number programs: no Z3 encoding, so the interpreter tells them apart.
TEST(DistinguishNumbersTest, FindsRowsThatRoundingAndFormatsTreatDifferently) {
  const struct {
    const char* a;
    const char* b;
    std::vector<dsl::Row> examples;
  } cases[] = {
      // 120 rounds to 120 both ways; 125 or 121 does not.
      {R"(Concat(Format("0", Dot, Minus, Round(Nearest, 10, ReadNumber(Dot, 1)))))",
       R"(Concat(Format("0", Dot, Minus, Round(Nearest, 5, ReadNumber(Dot, 1)))))", {{"120"}}},
      // Whole numbers look the same in both formats.
      {R"(Concat(Format("0", Dot, Minus, ReadNumber(Dot, 1))))",
       R"(Concat(Format("0.*", Dot, Minus, ReadNumber(Dot, 1))))", {{"57"}, {"$12"}}},
      // A bin's edge: Ceiling keeps it, High moves to the next one.
      {R"(Concat(Format("0", Dot, Minus, Round(Ceiling, 10, ReadNumber(Dot, 1)))))",
       R"(Concat(Format("0", Dot, Minus, Bin(High, 10, 0, ReadNumber(Dot, 1)))))", {{"147"}}},
      // The sign: toward zero and floor differ on negatives only.
      {R"(Concat(Format("0", Dot, Minus, Round(TowardZero, 1, ReadNumber(Dot, 1)))))",
       R"(Concat(Format("0", Dot, Minus, Round(Floor, 1, ReadNumber(Dot, 1)))))", {{"7.5"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.a) + " vs " + c.b);
    const dsl::Program a = P(c.a), b = P(c.b);
    for (const dsl::Row& e : c.examples) ASSERT_EQ(dsl::Evaluate(a, e), dsl::Evaluate(b, e));
    absl::StatusOr<Distinction> d = Distinguish(a, b, c.examples, SolverOptions());
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->verdict, Verdict::kDistinguished);
    EXPECT_EQ(d->found_by, FoundBy::kMutation);
    EXPECT_EQ(d->output_a, dsl::Evaluate(a, d->input));
    EXPECT_EQ(d->output_b, dsl::Evaluate(b, d->input));
    EXPECT_NE(d->output_a, d->output_b);
  }
}

TEST(DistinguishNumbersTest, SaysWhyItCannotProveNumberProgramsEquivalent) {
  // Round(Nearest, 1) then "0" is what "0" does alone.
  const dsl::Program a = P(R"(Concat(Format("0", Dot, Minus, ReadNumber(Dot, 1))))");
  const dsl::Program b =
      P(R"(Concat(Format("0", Dot, Minus, Round(Nearest, 1, ReadNumber(Dot, 1)))))");
  absl::StatusOr<Distinction> d = Distinguish(a, b, {{"12.5"}}, SolverOptions());
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(d.status().message().find("no Z3 encoding of the number operators"),
            absl::string_view::npos)
      << d.status();
}

}  // namespace
}  // namespace flashsynth::solver
