// flashsynth-neural-eval induction end to end on an untrained tiny model
// (the numbers do not matter, the plumbing does).
#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io/testing/run_command.h"
#include "io/testing/scratch_dir.h"
#include "neural/device.h"
#include "neural/induction/induction.h"
#include "neural/robustfill/robustfill_model.h"
#include "nlohmann/json.hpp"

namespace flashsynth::neural {
namespace {

using ::testing::HasSubstr;

namespace fs = std::filesystem;

using io::CommandResult;
using io::ReadWholeFile;

class InductionToolsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetNumThreads(1);
    fs::create_directories(dir_ / "tasks");
    // Two tasks with held-out rows (one non-ASCII), one without, one malformed.
    dir_.Write("tasks/0000.csv",
               "in1,output\nAda Lovelace,Lovelace\nAlan Turing,Turing\nGrace Hopper,Hopper\n"
               "Edsger Dijkstra,Dijkstra\nBarbara Liskov,Liskov\nAlan Kay,Kay\n");
    dir_.Write("tasks/0001.csv",
               "in1,in2,output\nZoë,Ångström,Ångström\n東京,x,x\nAl,Bo,Bo\nEd,Fa,Fa\nCy,Di,Di\n");
    dir_.Write("tasks/0002.csv", "in1,output\na,A\nb,B\n");
    dir_.Write("tasks/0003.csv", "in1,output\n\"open,x\n");
  }

  std::string WriteTinyModel() {
    InductionConfig c;
    c.architecture = InductionArchitecture::kPointer;
    c.embedding_size = 8;
    c.hidden_size = 16;
    c.max_chars = 20;
    return dir_.Write("tiny.fsnn", *(*InductionModel::Create(c, 1))->Save());
  }

  // Runs flashsynth-neural-eval induction ARGS.
  static io::CommandResult Eval(const std::string& args) {
    return io::RunCommand(std::string(EVAL_BIN) + " induction " + args);
  }

  io::ScratchDir dir_{"induction_tools_test"};
};

TEST_F(InductionToolsTest, ReportsAccuracyLatencyAndBadTasks) {
  const std::string model = WriteTinyModel();
  const std::string json = (dir_ / "report.json").string();
  const std::string tasks = (dir_ / "tasks").string();
  CommandResult r = Eval("--model " + model + " --tasks " + tasks +
                         " --beam 2 --threads 1 --jobs 2 --json " + json);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("induction pointer E=8 H=16"));
  EXPECT_THAT(r.out, HasSubstr("4 tasks, 3 with held-out rows (1 skipped: none held out, or under "
                               "--min-examples rows), 1 could not be run"));
  EXPECT_THAT(r.out, HasSubstr("generalization accuracy"));
  EXPECT_THAT(r.out, HasSubstr("average-example accuracy"));
  EXPECT_THAT(r.out, HasSubstr("per task: median"));
  EXPECT_THAT(r.err, HasSubstr("0003: line"));  // the malformed task is named
  EXPECT_THAT(r.err, HasSubstr("4/4 tasks, "));  // the progress line ends at the total
  const nlohmann::json report = nlohmann::json::parse(ReadWholeFile(json));
  EXPECT_EQ(report["tool"], "flashsynth-induction-eval");  // the report's kind, unchanged
  EXPECT_THAT(report["command"].get<std::string>(), HasSubstr("flashsynth-neural-eval induction --model "));
  EXPECT_EQ(report["beam"], 2);
  EXPECT_EQ(report["observed"], 4);
  const nlohmann::json& s = report["summary"];
  EXPECT_EQ(s["tasks"], 4);
  EXPECT_EQ(s["with_held_out"], 3);
  EXPECT_EQ(s["skipped_without_held_out"], 1);
  EXPECT_EQ(s["errors"], 1);
  EXPECT_TRUE(s["seconds"].contains("median"));
  EXPECT_TRUE(s["seconds"].contains("p90"));
  ASSERT_EQ(report["per_task"].size(), 4u);
  EXPECT_EQ(report["per_task"][0]["held_out"], 2);
  EXPECT_EQ(report["per_task"][0]["rows"].size(), 2u);
  EXPECT_EQ(report["per_task"][0]["rows"][1]["expected"], "Kay");
  EXPECT_EQ(report["per_task"][1]["held_out"], 1);
  EXPECT_TRUE(report["per_task"][3].contains("error"));

  // --observed 1 --limit 1: one task, five held-out rows.
  r = Eval("--model " + model + " --tasks " + tasks + " --observed 1 --limit 1 --beam 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 tasks, 1 with held-out rows"));

  // --min-examples 6, as flashsynth-bench's generalize@3 runs: 0001 (5 rows)
  // and 0002 (2 rows) are skipped; 0003 cannot be read and counts.
  r = Eval("--model " + model + " --tasks " + tasks + " --min-examples 6 --beam 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("4 tasks, 2 with held-out rows (2 skipped"));
}

TEST_F(InductionToolsTest, NamesAMissingFolderOrModelAndRefusesOtherModels) {
  const std::string model = WriteTinyModel();
  const std::string tasks = (dir_ / "tasks").string();
  const std::string missing_dir = (dir_ / "nowhere").string();
  CommandResult r = Eval("--model " + model + " --tasks " + missing_dir);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(missing_dir));
  const std::string missing = (dir_ / "missing.fsnn").string();
  r = Eval("--model " + missing + " --tasks " + tasks);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("flashsynth-neural-eval induction: " + missing + ": cannot open"));
  ModelConfig rf;
  rf.embedding_size = 8;
  rf.hidden_size = 16;
  const std::string robustfill = dir_.Write("rf.fsnn", *(*RobustFillModel::Create(rf, 1))->Save());
  r = Eval("--model " + robustfill + " --tasks " + tasks);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(robustfill + ": "));
  EXPECT_EQ(Eval("--tasks " + tasks).exit_code, 2);  // no --model
  EXPECT_EQ(Eval("--model " + model + " --tasks x --beam 0").exit_code, 2);
  EXPECT_EQ(Eval("--help").exit_code, 0);
}

}  // namespace
}  // namespace flashsynth::neural
