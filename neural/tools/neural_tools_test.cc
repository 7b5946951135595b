// flashsynth-make-evalset, flashsynth-neural-eval (robustfill and
// neural-gpu) and flashsynth-train (every model kind through its one loop),
// end to end, on tiny models (the numbers do not matter, the plumbing does).
#include <filesystem>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "io/testing/run_command.h"
#include "io/testing/scratch_dir.h"
#include "neural/device.h"
#include "neural/robustfill/robustfill_model.h"
#include "nlohmann/json.hpp"

namespace flashsynth::neural {
namespace {

using ::testing::HasSubstr;

namespace fs = std::filesystem;

using io::CommandResult;
using io::ReadWholeFile;
using io::RunCommand;

// flashsynth-neural-eval KIND ARGS.
std::string Eval(const std::string& kind, const std::string& args) {
  return std::string(EVAL_BIN) + " " + kind + " " + args;
}

class ToolsTest : public ::testing::Test {
 protected:
  std::string WriteTinyModel() {
    SetNumThreads(1);
    ModelConfig c;
    c.embedding_size = 8;
    c.hidden_size = 16;
    std::unique_ptr<RobustFillModel> m = *RobustFillModel::Create(c, 1);
    return dir_.Write("tiny.fsnn", *m->Save());
  }

  io::ScratchDir dir_{"neural_tools_test"};
};

TEST_F(ToolsTest, MakeEvalsetIsDeterministicAndRefusesToMixSets) {
  const std::string a = (dir_ / "a").string(), b = (dir_ / "b").string();
  CommandResult r = RunCommand(std::string(MAKE_EVALSET_BIN) + " --out " + a + " --tasks 5 --seed 7");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunCommand(std::string(MAKE_EVALSET_BIN) + " --out " + b + " --tasks 3 --seed 7");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"0000.csv", "0001.csv", "0002.csv", "0002.json"}) {
    EXPECT_EQ(ReadWholeFile(fs::path(a) / name), ReadWholeFile(fs::path(b) / name)) << name;
  }
  EXPECT_TRUE(fs::exists(fs::path(a) / "0004.csv"));
  EXPECT_FALSE(fs::exists(fs::path(b) / "0003.csv"));
  const nlohmann::json manifest = nlohmann::json::parse(ReadWholeFile(fs::path(a) / "manifest.json"));
  EXPECT_EQ(manifest["tasks"], 5);
  EXPECT_EQ(manifest["observed"], 4);
  EXPECT_EQ(manifest["held_out"], 6);
  // Header and 10 rows.
  std::istringstream csv(ReadWholeFile(fs::path(a) / "0000.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line.rfind("in1", 0), 0u) << line;
  r = RunCommand(std::string(MAKE_EVALSET_BIN) + " --out " + a + " --tasks 2 --seed 8");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("--force"));
}

TEST_F(ToolsTest, NeuralEvalReportsRatesLatencyAndBadTasks) {
  const std::string set = (dir_ / "set").string();
  CommandResult r = RunCommand(std::string(MAKE_EVALSET_BIN) + " --out " + set + " --tasks 2 --seed 7 --max-expressions 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // A malformed task, a non-ASCII one and an over-long one join the set.
  dir_.Write("set/0002.csv", "in1,output\n\"open,x\n");
  dir_.Write("set/0003.csv", "in1,output\nZoë Ångström,Ångström\n東京 x,x\nAl Bo,Bo\nEd Fa,Fa\nCy Di,Di\n");
  dir_.Write("set/0004.csv", "in1,output\n" + std::string(20000, 'a') + " b,b\nc d,d\n");
  const std::string model = WriteTinyModel();
  const std::string json = (dir_ / "report.json").string();
  r = RunCommand(Eval("robustfill", "--model " + model + " --eval-set " + set +
                                    " --beam 3 --threads 1 --jobs 2 --json " + json));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("beam    3: found a consistent program for"));
  EXPECT_THAT(r.out, HasSubstr("generalizes on"));
  EXPECT_THAT(r.err, HasSubstr("0002: line"));  // the malformed task is named
  EXPECT_THAT(r.err, HasSubstr("beam 3: 5/5 tasks, "));  // the progress line ends at the total
  const nlohmann::json report = nlohmann::json::parse(ReadWholeFile(json));
  EXPECT_EQ(report["mode"], "eval-set");
  EXPECT_EQ(report["tasks"], 5);
  ASSERT_EQ(report["results"].size(), 1u);
  const nlohmann::json& beam = report["results"][0];
  EXPECT_EQ(beam["beam"], 3);
  EXPECT_EQ(beam["errors"], 1);
  EXPECT_EQ(beam["per_task"].size(), 5u);
  EXPECT_TRUE(beam["seconds"].contains("median"));
  EXPECT_TRUE(beam["seconds"].contains("p90"));
  EXPECT_TRUE(beam.contains("generalization_rate"));
  EXPECT_EQ(report["tool"], "flashsynth-neural-eval");
  EXPECT_THAT(report["command"].get<std::string>(), HasSubstr("flashsynth-neural-eval robustfill --model "));
  EXPECT_EQ(beam["per_task"][3]["held_out"], 1);  // 5 rows: 4 observed, 1 held out

  // --conformance: every row observed, two beams by default; --limit.
  r = RunCommand(Eval("robustfill", "--model " + model + " --conformance " + set +
                                    " --observed 100 --limit 2 --beam 2 --beam 4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 tasks"));
  EXPECT_THAT(r.out, HasSubstr("beam    2:"));
  EXPECT_THAT(r.out, HasSubstr("beam    4:"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("generalizes")));
}

TEST_F(ToolsTest, NeuralEvalNamesAMissingOrCorruptModel) {
  const std::string set = (dir_ / "set").string();
  ASSERT_EQ(RunCommand(std::string(MAKE_EVALSET_BIN) + " --out " + set + " --tasks 1").exit_code, 0);
  const std::string missing = (dir_ / "missing.fsnn").string();
  CommandResult r = RunCommand(Eval("robustfill", "--model " + missing + " --eval-set " + set));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("flashsynth-neural-eval robustfill: " + missing + ": cannot open"));
  const std::string corrupt = dir_.Write("corrupt.fsnn", "flashsynth-neural 1\nkind model\n");
  r = RunCommand(Eval("robustfill", "--model " + corrupt + " --eval-set " + set));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(corrupt + ": "));
  r = RunCommand(Eval("robustfill", "--model " + corrupt));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("give --conformance DIR or --eval-set DIR"));
}

