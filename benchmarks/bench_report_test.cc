#include "benchmarks/bench_report.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace flashsynth::bench {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

TEST(PercentileTest, InterpolatesBetweenClosestRanks) {
  EXPECT_EQ(Percentile({}, 50), std::nullopt);
  EXPECT_THAT(Percentile({7}, 50), Optional(7.0));
  EXPECT_THAT(Percentile({7}, 90), Optional(7.0));
  EXPECT_THAT(Percentile({3, 1, 2}, 50), Optional(2.0));  // unsorted input
  EXPECT_THAT(Percentile({4, 1, 3, 2}, 50), Optional(2.5));
  EXPECT_THAT(Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90), Optional(DoubleNear(9.1, 1e-12)));
  EXPECT_THAT(Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0), Optional(1.0));
  EXPECT_THAT(Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 100), Optional(10.0));
  EXPECT_THAT(Percentile({0.5, 0.1, 2.0}, 90), Optional(DoubleNear(1.7, 1e-12)));
}

TaskRecord Record(std::string name, TaskStatus status, double seconds = 0,
                  std::optional<int> size = std::nullopt, std::string program = "") {
  TaskRecord r;
  r.name = std::move(name);
  r.file = "suite/" + r.name + ".sl";
  r.status = status;
  r.seconds = seconds;
  r.program_size = size;
  if (!program.empty()) r.program = std::move(program);
  return r;
}

