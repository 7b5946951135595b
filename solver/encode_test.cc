#include "solver/encode.h"

#include <gtest/gtest.h>

#include "dsl/interpreter.h"
#include "dsl/parser.h"
#include "dsl/sampler.h"

namespace flashsynth::solver {
namespace {

struct Case {
  const char* program;
  dsl::Row row;
};

// Every operator, its quirks and the extensions, against the interpreter.
const Case kCases[] = {
    {R"(Concat(ConstStr("Dr. "), SubStr(1, 3), SubStr(2, 2), SubStr(-3, 0), SubStr(-100, 100)))", {"Ada Lovelace"}},
    {R"(Concat(GetSpan(Word, 1, End, Number, -1, Start), GetSpan(" ", 5, Start, Word, -5, End)))", {"ab 12 cd 3 ef"}},
    {R"(Concat(GetToken(PropCase, 2), GetToken(Alphanum, -1), GetToken(AllCaps, 3), GetToken(Char, 4)))", {"McDonald ABC x1 Yy"}},
    {R"(Concat(GetUpto("@"), ConstStr("|"), GetFrom(" "), GetUpto(Digit), GetFrom(Lower)))", {"a@b c@d 7 x"}},
    {R"(Concat(ToCase(Proper, GetToken(Word, 1)), ToCase(AllCaps), ToCase(Lower), ToCase(Title)))", {"o'neil 2nd mAcH"}},
    {R"(Concat(ToCase(AllCaps), ToCase(Title), ToCase(Proper)))", {"straße éa ßx"}},
    {R"(Concat(Replace(" ", "/"), Trim(), GetFirst(Number, 2), GetFirst(Word, -1), GetAll(Lower)))", {"  12 ab 3 cd 45  "}},
    {R"(Concat(Substitute(Lower, 2, "#"), Remove(Number, -1), SubstituteAll(Lower, "xy"), RemoveAll(Digit)))", {"q-y 12 ab ab"}},
    {R"(Concat(SubstituteAll(Char, "!"), Substitute(Word, 5, "z")))", {"ab,c"}},
    {R"(Switch((Match(x1, Number, 2), Concat(GetToken(Number, 2))), (And(Match(x2, ",", 1), Not(Match(x1, Word, 1))), Concat(SubStr(x2, 1, 2))), (True, Concat(ConstStr("none")))))", {"a 1", "x,y"}},
    {R"(Switch((Match(x1, Number, 2), Concat(GetToken(Number, 2)))))", {"a 1"}},
    {R"(Concat(GetToken(x3, Word, 1)))", {"a", "b"}},
    {R"(Concat(ToCase(Lower, GetFrom(x2, ":")), GetToken(Number, 1)))", {"", "K: AbC"}},
};

TEST(EncodeTest, AgreesWithTheInterpreterOnEveryOperator) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.program);
    absl::StatusOr<dsl::Program> p = dsl::Parse(c.program);
    ASSERT_TRUE(p.ok()) << p.status();
    absl::StatusOr<std::optional<std::string>> z3_out = EvaluateWithZ3(*p, c.row, SolverOptions());
    ASSERT_TRUE(z3_out.ok()) << z3_out.status();
    EXPECT_EQ(*z3_out, dsl::Evaluate(*p, c.row));
  }
}

TEST(EncodeTest, RejectsCellsPastTheLengthBound) {
  SolverOptions options;
  options.max_length = 4;
  absl::StatusOr<std::optional<std::string>> out =
      EvaluateWithZ3(*dsl::Parse("Concat(SubStr(1, 2))"), {"abcdef"}, options);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kOutOfRange);
}

// A small sample of the differential check; `solver_check --pairs 10000`
// runs the full one.
TEST(EncodeTest, AgreesWithTheInterpreterOnSampledPrograms) {
  for (bool extended : {false, true}) {
    dsl::SamplerOptions so = extended ? dsl::SamplerOptions::Extended() : dsl::SamplerOptions::RobustFill();
    so.max_expressions = 3;
    dsl::Sampler sampler(so, /*seed=*/7);
    for (int task = 0; task < 12; ++task) {
      const dsl::SampledTask t = sampler.Next();
      std::vector<dsl::Row> rows = t.inputs;
      rows.push_back(sampler.SampleInputs(1, static_cast<int>(t.inputs[0].size()))[0]);
      for (const dsl::Row& row : rows) {
        SCOPED_TRACE(t.program.ToString() + " on " + row[0]);
        absl::StatusOr<std::optional<std::string>> z3_out = EvaluateWithZ3(t.program, row, SolverOptions());
        ASSERT_TRUE(z3_out.ok()) << z3_out.status();
        EXPECT_EQ(*z3_out, dsl::Evaluate(t.program, row));
      }
    }
  }
}

}  // namespace
}  // namespace flashsynth::solver

namespace flashsynth::solver {
namespace {

TEST(EvaluateWithZ3NumbersTest, RefusesNumberOperatorsWithTheReason) {
  absl::StatusOr<dsl::Program> p =
      dsl::Parse(R"(Concat(ConstStr("$"), Format("0.00", Dot, Minus, ReadNumber(Dot, 1))))");
  ASSERT_TRUE(p.ok()) << p.status();
  absl::StatusOr<std::optional<std::string>> out = EvaluateWithZ3(*p, {"12.5"}, SolverOptions());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(out.status().message().find("Format"), absl::string_view::npos) << out.status();
}

}  // namespace
}  // namespace flashsynth::solver
