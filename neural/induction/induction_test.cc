// The induction baselines: both architectures train (the loss falls),
// resume exactly, round-trip through model files, refuse bad files, survive
// odd input, and the pointer network learns to copy.
#include "neural/induction/induction.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "neural/device.h"
#include "neural/induction/induction_trainer.h"
#include "neural/induction/neural_gpu.h"
#include "neural/induction/output_predictor.h"
#include "neural/internal/container.h"

namespace flashsynth::neural {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class InductionTest : public ::testing::TestWithParam<InductionArchitecture> {
 protected:
  void SetUp() override { SetNumThreads(1); }
};

InductionConfig TinyConfig(InductionArchitecture a) {
  InductionConfig c;
  c.architecture = a;
  c.embedding_size = 16;
  c.hidden_size = 32;
  c.max_chars = 40;
  return c;
}

// Short strings and programs: a step takes milliseconds.
InductionTrainOptions TinyOptions(InductionArchitecture a) {
  InductionTrainOptions o;
  o.model = TinyConfig(a);
  o.sampler.max_expressions = 2;
  o.sampler.max_input_length = 8;
  o.queries = 2;
  o.batch_size = 8;
  o.optimizer.learning_rate = 1e-2;
  o.eval_tasks = 8;
  return o;
}

std::vector<double> TrainLosses(TrainingJob& job, int steps) {
  std::vector<double> losses;
  for (int i = 0; i < steps; ++i) {
    absl::StatusOr<JobStepStats> s = job.Step();
    EXPECT_TRUE(s.ok()) << s.status();
    if (!s.ok()) break;
    losses.push_back(s->loss);
  }
  return losses;
}

double Mean(const std::vector<double>& v, size_t from, size_t to) {
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from),
                         v.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
         static_cast<double>(to - from);
}

IoExamples NamesTask() {
  return IoExamples{{{"Ada Lovelace"}, {"Alan Turing"}, {"Grace Hopper"}, {"Edsger Dijkstra"}},
                    {"Lovelace", "Turing", "Hopper", "Dijkstra"}};
}

std::string WithAFlippedPayloadByte(std::string bytes) {
  bytes[bytes.size() - 10] ^= 0x5a;  // inside the payload
  return bytes;
}

TEST(InductionConfigTest, NamesRoundTripAndBadFieldsAreNamed) {
  for (InductionArchitecture a : {InductionArchitecture::kLstmAttention, InductionArchitecture::kPointer}) {
    EXPECT_EQ(InductionArchitectureByName(InductionArchitectureName(a)), a);
  }
  EXPECT_EQ(InductionArchitectureName(InductionArchitecture::kPointer), "pointer");
  EXPECT_EQ(InductionArchitectureByName("lstm-attention"), InductionArchitecture::kLstmAttention);
  EXPECT_FALSE(InductionArchitectureByName("basic").has_value());
  InductionConfig c;
  EXPECT_TRUE(ValidateInductionConfig(c).ok());
  c.hidden_size = 0;
  EXPECT_THAT(std::string(ValidateInductionConfig(c).message()), HasSubstr("hidden_size"));
  c = InductionConfig();
  c.max_chars = 0;
  EXPECT_THAT(std::string(ValidateInductionConfig(c).message()), HasSubstr("max_chars"));
  InductionTrainOptions o;
  o.queries = 0;
  EXPECT_EQ(CreateInductionJob(o).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(InductionTest, LossFallsWhileTraining) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<TrainingJob>> job = CreateInductionJob(TinyOptions(GetParam()));
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ((*job)->ItemName(), "examples");
  EXPECT_THAT((*job)->Describe(), HasSubstr(std::string(InductionArchitectureName(GetParam()))));
  absl::StatusOr<JobEvalStats> before = (*job)->Evaluate();
  ASSERT_TRUE(before.ok()) << before.status();
  const std::vector<double> losses = TrainLosses(**job, 60);
  ASSERT_EQ(losses.size(), 60u);
  absl::StatusOr<JobEvalStats> after = (*job)->Evaluate();
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->metrics.size(), 3u);
  EXPECT_EQ(after->metrics[0].first, "loss");
  EXPECT_EQ(after->metrics[1].first, "char_accuracy");
  EXPECT_EQ(after->metrics[2].first, "exact");
  EXPECT_THAT(after->summary, HasSubstr("of 16 queries"));
  // Each batch is new and the losses are noisy: a margin over means, and
  // the fixed evaluation set's loss.
  const double first = Mean(losses, 0, 5), last = Mean(losses, 50, 60);
  EXPECT_LT(last, first - 0.25) << "first " << first << ", last " << last;
  EXPECT_LT(after->metrics[0].second, before->metrics[0].second - 0.3)
      << before->summary << " -> " << after->summary;
  std::cerr << InductionArchitectureName(GetParam()) << ": 60 steps and 2 evaluations in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s; step loss " << first << " -> " << last << "; eval " << before->summary
            << " -> " << after->summary << "\n";
}

