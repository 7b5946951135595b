#include "solver/sketch.h"

#include <gtest/gtest.h>

#include <chrono>

#include "dsl/interpreter.h"
#include "dsl/parser.h"

namespace flashsynth::solver {
namespace {

dsl::Program P(const char* text) {
  absl::StatusOr<dsl::Program> p = dsl::Parse(text);
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

TEST(SketchTest, FillsPositionsAndConstants) {
  const Sketch s = BlankArguments(P(R"(Concat(SubStr(1, 1), ConstStr("x"), GetToken(Word, 1)))"),
                                  {dsl::ArgKind::kPosition, dsl::ArgKind::kString, dsl::ArgKind::kIndex});
  ASSERT_EQ(s.holes.size(), 4u);
  const std::vector<dsl::Row> in = {{"Ada Lovelace"}, {"Alan Turing"}};
  const std::vector<std::string> out = {"Ad. Lovelace", "Al. Turing"};
  absl::StatusOr<std::optional<dsl::Program>> p = FillHoles(s, in, out, SolverOptions());
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->has_value());
  for (size_t i = 0; i < in.size(); ++i) EXPECT_EQ(dsl::Evaluate(**p, in[i]), out[i]);
}

TEST(SketchTest, FillsTypesCasesAndDelimiters) {
  const Sketch s = BlankArguments(P(R"(Concat(ToCase(Lower, GetToken(Number, 1)), Replace(",", ",")))"),
                                  {dsl::ArgKind::kType, dsl::ArgKind::kCase, dsl::ArgKind::kDelimiter});
  const std::vector<dsl::Row> in = {{"AB,cd"}, {"XYZ,q"}};
  const std::vector<std::string> out = {"ABAB/cd", "XYZXYZ/q"};
  absl::StatusOr<std::optional<dsl::Program>> p = FillHoles(s, in, out, SolverOptions());
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->has_value());
  // Any completion that fits: GetToken(Word, 1) or GetToken(AllCaps, 1), ...
  for (size_t i = 0; i < in.size(); ++i) EXPECT_EQ(dsl::Evaluate(**p, in[i]), out[i]);
  EXPECT_EQ((*p)->branches()[0].body[1].ToString(), R"(Replace(",", "/"))");
}

TEST(SketchTest, ProvesThatNoCompletionExists) {
  // A substring of the input cannot produce a character it lacks.
  const Sketch s = BlankArguments(P("Concat(SubStr(1, 2))"), {dsl::ArgKind::kPosition});
  absl::StatusOr<std::optional<dsl::Program>> p = FillHoles(s, {{"abc"}}, {"z"}, SolverOptions());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_FALSE(p->has_value());
}

// A replacement text is spliced in where the text it replaces was; left
// symbolic, Z3 took over a second on such one-hole sketches. Likely texts
// are tried first.
TEST(SketchTest, FillsReplacementTexts) {
  // From solver_bench --seed 1: FillHoles timed out on it at 1 s before.
  const Sketch s = BlankArguments(P(R"(Concat(SubstituteAll(Alphanum, "/")))"), {dsl::ArgKind::kString});
  const std::vector<dsl::Row> in = {{"&37:Wh[#]Lwz#5676 65"}, {",Mpdc)20[%Odw,518 00"},
                                    {"[Tdq&Uh['Ms,42#!803&"}, {"!Kg)7805 665:Hil[#;7"}};
  const std::vector<std::string> out = {"&/:/[#]/#/ /", ",/)/[%/,/ /", "[/&/['/,/#!/&", "!/)/ /:/[#;/"};
  SolverOptions options;
  options.timeout = absl::Seconds(1);
  absl::StatusOr<std::optional<dsl::Program>> p = FillHoles(s, in, out, options);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->has_value());
  EXPECT_EQ((*p)->ToString(), R"(Concat(SubstituteAll(Alphanum, "/")))");
}

TEST(SketchTest, ProvesThatNoReplacementTextFits) {
  // The "-" between the words is kept by any replacement of the words.
  const Sketch s = BlankArguments(P(R"(Concat(SubstituteAll(Alphanum, "x")))"), {dsl::ArgKind::kString});
  absl::StatusOr<std::optional<dsl::Program>> p = FillHoles(s, {{"ab-cd"}, {"e-f"}}, {"x+x", "y+y"}, SolverOptions());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_FALSE(p->has_value());
}

// A deliberately hard query: regexes, indices and replacement strings of
// several SubstituteAll/Substitute all unknown, on long inputs. The call
// must come back by its timeout, solved or kDeadlineExceeded.
TEST(SketchTest, NoCallRunsPastItsTimeout) {
  const Sketch s = BlankArguments(
      P(R"(Concat(SubstituteAll(Word, "ab"), Substitute(Number, 2, "cd"), SubstituteAll(Char, "ef"), GetSpan(Word, 1, End, Number, -1, Start)))"),
      {dsl::ArgKind::kType, dsl::ArgKind::kString, dsl::ArgKind::kIndex, dsl::ArgKind::kRegex,
       dsl::ArgKind::kBoundary});
  const std::vector<dsl::Row> in = {{"ab12 cd34,ef56 gh78 ij"}, {"Q1 w2 E3 r4 T5 y6 U7 i8"},
                                    {"zz 99 yy 88 xx 77 ww 6"}, {"a,b.c;d:e!f?g(h)i[j]k"}};
  const std::vector<std::string> out = {"k2j3h4g5f6d7", "lorem ipsum dolor sit amet", "0123456789",
                                        "qwertyuiopasdfghjkl"};
  for (double budget : {0.2, 1.5}) {
    SolverOptions options;
    options.timeout = absl::Seconds(budget);
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::optional<dsl::Program>> p = FillHoles(s, in, out, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(p.ok() || p.status().code() == absl::StatusCode::kDeadlineExceeded) << p.status();
    // Z3 runs on a worker thread that is interrupted at the deadline and
    // abandoned kInterruptGrace (0.25 s) later; the rest is scheduling slack.
    EXPECT_LT(seconds, budget + 0.5) << "budget " << budget;
  }
}

}  // namespace
}  // namespace flashsynth::solver