std::vector<TaskRecord> SampleRecords() {
  std::vector<TaskRecord> records = {
      Record("phone-1", TaskStatus::kSolved, 0.5, 4, R"(Concat(GetToken(Number, 2)))"),
      Record("phone-2", TaskStatus::kSolved, 1.5, 8, R"(Concat(ConstStr("a|b")))"),
      Record("bikes", TaskStatus::kSolved, 0.25, 6, R"(Concat(ConstStr("`")))"),
      Record("univ_3-long-repeat", TaskStatus::kConflicting, 0.1),
      Record("dr-name", TaskStatus::kNoProgram, 2.0),
      Record("lastname", TaskStatus::kTimeout, 10.0),
      Record("firstname", TaskStatus::kWrong, 0.3, 5, "Concat(x1)"),
      Record("count-words", TaskStatus::kSkipped),
      Record("broken", TaskStatus::kError),
  };
  records[7].reason = "non-string signature (String)->Int";
  records[8].reason = "line 3, column 4: unterminated string literal";
  records[3].reason = "examples 2 and 9 conflict";
  records[3].failure_rows = {3, 10};
  records[0].model_consulted = true;
  records[6].model_consulted = true;
  return records;
}

TEST(SummarizeTest, CountsStatusesAndSolvedStatistics) {
  const Summary s = Summarize(SampleRecords());
  EXPECT_EQ(s.tasks, 9);
  EXPECT_EQ(s.attempted, 7);
  EXPECT_EQ(s.solved, 3);
  EXPECT_EQ(s.conflicting, 1);
  EXPECT_EQ(s.no_program, 1);
  EXPECT_EQ(s.timeout, 1);
  EXPECT_EQ(s.wrong, 1);
  EXPECT_EQ(s.skipped, 1);
  EXPECT_EQ(s.error, 1);
  EXPECT_EQ(s.model_consulted, 2);
  EXPECT_DOUBLE_EQ(s.rate, 3.0 / 7);
  // Only the solved tasks count: times {0.25, 0.5, 1.5}, sizes {4, 6, 8}.
  EXPECT_THAT(s.median_seconds_solved, Optional(0.5));
  EXPECT_THAT(s.p90_seconds_solved, Optional(DoubleNear(1.3, 1e-12)));
  EXPECT_THAT(s.median_program_size, Optional(6.0));
}

TEST(SummarizeTest, NothingSolvedHasNoStatistics) {
  const Summary s = Summarize({Record("a", TaskStatus::kNoProgram), Record("b", TaskStatus::kSkipped)});
  EXPECT_EQ(s.attempted, 1);
  EXPECT_EQ(s.solved, 0);
  EXPECT_EQ(s.rate, 0);
  EXPECT_EQ(s.median_seconds_solved, std::nullopt);
  EXPECT_EQ(s.p90_seconds_solved, std::nullopt);
  EXPECT_EQ(s.median_program_size, std::nullopt);
  EXPECT_EQ(Summarize({}).rate, 0);
}

RunConfig SampleConfig() {
  RunConfig c;
  c.mode = Mode::kConsistent;
  c.timeout_seconds = 10;
  c.jobs = 2;
  c.host_cores = 2;
  c.format = "auto";
  c.paths = {"suite"};
  c.commit = "abc123";
  return c;
}

TEST(ReportToJsonTest, HoldsConfigSummaryAndTasks) {
  const std::vector<TaskRecord> records = SampleRecords();
  const nlohmann::json j = ReportToJson(SampleConfig(), Summarize(records), records);
  EXPECT_EQ(j["config"]["mode"], "consistent");
  EXPECT_EQ(j["config"]["k"], nullptr);  // only meaningful in generalize mode
  EXPECT_EQ(j["config"]["jobs"], 2);
  EXPECT_EQ(j["config"]["commit"], "abc123");
  EXPECT_EQ(j["config"]["list"], nullptr);
  EXPECT_EQ(j["summary"]["tasks"], 9);
  EXPECT_EQ(j["summary"]["attempted"], 7);
  EXPECT_EQ(j["summary"]["solved"], 3);
  EXPECT_EQ(j["summary"]["skipped"], 1);
  EXPECT_EQ(j["summary"]["median_seconds_solved"], 0.5);
  EXPECT_EQ(j["summary"]["median_program_size"], 6.0);
  ASSERT_EQ(j["tasks"].size(), 9u);
  EXPECT_EQ(j["tasks"][0]["name"], "phone-1");
  EXPECT_EQ(j["tasks"][0]["status"], "solved");
  EXPECT_EQ(j["tasks"][0]["program"], "Concat(GetToken(Number, 2))");
  EXPECT_EQ(j["tasks"][0]["program_size"], 4);
  EXPECT_EQ(j["tasks"][3]["failure_rows"], nlohmann::json::array({3, 10}));
  EXPECT_EQ(j["tasks"][4]["status"], "no_program");
  EXPECT_EQ(j["tasks"][4]["program"], nullptr);
  EXPECT_EQ(j["tasks"][7]["reason"], "non-string signature (String)->Int");
  EXPECT_EQ(j["tasks"][8]["status"], "error");
  EXPECT_EQ(j["summary"]["model_consulted"], 2);
  EXPECT_EQ(j["tasks"][0]["model_consulted"], true);
  EXPECT_EQ(j["tasks"][1]["model_consulted"], false);

  const nlohmann::json none = ReportToJson(SampleConfig(), Summarize({}), {});
  EXPECT_EQ(none["summary"]["median_seconds_solved"], nullptr);
  EXPECT_TRUE(none["tasks"].is_array());
}

TEST(ReportToMarkdownTest, HasTheSummaryAndOneRowPerTask) {
  const std::vector<TaskRecord> records = SampleRecords();
  const std::string md = ReportToMarkdown(SampleConfig(), Summarize(records), records);
  EXPECT_THAT(md, HasSubstr("| tasks | 9 |\n"));
  EXPECT_THAT(md, HasSubstr("| attempted | 7 |\n"));
  EXPECT_THAT(md, HasSubstr("| solved | 3 |\n"));
  EXPECT_THAT(md, HasSubstr("| rate (solved / attempted) | 42.9% |\n"));
  EXPECT_THAT(md, HasSubstr("| median time of solved (s) | 0.500 |\n"));
  EXPECT_THAT(md, HasSubstr("| p90 time of solved (s) | 1.300 |\n"));
  EXPECT_THAT(md, HasSubstr("| median program size (nodes) | 6 |\n"));
  EXPECT_THAT(md, HasSubstr("| name | status | time s | size | program |\n"));
  EXPECT_THAT(md, HasSubstr("| phone-1 | solved | 0.50 | 4 | `Concat(GetToken(Number, 2))` |\n"));
  // A pipe in a program is escaped; a backtick gets a longer fence.
  EXPECT_THAT(md, HasSubstr("| phone-2 | solved | 1.50 | 8 | `Concat(ConstStr(\"a\\|b\"))` |\n"));
  EXPECT_THAT(md, HasSubstr("| bikes | solved | 0.25 | 6 | `` Concat(ConstStr(\"`\")) `` |\n"));
  EXPECT_THAT(md, HasSubstr("| dr-name | no_program | 2.00 |  |  |\n"));
  EXPECT_THAT(md, HasSubstr("| univ_3-long-repeat | conflicting: examples 2 and 9 conflict (rows 3, 10) "
                            "| 0.10 |  |  |\n"));
  EXPECT_THAT(md, HasSubstr("| count-words | skipped: non-string signature (String)->Int |  |  |  |\n"));
  EXPECT_THAT(md, HasSubstr("| broken | error: line 3, column 4: unterminated string literal |"));
  EXPECT_THAT(md, HasSubstr("commit `abc123`"));
  EXPECT_THAT(md, Not(HasSubstr("k = ")));
}

TEST(ReportToMarkdownTest, GeneralizeRowsShowHeldOutCounts) {
  RunConfig c = SampleConfig();
  c.mode = Mode::kGeneralize;
  TaskRecord r = Record("phone-1", TaskStatus::kWrong, 0.5, 4, "Concat(x1)");
  r.mode = Mode::kGeneralize;
  r.reason = "held-out row 5: expected \"a\", the program gives \"b\"";
  r.held_out = 3;
  r.held_out_correct = 2;
  r.suspected_typo_row = 2;
  const std::string md = ReportToMarkdown(c, Summarize({r}), {r});
  EXPECT_THAT(md, HasSubstr("(k = 3, at least 6 examples)"));
  EXPECT_THAT(md, HasSubstr("| phone-1 | wrong: held-out row 5: expected \"a\", the program gives "
                            "\"b\" (2/3 held out) (typo? row 2) | 0.50 | 4 | `Concat(x1)` |\n"));
}

TEST(SummaryLineTest, NamesEveryCount) {
  EXPECT_EQ(SummaryLine(Summarize(SampleRecords())),
            "9 tasks, 7 attempted, 3 solved (42.9%), 1 conflicting, 1 no_program, 1 timeout, "
            "1 wrong, 1 skipped, 1 error; the model asked on 2; median 0.500 s per solved task");
  // The symbolic engine never asks the model: no word of it.
  EXPECT_EQ(SummaryLine(Summarize({Record("a", TaskStatus::kNoProgram)})),
            "1 tasks, 1 attempted, 0 solved (0.0%), 0 conflicting, 1 no_program, 0 timeout, "
            "0 wrong, 0 skipped, 0 error");
}

TEST(StatusNameTest, MatchesTheReportVocabulary) {
  EXPECT_EQ(StatusName(TaskStatus::kSolved), "solved");
  EXPECT_EQ(StatusName(TaskStatus::kConflicting), "conflicting");
  EXPECT_EQ(StatusName(TaskStatus::kNoProgram), "no_program");
  EXPECT_EQ(StatusName(TaskStatus::kTimeout), "timeout");
  EXPECT_EQ(StatusName(TaskStatus::kWrong), "wrong");
  EXPECT_EQ(StatusName(TaskStatus::kSkipped), "skipped");
  EXPECT_EQ(StatusName(TaskStatus::kError), "error");
  EXPECT_EQ(ModeName(Mode::kGeneralize), "generalize");
}

}  // namespace
}  // namespace flashsynth::bench