TEST_P(InductionTest, ResumedRunComputesTheSameNextLoss) {
  InductionTrainOptions o = TinyOptions(GetParam());
  std::unique_ptr<TrainingJob> a = *CreateInductionJob(o);
  TrainLosses(*a, 3);
  absl::StatusOr<std::string> checkpoint = a->Checkpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  const std::vector<double> straight = TrainLosses(*a, 2);

  // The checkpoint's data options win over different ones given on resume.
  InductionTrainOptions other = o;
  other.batch_size = 3;
  other.sampler.max_input_length = 15;
  other.seed = 99;
  absl::StatusOr<std::unique_ptr<TrainingJob>> b = ResumeInductionJob(other, *checkpoint, "run.ckpt");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->step(), 3);
  const std::vector<double> resumed = TrainLosses(**b, 2);
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_NEAR(resumed[0], straight[0], 1e-6);
  EXPECT_NEAR(resumed[1], straight[1], 1e-6);
  EXPECT_EQ((*b)->step(), 5);

  // The model inside a checkpoint loads too; a model file is no checkpoint.
  EXPECT_TRUE(InductionModel::Load(*checkpoint, "run.ckpt").ok());
  absl::StatusOr<std::unique_ptr<TrainingJob>> wrong = ResumeInductionJob(o, *a->SaveModel(), "m.fsnn");
  EXPECT_THAT(std::string(wrong.status().message()), StartsWith("m.fsnn: "));
}

TEST_P(InductionTest, SavedModelPredictsTheSame) {
  std::unique_ptr<TrainingJob> job = *CreateInductionJob(TinyOptions(GetParam()));
  TrainLosses(*job, 5);
  absl::StatusOr<std::string> bytes = job->SaveModel();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<std::unique_ptr<InductionModel>> a = InductionModel::Load(*bytes, "a.fsnn");
  ASSERT_TRUE(a.ok()) << a.status();
  absl::StatusOr<std::unique_ptr<InductionModel>> b = InductionModel::Load(*(*a)->Save(), "b.fsnn");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*a)->Describe(), (*b)->Describe());
  EXPECT_EQ((*a)->config().architecture, GetParam());
  EXPECT_GT((*a)->num_parameters(), 0);
  const std::vector<dsl::Row> queries = {{"Alan Kay"}, {"Barbara Liskov"}, {""}};
  for (int beam : {1, 3}) {
    ASSERT_TRUE((*a)->SetDecodeOptions({beam, 0}).ok());
    ASSERT_TRUE((*b)->SetDecodeOptions({beam, 0}).ok());
    absl::StatusOr<std::vector<std::string>> pa = (*a)->PredictOutputs(NamesTask(), queries);
    absl::StatusOr<std::vector<std::string>> pb = (*b)->PredictOutputs(NamesTask(), queries);
    ASSERT_TRUE(pa.ok()) << pa.status();
    ASSERT_TRUE(pb.ok()) << pb.status();
    ASSERT_EQ(pa->size(), 3u);
    EXPECT_EQ(*pa, *pb);
    for (const std::string& out : *pa) EXPECT_LE(out.size(), 40u);  // max_chars
  }
}

TEST_P(InductionTest, BadModelFilesAreNamed) {
  std::unique_ptr<InductionModel> m = *InductionModel::Create(TinyConfig(GetParam()), 1);
  const std::string bytes = *m->Save();
  EXPECT_THAT(std::string(InductionModel::Load("", "empty.fsnn").status().message()), StartsWith("empty.fsnn: "));
  EXPECT_THAT(std::string(InductionModel::Load("hello, world", "junk.fsnn").status().message()),
              StartsWith("junk.fsnn: "));
  absl::Status truncated = InductionModel::Load(bytes.substr(0, bytes.size() / 2), "cut.fsnn").status();
  EXPECT_EQ(truncated.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(truncated.message()), StartsWith("cut.fsnn: "));
  absl::Status corrupt = InductionModel::Load(WithAFlippedPayloadByte(bytes), "bad.fsnn").status();
  EXPECT_EQ(corrupt.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(corrupt.message()), StartsWith("bad.fsnn: "));
  // Model files of the other families are refused by name.
  NeuralGpuConfig gpu;
  gpu.maps = 4;
  // RobustFill's header has no family field (its files predate the field).
  const internal::Container robustfill{"model", {{"variant", "attention-c"}}, "weights"};
  const struct {
    std::string bytes;
    const char* error;
  } kOtherFamilies[] = {
      {*(*NeuralGpuModel::Create(gpu, 1))->Save(), "m.fsnn: not an induction model (family neural-gpu)"},
      {internal::WriteContainer(robustfill), "m.fsnn: not an induction model (a RobustFill proposer)"},
  };
  for (const auto& other : kOtherFamilies) {
    SCOPED_TRACE(other.error);
    absl::Status s = InductionModel::Load(other.bytes, "m.fsnn").status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(s.message()), other.error);
  }
}