// Bad usage is exit status 2, with a word on what to do; --help is 0.
TEST_F(ToolsTest, NeuralEvalRefusesBadUsage) {
  struct Case {
    const char* args;
    int exit_code;
    const char* err;
  };
  const Case cases[] = {
      {"", 2, "name the kind first"},
      {"--model m.fsnn --eval-set x", 2, "name the kind first"},
      {"nope --model m.fsnn", 2, "name the kind first"},
      {"robustfill --model m.fsnn --eval-set x --beam 0", 2, "--beam"},
      {"robustfill --model m.fsnn --eval-set x --jobs abc", 2, "--jobs"},
      {"robustfill --model m.fsnn --eval-set x --conformance y", 2, "excludes"},
      {"neural-gpu --model m.fsnn", 2, "--bits"},
      {"neural-gpu --model m.fsnn --bits 4 --examples -1", 2, "--examples"},
      {"induction --model m.fsnn", 2, "--tasks"},
      {"induction --model m.fsnn --tasks x --beam 0", 2, "--beam"},
      {"--help", 0, ""},
      {"robustfill --help", 0, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    const CommandResult r = RunCommand(std::string(EVAL_BIN) + " " + c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.err));
  }
  EXPECT_THAT(RunCommand(std::string(EVAL_BIN) + " --help").out,
              ::testing::AllOf(HasSubstr("robustfill"), HasSubstr("neural-gpu"), HasSubstr("induction")));
}

// flashsynth-train's loop drives every kind: checkpoint, resume, --keep-best,
// a model the evaluation tool reads; and refuses flags of the wrong kind.
TEST_F(ToolsTest, TrainTrainsEveryKindThroughOneLoop) {
  const std::string train = std::string(TRAIN_BIN) + " --threads 1 --log-every 1";
  const std::string ckpt = (dir_ / "copy.ckpt").string();
  const std::string model = (dir_ / "copy.fsnn").string();
  const std::string gpu = " neural-gpu --task copy --maps 8 --relax-sets 2 --max-bits 4"
                          " --eval-bits 4 --eval-bits 8 --eval-examples 4";
  CommandResult r = RunCommand(train + " --steps 4 --eval-every 2 --checkpoint " + ckpt + " --save-model " +
                    model + " --keep-best seq-acc@8" + gpu);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("neural-gpu copy m=8"));
  EXPECT_THAT(r.err, HasSubstr("step 4/4"));
  EXPECT_THAT(r.err, HasSubstr("kept the model of step"));
  ASSERT_TRUE(fs::exists(ckpt));
  ASSERT_TRUE(fs::exists(model));
  r = RunCommand(train + " --steps 6 --eval-every 0 --resume --checkpoint " + ckpt + gpu);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("resumed " + ckpt + " at step 4"));
  EXPECT_THAT(r.err, HasSubstr("step 6/6"));

  const std::string json = (dir_ / "gpu.json").string();
  r = RunCommand(Eval("neural-gpu", "--model " + model + " --bits 4 --bits 8 --examples 5 --hard --json " + json));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("copy @ 8 bits: "));
  const nlohmann::json gpu_report = nlohmann::json::parse(ReadWholeFile(json));
  EXPECT_EQ(gpu_report["lengths"].size(), 2u);
  EXPECT_THAT(gpu_report["command"].get<std::string>(), HasSubstr("flashsynth-neural-eval neural-gpu --model "));
  // --examples-at wants BITS=COUNT; the run stops before any tape.
  r = RunCommand(Eval("neural-gpu", "--model " + model + " --bits 4 --examples-at 4"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("--examples-at wants BITS=COUNT"));

  r = RunCommand(train + " --steps 2 --eval-every 0 --save-model " + (dir_ / "ind.fsnn").string() +
            " induction --embedding 8 --hidden 16 --batch-size 2 --eval-tasks 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("induction lstm-attention E=8 H=16"));
  r = RunCommand(train + " --steps 1 --eval-every 0 --embedding 8 --hidden 16 --batch-size 2"
                    " --eval-tasks 2 --no-decode");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("robustfill attention-c E=8 H=16"));

  // Mistakes: a RobustFill flag given to the Neural GPU, a metric the
  // evaluation lacks, a checkpoint of another kind.
  r = RunCommand(train + " --lr 0.1" + gpu);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--lr is a flag of the RobustFill proposer, not of neural-gpu"));
  r = RunCommand(train + " --steps 1 --eval-every 1 --keep-best nope" + gpu);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("no metric \"nope\" (it has seq-acc@4, seq-acc@8"));
  r = RunCommand(train + " --steps 1 --resume --checkpoint " + ckpt + " induction --embedding 8");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr(ckpt + ": "));
}

}  // namespace
}  // namespace flashsynth::neural
