#include "neural/robustfill/proposer.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <thread>

#include "dsl/interpreter.h"
#include "dsl/parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "neural/robustfill/trainer.h"

namespace flashsynth::neural {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace fs = std::filesystem;

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

constexpr int kTrainSteps = 150;  // about 3 s on one thread

// A tiny model trained for a few seconds on one- and two-expression programs
// over short inputs: far from useful, but its beam search finds programs for
// easy tasks. Trained once per test program.
const std::string& TinyModelBytes() {
  static const std::string* bytes = [] {
    SetNumThreads(1);
    TrainerOptions o;
    o.model.embedding_size = 16;
    o.model.hidden_size = 32;
    o.model.max_columns = 2;
    o.model.max_chars = 40;
    o.sampler.max_expressions = 2;
    o.sampler.max_input_length = 12;
    o.batch_size = 16;
    o.optimizer.learning_rate = 5e-3;
    o.eval_tasks = 0;
    o.seed = 5;
    std::unique_ptr<Trainer> t = *Trainer::Create(o);
    for (int i = 0; i < kTrainSteps; ++i) {
      absl::StatusOr<StepStats> s = t->Step();
      if (!s.ok()) ADD_FAILURE() << s.status();
    }
    return new std::string(*t->model().Save());
  }();
  return *bytes;
}

// A file that is removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    path_ = (fs::temp_directory_path() /
             ("proposer_test_" + std::to_string(getpid()) + "_" + std::to_string(counter_++) + ".fsnn"))
                .string();
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

// The model file at `path`, as the tools load it (the library reads no files).
absl::StatusOr<std::unique_ptr<NeuralProposer>> LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return NeuralProposer::FromBytes(bytes.str(), path);
}

std::unique_ptr<NeuralProposer> LoadTiny() {
  TempFile file(TinyModelBytes());
  absl::StatusOr<std::unique_ptr<NeuralProposer>> p = LoadFile(file.path());
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::move(*p) : nullptr;
}

// Easy tasks (one or two expressions) and tasks sampled like the training data.
std::vector<IoExamples> Tasks() {
  std::vector<IoExamples> tasks = {
      {{{"Ada Lovelace"}, {"Alan Turing"}, {"Grace Hopper"}}, {"Lovelace", "Turing", "Hopper"}},
      {{{"abc"}, {"de"}, {"fghi"}}, {"abc", "de", "fghi"}},
      {{{"ab 12"}, {"cd 345"}, {"x 6"}}, {"12", "345", "6"}},
      {{{"hello"}, {"World"}}, {"HELLO", "WORLD"}},
  };
  dsl::SamplerOptions options;
  options.max_expressions = 2;
  options.max_input_length = 12;
  dsl::Sampler sampler(options, 99);
  for (int i = 0; i < 12; ++i) {
    dsl::SampledTask t = sampler.Next();
    tasks.push_back({t.inputs, t.outputs});
  }
  return tasks;
}

bool Reproduces(const dsl::Program& p, const IoExamples& task) {
  for (size_t j = 0; j < task.inputs.size(); ++j) {
    if (dsl::Evaluate(p, task.inputs[j]) != task.outputs[j]) return false;
  }
  return true;
}

class ProposerTest : public ::testing::Test {
 protected:
  void SetUp() override { SetNumThreads(1); }
};

