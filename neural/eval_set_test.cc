#include "neural/eval_set.h"

#include "dsl/parser.h"
#include "dsl/text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace flashsynth::neural {
namespace {

using ::testing::HasSubstr;

constexpr int kTasks = 50;

TEST(EvalSetTest, TasksHaveTenRowsThatTheirProgramReproduces) {
  EvalSetOptions options;
  for (int i = 0; i < kTasks; ++i) {
    absl::StatusOr<EvalTask> t = MakeEvalTask(options, 7, i);
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ(t->index, i);
    ASSERT_EQ(t->inputs.size(), 10u);
    ASSERT_EQ(t->outputs.size(), 10u);
    for (size_t r = 0; r < t->inputs.size(); ++r) {
      EXPECT_EQ(dsl::Evaluate(t->program, t->inputs[r]), t->outputs[r]) << t->program.ToString();
      EXPECT_LE(dsl::CountChars(t->outputs[r]), 100u);
    }
  }
}

TEST(EvalSetTest, TaskIDependsOnlyOnTheSeedAndI) {
  EvalSetOptions options;
  for (int i : {0, 1, 17, 999}) {
    EvalTask a = *MakeEvalTask(options, 7, i);
    EvalTask b = *MakeEvalTask(options, 7, i);
    EXPECT_EQ(a.program, b.program);
    EXPECT_EQ(a.inputs, b.inputs);
    EXPECT_EQ(FormatEvalTaskCsv(a), FormatEvalTaskCsv(b));
  }
  EXPECT_NE(FormatEvalTaskCsv(*MakeEvalTask(options, 7, 3)),
            FormatEvalTaskCsv(*MakeEvalTask(options, 8, 3)));
  EXPECT_NE(FormatEvalTaskCsv(*MakeEvalTask(options, 7, 3)),
            FormatEvalTaskCsv(*MakeEvalTask(options, 7, 4)));
}

TEST(EvalSetTest, CsvReadsBackAsFourObservedAndSixHeldOutRows) {
  EvalSetOptions options;
  options.sampler = dsl::SamplerOptions::Extended();  // several columns, quotes, non-ASCII
  for (int i = 0; i < kTasks; ++i) {
    EvalTask t = *MakeEvalTask(options, 3, i);
    const std::string csv = FormatEvalTaskCsv(t);
    EXPECT_EQ(csv.substr(0, 3), "in1");
    absl::StatusOr<LabeledTask> back = ParseLabeledTaskCsv(csv, EvalTaskName(i), 4);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->name, EvalTaskName(i));
    ASSERT_EQ(back->observed.inputs.size(), 4u);
    ASSERT_EQ(back->held_out.inputs.size(), 6u);
    for (size_t r = 0; r < 10; ++r) {
      const IoExamples& part = r < 4 ? back->observed : back->held_out;
      const size_t k = r < 4 ? r : r - 4;
      dsl::Row row = t.inputs[r];
      row.resize(part.inputs[k].size());  // rows are padded to the widest
      EXPECT_EQ(part.inputs[k], row);
      EXPECT_EQ(part.outputs[k], t.outputs[r]);
    }
  }
}

TEST(EvalSetTest, NamesAndSidecar) {
  EXPECT_EQ(EvalTaskName(7), "0007");
  EXPECT_EQ(EvalTaskName(12345), "12345");
  EvalSetOptions options;
  EvalTask t = *MakeEvalTask(options, 7, 0);
  const std::string json = FormatEvalTaskJson(t, options, 7);
  EXPECT_THAT(json, HasSubstr("\"program\""));
  EXPECT_THAT(json, HasSubstr("\"held_out\": 6"));
}

TEST(EvalSetTest, LabeledTasksObserveAllRowsWhenThereAreFew) {
  absl::StatusOr<LabeledTask> t = ParseLabeledTaskCsv("in1,output\na,A\nb,\n", "t", 4);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->observed.outputs, (std::vector<std::string>{"A", ""}));
  EXPECT_TRUE(t->held_out.inputs.empty());
}

TEST(EvalSetTest, RefusesBadInputWithTheTaskName) {
  absl::StatusOr<LabeledTask> t = ParseLabeledTaskCsv("in1,output\n\"a,A\n", "0042", 4);
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("0042: line"));
  EXPECT_THAT(ParseLabeledTaskCsv("in1,output\n", "empty", 4).status().message(),
              HasSubstr("empty: no example rows"));
  EvalSetOptions bad;
  bad.observed = 0;
  EXPECT_FALSE(MakeEvalTask(bad, 1, 0).ok());
  EXPECT_FALSE(MakeEvalTask(EvalSetOptions(), 1, -1).ok());
}

}  // namespace
}  // namespace flashsynth::neural
