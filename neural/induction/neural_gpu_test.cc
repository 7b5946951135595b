#include "neural/induction/neural_gpu.h"

#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "neural/induction/induction.h"
#include "neural/internal/container.h"

namespace flashsynth::neural {
namespace {

double Mean(const std::vector<double>& v, size_t from, size_t to) {
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from),
                         v.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
         static_cast<double>(to - from);
}

NeuralGpuTrainOptions TinyOptions(NeuralGpuTask task) {
  NeuralGpuTrainOptions o;
  o.model.task = task;
  o.model.maps = 16;
  o.model.relax_sets = 2;
  o.batch_size = 16;
  o.max_bits = 4;
  o.curriculum_every = 20;
  o.eval_bits = {4, 8};
  o.eval_examples = 16;
  o.optimizer.learning_rate = 3e-3;
  o.seed = 5;
  return o;
}

NeuralGpuTrainOptions TinyStringOptions() {
  NeuralGpuTrainOptions o;
  o.model.task = NeuralGpuTask::kStrings;
  o.model.maps = 16;
  o.model.height = 3;
  o.model.relax_sets = 1;
  o.model.max_chars = 10;
  o.observed = 2;
  o.sampler.max_expressions = 1;
  o.sampler.max_input_length = 6;
  o.batch_size = 8;
  o.eval_examples = 4;
  o.seed = 9;
  return o;
}

class NeuralGpuTest : public ::testing::Test {
 protected:
  void SetUp() override { SetNumThreads(1); }
};

TEST_F(NeuralGpuTest, CountsItsParameters) {
  NeuralGpuConfig c;  // m = 24, 2 layers, 6 sets, badd
  std::unique_ptr<NeuralGpuModel> m = *NeuralGpuModel::Create(c, 1);
  // Per CGRU: gates 3x3x24x48 + 48, candidate 3x3x24x24 + 24; embedding
  // 13 x 24; output 24 x 13 + 13.
  const int64_t cgru = (9 * 24 * 48 + 48) + (9 * 24 * 24 + 24);
  EXPECT_EQ(m->num_parameters(), 6 * 2 * cgru + 13 * 24 + 24 * 13 + 13);
  EXPECT_EQ(m->active_sets(), 6);
  EXPECT_NE(m->Describe().find("neural-gpu badd m=24"), std::string::npos) << m->Describe();
}

TEST_F(NeuralGpuTest, RunsTapesOfAnyLengthTogether) {
  NeuralGpuConfig c;
  c.maps = 8;
  c.relax_sets = 3;
  std::unique_ptr<NeuralGpuModel> m = *NeuralGpuModel::Create(c, 1);
  std::mt19937_64 rng(1);
  std::vector<Tape> tapes = {MakeBinaryTape(c.task, 3, rng), MakeBinaryTape(c.task, 100, rng),
                             MakeBinaryTape(c.task, 3, rng)};
  absl::StatusOr<std::vector<std::vector<int>>> rows = m->Run(tapes, 1);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].size(), 201u);
  EXPECT_EQ((*rows)[0].size(), 7u);
  // The same tape alone or beside others gives the same answer.
  absl::StatusOr<std::vector<std::vector<int>>> alone = m->Run({tapes[2]});
  EXPECT_EQ((*alone)[0], (*rows)[2]);
  Tape wrong_height = tapes[0];
  wrong_height.height = 2;
  EXPECT_EQ(m->Run({wrong_height}).status().code(), absl::StatusCode::kInvalidArgument);
  Tape bad_symbol = tapes[0];
  bad_symbol.symbols[0] = 99;
  EXPECT_EQ(m->Run({bad_symbol}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(NeuralGpuTest, PaddingInABatchDoesNotChangeAnAnswer) {
  NeuralGpuConfig c;
  c.task = NeuralGpuTask::kStrings;
  c.maps = 8;
  c.height = 2;
  c.relax_sets = 1;
  std::unique_ptr<NeuralGpuModel> m = *NeuralGpuModel::Create(c, 2);
  IoExamples observed{{{"abc"}}, {"A"}};
  absl::StatusOr<std::vector<std::string>> both =
      m->PredictOutputs(observed, {{"x"}, {"a much longer query"}});
  absl::StatusOr<std::vector<std::string>> one = m->PredictOutputs(observed, {{"x"}});
  ASSERT_TRUE(both.ok() && one.ok());
  EXPECT_EQ((*both)[0], (*one)[0]);
}

TEST_F(NeuralGpuTest, TheLossFallsOnBinaryAddition) {
  std::unique_ptr<TrainingJob> job = *CreateNeuralGpuJob(TinyOptions(NeuralGpuTask::kBinaryAddition));
  std::vector<double> losses;
  constexpr int kSteps = 60;
  for (int i = 0; i < kSteps; ++i) {
    absl::StatusOr<JobStepStats> s = job->Step();
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(s->step, i + 1);
    EXPECT_EQ(s->items, 16);
    losses.push_back(s->loss);
  }
  const double first = Mean(losses, 0, 5), last = Mean(losses, kSteps - 5, kSteps);
  // The first steps are near ln(13) = 2.56 nats per symbol.
  EXPECT_LT(last, first - 1.0) << "first " << first << ", last " << last;
  absl::StatusOr<JobEvalStats> e = job->Evaluate();
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->metrics[0].first, "seq-acc@4");
  EXPECT_EQ(e->metrics[2].first, "carry-chain@4");
}

TEST_F(NeuralGpuTest, CarryHeavyShareChangesTheTrainingTapesOnly) {
  NeuralGpuTrainOptions o = TinyOptions(NeuralGpuTask::kBinaryAddition);
  NeuralGpuTrainOptions heavy = o;
  heavy.hard_share = 0.5;
  std::unique_ptr<TrainingJob> plain_job = *CreateNeuralGpuJob(o);
  absl::StatusOr<std::unique_ptr<TrainingJob>> heavy_job = CreateNeuralGpuJob(heavy);
  ASSERT_TRUE(heavy_job.ok()) << heavy_job.status();
  // Same weights, same evaluation tapes: the same figures.
  JobEvalStats a = *plain_job->Evaluate(), b = *(*heavy_job)->Evaluate();
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  for (size_t i = 0; i < a.metrics.size(); ++i) {
    EXPECT_EQ(a.metrics[i], b.metrics[i]);
  }
  // Other training tapes: another loss.
  EXPECT_NE(plain_job->Step()->loss, (*heavy_job)->Step()->loss);

  heavy.hard_share = 1.5;
  EXPECT_EQ(CreateNeuralGpuJob(heavy).status().code(), absl::StatusCode::kInvalidArgument);
  NeuralGpuTrainOptions multiply = TinyOptions(NeuralGpuTask::kBinaryMultiplication);
  multiply.hard_share = 0.5;
  EXPECT_EQ(CreateNeuralGpuJob(multiply).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(NeuralGpuTest, LearnsToCopyAndRunsItOnLongerTapes) {
  NeuralGpuTrainOptions o = TinyOptions(NeuralGpuTask::kCopy);
  o.max_bits = 6;
  std::unique_ptr<TrainingJob> job = *CreateNeuralGpuJob(o);
  for (int i = 0; i < 150; ++i) ASSERT_TRUE(job->Step().ok());
  std::unique_ptr<NeuralGpuModel> m = *NeuralGpuModel::Load(*job->SaveModel(), "copy");
  absl::StatusOr<SequenceAccuracy> at12 = EvaluateBinary(*m, 12, 50, 1);
  ASSERT_TRUE(at12.ok()) << at12.status();
  EXPECT_GE(at12->correct, 45) << "copy at 12 bits after training on <= 6";
}

TEST_F(NeuralGpuTest, ResumesExactly) {
  NeuralGpuTrainOptions o = TinyOptions(NeuralGpuTask::kBinaryAddition);
  o.grad_noise = 0.3;  // noise and dropout must repeat too
  std::unique_ptr<TrainingJob> straight = *CreateNeuralGpuJob(o);
  std::unique_ptr<TrainingJob> first = *CreateNeuralGpuJob(o);
  for (int i = 0; i < 25; ++i) {  // past one curriculum check
    ASSERT_TRUE(straight->Step().ok());
    ASSERT_TRUE(first->Step().ok());
  }
  std::string checkpoint = *first->Checkpoint();
  absl::StatusOr<std::unique_ptr<TrainingJob>> resumed = ResumeNeuralGpuJob(o, checkpoint, "run.ckpt");
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ((*resumed)->step(), 25);
  for (int i = 0; i < 3; ++i) {
    JobStepStats a = *straight->Step(), b = *(*resumed)->Step();
    EXPECT_DOUBLE_EQ(a.loss, b.loss) << "step " << a.step;
    EXPECT_EQ(a.note, b.note);
  }
  EXPECT_FALSE(ResumeNeuralGpuJob(o, *straight->SaveModel(), "model.fsnn").ok());
}

TEST_F(NeuralGpuTest, AveragesItsParameterSetsAtTheEndOfTheCurriculum) {
  NeuralGpuTrainOptions o = TinyOptions(NeuralGpuTask::kCopy);
  o.max_bits = 2;
  o.curriculum_start = 1;
  o.curriculum_every = 10;
  o.curriculum_bound = 1.01;  // every check advances
  std::unique_ptr<TrainingJob> job = *CreateNeuralGpuJob(o);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(job->Step().ok());  // 1 -> 2 bits
  EXPECT_NE(job->Describe().find("sets=2/2"), std::string::npos) << job->Describe();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(job->Step().ok());  // past 2 bits
  EXPECT_NE(job->Describe().find("sets=1/2"), std::string::npos) << job->Describe();
  std::unique_ptr<NeuralGpuModel> m = *NeuralGpuModel::Load(*job->SaveModel(), "m");
  EXPECT_EQ(m->active_sets(), 1);
  ASSERT_TRUE(job->Step().ok());
}

TEST_F(NeuralGpuTest, ResumesTheLearningRateDecayAfterTheCurriculum) {
  NeuralGpuTrainOptions o = TinyOptions(NeuralGpuTask::kCopy);
  o.max_bits = 2;
  o.curriculum_start = 1;
  o.curriculum_every = 5;
  o.curriculum_bound = 1.01;  // the curriculum ends at step 10
  o.lr_decay = 0.5;
  std::unique_ptr<TrainingJob> straight = *CreateNeuralGpuJob(o);
  std::unique_ptr<TrainingJob> first = *CreateNeuralGpuJob(o);
  std::vector<std::string> notes;
  for (int i = 0; i < 60; ++i) {
    notes.push_back(straight->Step()->note);
    ASSERT_TRUE(first->Step().ok());
  }
  std::unique_ptr<TrainingJob> resumed = *ResumeNeuralGpuJob(o, *first->Checkpoint(), "c");
  for (int i = 0; i < 20; ++i) {
    JobStepStats a = *straight->Step(), b = *resumed->Step();
    EXPECT_DOUBLE_EQ(a.loss, b.loss) << "step " << a.step;
    EXPECT_EQ(a.note, b.note);
    notes.push_back(a.note);
  }
  // The rate starts at 0.003 and can only shrink.
  EXPECT_NE(notes.front().find("lr=0.003"), std::string::npos) << notes.front();
}

TEST_F(NeuralGpuTest, SavesAndLoads) {
  NeuralGpuConfig c;
  c.maps = 8;
  std::unique_ptr<NeuralGpuModel> m = *NeuralGpuModel::Create(c, 4);
  std::string bytes = *m->Save();
  absl::StatusOr<std::unique_ptr<NeuralGpuModel>> back = NeuralGpuModel::Load(bytes, "m.fsnn");
  ASSERT_TRUE(back.ok()) << back.status();
  std::mt19937_64 rng(2);
  std::vector<Tape> tapes = {MakeBinaryTape(c.task, 9, rng), MakeBinaryTape(c.task, 9, rng)};
  EXPECT_EQ(*m->Run(tapes), *(*back)->Run(tapes));

  auto error = [](std::string_view b) {
    return std::string(NeuralGpuModel::Load(b, "m.fsnn").status().message());
  };
  EXPECT_EQ(error("").rfind("m.fsnn: ", 0), 0u) << error("");
  EXPECT_EQ(error("garbage").rfind("m.fsnn: ", 0), 0u);
  EXPECT_EQ(error(bytes.substr(0, bytes.size() / 2)).rfind("m.fsnn: ", 0), 0u);
  std::string flipped = bytes;
  flipped[flipped.size() - 10] ^= 0x55;
  EXPECT_EQ(error(flipped).rfind("m.fsnn: ", 0), 0u) << error(flipped);
  // Model files of the other families: an induction model, and RobustFill's
  // header, which has no family field.
  InductionConfig induction;
  induction.embedding_size = 4;
  induction.hidden_size = 4;
  const std::string induction_file = *(*InductionModel::Create(induction, 1))->Save();
  EXPECT_EQ(error(induction_file), "m.fsnn: not a Neural GPU file (family \"induction\")");
  const std::string robustfill_file =
      internal::WriteContainer({"model", {{"variant", "attention-c"}}, "weights"});
  EXPECT_EQ(error(robustfill_file), "m.fsnn: not a Neural GPU file (family \"robustfill\")");
}

TEST_F(NeuralGpuTest, TrainsOnStringTasksAndPredicts) {
  std::unique_ptr<TrainingJob> job = *CreateNeuralGpuJob(TinyStringOptions());
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<JobStepStats> s = job->Step();
    ASSERT_TRUE(s.ok()) << s.status();
  }
  ASSERT_TRUE(job->Evaluate().ok());
  std::unique_ptr<NeuralGpuModel> m = *NeuralGpuModel::Load(*job->SaveModel(), "s");
  IoExamples observed{{{"caf\xc3\xa9"}, {"\xff"}}, {"x", std::string(5000, 'y')}};
  absl::StatusOr<std::vector<std::string>> out =
      m->PredictOutputs(observed, {{"a"}, {std::string(5000, 'z')}, {"\xc3\xa9"}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->size(), 3u);
  // Reads up to 2 examples: 1 leaves a row empty, 3 do not fit.
  EXPECT_TRUE(m->PredictOutputs(IoExamples{{{"a"}}, {"b"}}, {{"a"}}).ok());
  EXPECT_EQ(m->PredictOutputs(IoExamples{{{"a"}, {"b"}, {"c"}}, {"A", "B", "C"}}, {{"a"}})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  NeuralGpuConfig binary;
  binary.maps = 4;
  std::unique_ptr<NeuralGpuModel> adder = *NeuralGpuModel::Create(binary, 1);
  EXPECT_EQ(adder->PredictOutputs(observed, {{"a"}}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(NeuralGpuTest, RefusesBadOptions) {
  NeuralGpuTrainOptions o = TinyOptions(NeuralGpuTask::kBinaryAddition);
  o.model.maps = 0;
  EXPECT_FALSE(CreateNeuralGpuJob(o).ok());
  o = TinyStringOptions();
  o.model.height = 4;  // observed + 1 is 3
  EXPECT_FALSE(CreateNeuralGpuJob(o).ok());
  o = TinyOptions(NeuralGpuTask::kBinaryAddition);
  o.dropout = 1.5;
  EXPECT_FALSE(CreateNeuralGpuJob(o).ok());
}

// The bytes of a shipped file; empty when it is absent.
std::string ReadShipped(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream whole;
  whole << in.rdbuf();
  return in ? whole.str() : std::string();
}

// The shipped binary-addition model (neural/models/README.md) adds numbers
// longer than any it was trained on.
TEST(ShippedNeuralGpuTest, AddsLongerNumbersThanItSaw) {
  const std::string path = FLASHSYNTH_SOURCE_DIR "/neural/models/neural-gpu-badd.fsnn";
  const std::string bytes = ReadShipped(path);
  if (bytes.empty()) GTEST_SKIP() << "no shipped model at " << path;
  SetNumThreads(1);
  absl::StatusOr<std::unique_ptr<NeuralGpuModel>> m = NeuralGpuModel::Load(bytes, path);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->config().task, NeuralGpuTask::kBinaryAddition);
  absl::StatusOr<SequenceAccuracy> at40 = EvaluateBinary(**m, 40, 50, /*seed=*/1);
  ASSERT_TRUE(at40.ok()) << at40.status();
  EXPECT_GE(at40->correct, 48) << "of 50 random 40-bit sums";
}

// The shipped multiplication model loads and runs.
TEST(ShippedNeuralGpuTest, TheMultiplicationModelLoads) {
  const std::string path = FLASHSYNTH_SOURCE_DIR "/neural/models/neural-gpu-bmul.fsnn";
  const std::string bytes = ReadShipped(path);
  if (bytes.empty()) GTEST_SKIP() << "no shipped model at " << path;
  SetNumThreads(1);
  absl::StatusOr<std::unique_ptr<NeuralGpuModel>> m = NeuralGpuModel::Load(bytes, path);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->config().task, NeuralGpuTask::kBinaryMultiplication);
  EXPECT_TRUE(EvaluateBinary(**m, 8, 4, /*seed=*/1).ok());
}

// The run's shipped checkpoint, written before the training loop was shared
// (it has no learning_rate field), still resumes where it stopped: step,
// curriculum past 20 bits, one parameter set, the decayed learning rate.
TEST(ShippedNeuralGpuTest, TheShippedCheckpointResumes) {
  const std::string path = FLASHSYNTH_SOURCE_DIR "/neural/models/neural-gpu-badd.ckpt";
  const std::string bytes = ReadShipped(path);
  if (bytes.empty()) GTEST_SKIP() << "no shipped checkpoint at " << path;
  SetNumThreads(1);
  NeuralGpuTrainOptions o;  // the README's command: badd, --max-bits 20, --lr 0.001
  o.optimizer.learning_rate = 0.001;
  o.eval_examples = 4;
  absl::StatusOr<std::unique_ptr<TrainingJob>> job = ResumeNeuralGpuJob(o, bytes, path);
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ((*job)->step(), 13890);
  absl::StatusOr<JobStepStats> s = (*job)->Step();
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->step, 13891);
  EXPECT_LT(s->loss, 0.1) << "a trained model";
  EXPECT_NE(s->note.find("curriculum=20 pull=0.013 sets=1 lr=0.00089"), std::string::npos) << s->note;
  // The checkpoint holds a model too.
  absl::StatusOr<std::unique_ptr<NeuralGpuModel>> m = NeuralGpuModel::Load(bytes, path);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->active_sets(), 1);
}

}  // namespace
}  // namespace flashsynth::neural