TEST_F(ProposerTest, ReturnsOnlyConsistentProgramsBestFirstWithTheirScores) {
  std::unique_ptr<NeuralProposer> p = LoadTiny();
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(p->Describe(), HasSubstr("E=16 H=32"));
  EXPECT_EQ(p->max_columns(), 2);
  ProposeOptions options;
  options.beam_size = 32;
  options.max_programs = 5;
  int solved = 0;
  for (const IoExamples& task : Tasks()) {
    absl::StatusOr<Proposals> found = p->Propose(task, options);
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_LE(found->programs.size(), 5u);
    EXPECT_GT(found->decoder_steps, 0);
    EXPECT_FALSE(found->timed_out);
    solved += !found->programs.empty();
    for (size_t i = 0; i < found->programs.size(); ++i) {
      const Proposal& c = found->programs[i];
      EXPECT_TRUE(Reproduces(c.program, task)) << c.program.ToString();
      EXPECT_LE(c.log_likelihood, 0);
      if (i > 0) EXPECT_LE(c.log_likelihood, found->programs[i - 1].log_likelihood);
      for (size_t k = 0; k < i; ++k) EXPECT_NE(c.program, found->programs[k].program);
      absl::StatusOr<double> score = p->ScoreProgram(task, c.program);
      ASSERT_TRUE(score.ok()) << score.status();
      EXPECT_NEAR(*score, c.log_likelihood, 1e-3) << c.program.ToString();
    }
  }
  // Not a quality bar, only that the checks above checked something.
  std::cout << "solved " << solved << " of " << Tasks().size() << " tasks\n";
  EXPECT_GE(solved, 2);
}

TEST_F(ProposerTest, ScoresManyProgramsAtOnceAndRefusesNone) {
  std::unique_ptr<NeuralProposer> p = LoadTiny();
  ASSERT_NE(p, nullptr);
  const IoExamples task = Tasks()[0];
  const std::vector<dsl::Program> programs = {
      *dsl::Parse("Concat(GetToken(Word, -1))"),
      *dsl::Parse(R"(Concat(GetFrom(" ")))"),
      *dsl::Parse(R"(Concat(ConstStr("x"), SubStr(1, 3)))"),
      *dsl::Parse("Concat(SubStr(x3, 1, 2))"),  // column 3: past this model's 2
  };
  absl::StatusOr<std::vector<double>> scores = p->ScorePrograms(task, programs);
  ASSERT_TRUE(scores.ok()) << scores.status();
  ASSERT_EQ(scores->size(), 4u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(std::isfinite((*scores)[i]));
    EXPECT_LT((*scores)[i], 0);
    EXPECT_NEAR((*scores)[i], *p->ScoreProgram(task, programs[i]), 1e-3);
  }
  EXPECT_EQ((*scores)[3], -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(p->ScorePrograms(task, {})->empty());
  // The model may read fewer examples; the score changes, stays finite.
  absl::StatusOr<double> one = p->ScoreProgram(task, programs[0], /*model_examples=*/1);
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(std::isfinite(*one));
}

TEST_F(ProposerTest, CopesWithNonAsciiAndLongInputs) {
  std::unique_ptr<NeuralProposer> p = LoadTiny();
  ASSERT_NE(p, nullptr);
  const std::string long_cell = std::string(5000, 'a') + " " + std::string(3000, 'B');
  const IoExamples task{{{"Zoë Ångström"}, {"Łukasz 東京"}, {long_cell}},
                        {"Ångström", "東京", std::string(3000, 'B')}};
  ProposeOptions options;
  options.beam_size = 16;
  absl::StatusOr<Proposals> found = p->Propose(task, options);
  ASSERT_TRUE(found.ok()) << found.status();
  for (const Proposal& c : found->programs) EXPECT_TRUE(Reproduces(c.program, task));
  EXPECT_TRUE(p->ScoreProgram(task, *dsl::Parse("Concat(GetToken(Word, -1))")).ok());
  // Invalid UTF-8 is data too.
  const IoExamples bad{{{"\xff\xfe ab"}}, {"ab"}};
  EXPECT_TRUE(p->Propose(bad, options).ok());
}

TEST_F(ProposerTest, StopsAtTheDeadlineAndOnCancel) {
  std::unique_ptr<NeuralProposer> p = LoadTiny();
  ASSERT_NE(p, nullptr);
  ProposeOptions options;
  options.deadline = absl::Now() - absl::Seconds(1);
  absl::StatusOr<Proposals> found = p->Propose(Tasks()[0], options);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(found->timed_out);
  EXPECT_TRUE(found->programs.empty());
  std::atomic<bool> cancel{true};
  options.deadline = absl::InfiniteFuture();
  options.cancel = &cancel;
  EXPECT_EQ(p->Propose(Tasks()[0], options).status().code(), absl::StatusCode::kCancelled);
}

TEST_F(ProposerTest, RefusesBadTasksAndOptions) {
  std::unique_ptr<NeuralProposer> p = LoadTiny();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->Propose(IoExamples{}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p->Propose(IoExamples{{{"a"}}, {}}).status().code(), absl::StatusCode::kInvalidArgument);
  ProposeOptions options;
  options.beam_size = 0;
  EXPECT_EQ(p->Propose(Tasks()[0], options).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(p->ScoreProgram(IoExamples{}, *dsl::Parse("Concat(SubStr(1, 2))")).ok());
}

TEST_F(ProposerTest, IsSafeToShareBetweenThreads) {
  std::unique_ptr<NeuralProposer> p = LoadTiny();
  ASSERT_NE(p, nullptr);
  const IoExamples task = Tasks()[1];
  ProposeOptions options;
  options.beam_size = 8;
  const absl::StatusOr<Proposals> alone = p->Propose(task, options);
  ASSERT_TRUE(alone.ok());
  std::vector<std::thread> threads;
  std::vector<absl::StatusOr<Proposals>> results(3, absl::UnknownError(""));
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = p->Propose(task, options); });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->programs.size(), alone->programs.size());
    for (size_t k = 0; k < r->programs.size(); ++k) {
      EXPECT_EQ(r->programs[k].program, alone->programs[k].program);
    }
  }
}