TEST_P(InductionTest, PredictOutputsChecksItsArgumentsAndSurvivesOddText) {
  std::unique_ptr<InductionModel> m = *InductionModel::Create(TinyConfig(GetParam()), 1);
  EXPECT_EQ(m->PredictOutputs(IoExamples(), {{"x"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m->PredictOutputs(IoExamples{{{"a"}}, {}}, {{"x"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(m->PredictOutputs(NamesTask(), {})->empty());
  EXPECT_EQ(m->SetDecodeOptions({0, 0}).code(), absl::StatusCode::kInvalidArgument);

  const std::string invalid = "ab\xff\xfe" "c";
  const std::string long_cell(5000, 'q');
  const IoExamples odd{{{"Zoë Ångström"}, {invalid}, {long_cell}, {"東京", "x", ""}},
                       {"Ångström", invalid, long_cell, "東京"}};
  const std::vector<dsl::Row> queries = {
      {"Ünïcödé 東京"}, {invalid}, {long_cell + "é"}, {}, {"", ""}, {"a", "b", "c"}};
  for (int beam : {1, 3}) {
    ASSERT_TRUE(m->SetDecodeOptions({beam, 0}).ok());
    absl::StatusOr<std::vector<std::string>> out = m->PredictOutputs(odd, queries);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->size(), queries.size());
  }
  ASSERT_TRUE(m->SetDecodeOptions({2, 3}).ok());
  absl::StatusOr<std::vector<std::string>> short_out = m->PredictOutputs(odd, queries);
  ASSERT_TRUE(short_out.ok()) << short_out.status();
  for (const std::string& s : *short_out) EXPECT_LE(s.size(), 3u * 4);  // 3 characters
}

INSTANTIATE_TEST_SUITE_P(Architectures, InductionTest,
                         ::testing::Values(InductionArchitecture::kLstmAttention,
                                           InductionArchitecture::kPointer),
                         [](const ::testing::TestParamInfo<InductionArchitecture>& p) {
                           return p.param == InductionArchitecture::kPointer ? "Pointer"
                                                                                : "LstmAttention";
                         });

// Rows whose output is the input: random lower-case words of 3..6 letters.
IoExamples CopyRows(uint64_t seed, int rows) {
  std::mt19937_64 rng(seed);
  IoExamples t;
  for (int i = 0; i < rows; ++i) {
    std::string w;
    const int n = 3 + static_cast<int>(rng() % 4);
    for (int k = 0; k < n; ++k) w += static_cast<char>('a' + rng() % 26);
    t.inputs.push_back({w});
    t.outputs.push_back(w);
  }
  return t;
}

TEST(InductionPointerTest, LearnsToCopyUnseenAndNonAsciiInput) {
  SetNumThreads(1);
  InductionTrainOptions o;
  o.model = TinyConfig(InductionArchitecture::kPointer);
  o.task_source = CopyRows;
  o.queries = 2;
  o.batch_size = 16;
  o.optimizer.learning_rate = 1e-2;
  o.eval_tasks = 0;
  std::unique_ptr<TrainingJob> job = *CreateInductionJob(o);
  const auto start = std::chrono::steady_clock::now();
  const std::vector<double> losses = TrainLosses(*job, 150);
  std::cerr << "copy: 150 steps in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s, last loss " << losses.back() << "\n";
  std::unique_ptr<InductionModel> m = *InductionModel::Load(*job->SaveModel(), "copy.fsnn");
  const IoExamples observed = CopyRows(12345, 4);
  // "é" and "ß" were never seen: the pointer copies them from the row.
  const std::vector<dsl::Row> queries = {{"xylo"}, {"qwerty"}, {"café"}, {"straße"}};
  absl::StatusOr<std::vector<std::string>> out = m->PredictOutputs(observed, queries);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, (std::vector<std::string>{"xylo", "qwerty", "café", "straße"}));
}

// The shipped string-induction models (neural/models/README.md) load through
// LoadOutputPredictor() and predict; an absent file is passed over.
TEST(ShippedInductionModelsTest, LoadAndPredict) {
  SetNumThreads(1);
  const IoExamples observed{{{"Ada Lovelace"}, {"Alan Turing"}}, {"Lovelace", "Turing"}};
  for (const char* name : {"induction-lstm.fsnn", "induction-pointer.fsnn", "neural-gpu-strings.fsnn"}) {
    const std::string path = std::string(FLASHSYNTH_SOURCE_DIR "/neural/models/") + name;
    SCOPED_TRACE(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "no shipped model at " << path << "\n";
      continue;
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    absl::StatusOr<std::unique_ptr<OutputPredictor>> m = LoadOutputPredictor(bytes.str(), path);
    ASSERT_TRUE(m.ok()) << m.status();
    absl::StatusOr<std::vector<std::string>> out = (*m)->PredictOutputs(observed, {{"Grace Hopper"}});
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->size(), 1u);
  }
}

}  // namespace
}  // namespace flashsynth::neural
