#include "dsl/sampler.h"

#include <set>

#include "dsl/text.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

constexpr int kTasks = 2000;

TEST(SamplerTest, SameSeedGivesTheSameTasks) {
  Sampler a(SamplerOptions::Extended(), 123);
  Sampler b(SamplerOptions::Extended(), 123);
  Sampler c(SamplerOptions::Extended(), 124);
  bool any_differs = false;
  for (int i = 0; i < 100; ++i) {
    SampledTask ta = a.Next(), tb = b.Next(), tc = c.Next();
    EXPECT_EQ(ta.program, tb.program);
    EXPECT_EQ(ta.inputs, tb.inputs);
    any_differs = any_differs || ta.program != tc.program;
  }
  EXPECT_TRUE(any_differs);
}

TEST(SamplerTest, RobustFillTasksFollowTheRecipe) {
  const SamplerOptions o = SamplerOptions::RobustFill();
  Sampler sampler(o, 1);
  for (int i = 0; i < kTasks; ++i) {
    SampledTask t = sampler.Next();
    ASSERT_TRUE(Validate(t.program).ok()) << t.program.ToString();
    EXPECT_FALSE(t.program.is_switch());
    ASSERT_EQ(t.inputs.size(), static_cast<size_t>(o.num_examples));
    EXPECT_GE(static_cast<int>(t.program.exprs().size()), o.min_expressions);
    EXPECT_LE(static_cast<int>(t.program.exprs().size()), o.max_expressions);
    for (size_t r = 0; r < t.inputs.size(); ++r) {
      ASSERT_EQ(t.inputs[r].size(), 1u);
      const std::string& in = t.inputs[r][0];
      EXPECT_FALSE(in.empty());
      EXPECT_LE(CountChars(in), static_cast<size_t>(o.max_input_length));
      EXPECT_TRUE(IsAscii(in)) << in;
      EXPECT_EQ(Evaluate(t.program, t.inputs[r]), t.outputs[r]);
      EXPECT_FALSE(t.outputs[r].empty());
    }
    for (const Expr& e : t.program.exprs()) {
      if (e.op() == Op::kConstStr) EXPECT_EQ(e.arg(0).text().size(), 1u);
      if (e.op() == Op::kToCase) EXPECT_NE(e.arg(0).case_value(), Case::kTitle);
      EXPECT_NE(e.op(), Op::kFormat);  // RobustFill's recipe has no numbers
    }
  }
}

void CollectOps(const Expr& e, std::set<Op>* ops) {
  ops->insert(e.op());
  if (e.inner() != nullptr) CollectOps(*e.inner(), ops);
}

TEST(SamplerTest, ExtendedTasksCoverEveryOperatorAndExtension) {
  Sampler sampler(SamplerOptions::Extended(), 2);
  std::set<Op> ops;
  int switches = 0, multi_column = 0, non_ascii = 0, long_consts = 0, titles = 0, composed = 0;
  for (int i = 0; i < kTasks; ++i) {
    SampledTask t = sampler.Next();
    ASSERT_TRUE(Validate(t.program).ok()) << t.program.ToString();
    for (size_t r = 0; r < t.inputs.size(); ++r) {
      ASSERT_EQ(Evaluate(t.program, t.inputs[r]), t.outputs[r]) << t.program.ToString();
      non_ascii += !IsAscii(t.inputs[r][0]);
    }
    switches += t.program.is_switch();
    multi_column += t.inputs[0].size() > 1;
    for (const Branch& b : t.program.branches()) {
      for (const Expr& e : b.body) {
        CollectOps(e, &ops);
        composed += e.inner() != nullptr;
        long_consts += e.op() == Op::kConstStr && CountChars(e.arg(0).text()) > 1;
        titles += e.op() == Op::kToCase && e.arg(0).case_value() == Case::kTitle;
      }
    }
  }
  EXPECT_EQ(ops.size(), static_cast<size_t>(kNumOps));
  EXPECT_GT(switches, 0);
  EXPECT_GT(multi_column, 0);
  EXPECT_GT(non_ascii, 0);
  EXPECT_GT(long_consts, 0);
  EXPECT_GT(titles, 0);
  EXPECT_GT(composed, 0);
}

TEST(SamplerTest, SampleInputsGivesTheAskedShape) {
  Sampler sampler(SamplerOptions::RobustFill(), 3);
  std::vector<Row> rows = sampler.SampleInputs(6, 3);
  ASSERT_EQ(rows.size(), 6u);
  for (const Row& row : rows) {
    ASSERT_EQ(row.size(), 3u);
    for (const std::string& cell : row) EXPECT_FALSE(cell.empty());
  }
}

}  // namespace
}  // namespace flashsynth::dsl