TEST(ProposerFileTest, CorruptAndTruncatedFilesGiveErrorsNamingTheFile) {
  TempFile garbage("this is not a model\n");
  absl::StatusOr<std::unique_ptr<NeuralProposer>> p = LoadFile(garbage.path());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Msg(p.status()), StartsWith(garbage.path() + ": "));

  const std::string& bytes = TinyModelBytes();
  TempFile truncated(bytes.substr(0, bytes.size() - 100));
  p = LoadFile(truncated.path());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(Msg(p.status()), StartsWith(truncated.path() + ": "));
  EXPECT_THAT(Msg(p.status()), HasSubstr("truncated"));

  std::string flipped = bytes;
  flipped[flipped.size() - 10] ^= 0x55;
  TempFile corrupt(flipped);
  p = LoadFile(corrupt.path());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(Msg(p.status()), StartsWith(corrupt.path() + ": "));

  // From bytes, the given name leads.
  p = NeuralProposer::FromBytes("", "models/empty.fsnn");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(Msg(p.status()), StartsWith("models/empty.fsnn: "));
}

// The model shipped with flashsynth (neural/models/robustfill.fsnn, see
// neural/README.md). Skipped until one is committed.
TEST(ShippedModelTest, SolvesASimpleTask) {
  const std::string path = FLASHSYNTH_SHIPPED_MODEL;
  if (!fs::exists(path)) GTEST_SKIP() << "no shipped model at " << path;
  SetNumThreads(1);
  absl::StatusOr<std::unique_ptr<NeuralProposer>> p = LoadFile(path);
  ASSERT_TRUE(p.ok()) << p.status();
  const IoExamples task{{{"Ada Lovelace"}, {"Alan Turing"}, {"Grace Hopper"}, {"Edsger Dijkstra"}},
                        {"Lovelace", "Turing", "Hopper", "Dijkstra"}};
  ProposeOptions options;
  options.beam_size = 100;
  absl::StatusOr<Proposals> found = (*p)->Propose(task, options);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_FALSE(found->programs.empty());
  EXPECT_EQ(dsl::Evaluate(found->programs[0].program, {"Barbara Liskov"}), "Liskov")
      << found->programs[0].program.ToString();
}

}  // namespace
}  // namespace flashsynth::neural
