#include "neural/robustfill/trainer.h"

#include <numeric>

#include "dsl/parser.h"
#include "gtest/gtest.h"

namespace flashsynth::neural {
namespace {

constexpr int kSteps = 40;    // of the loss-falls test
constexpr int kWindow = 5;    // steps averaged at each end
constexpr double kMinDrop = 1.0;  // nats per token; the first steps are near ln(V) = 6.3

TrainerOptions TinyOptions() {
  TrainerOptions o;
  o.model.embedding_size = 16;
  o.model.hidden_size = 32;
  o.model.max_columns = 2;
  o.model.max_chars = 40;
  o.sampler.max_expressions = 2;
  o.sampler.max_input_length = 12;
  o.batch_size = 8;
  o.optimizer.learning_rate = 5e-3;
  o.eval_tasks = 8;
  o.seed = 11;
  return o;
}

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override { SetNumThreads(1); }
};

double Mean(const std::vector<double>& v, size_t from, size_t to) {
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from),
                         v.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
         static_cast<double>(to - from);
}

TEST_F(TrainerTest, TheLossFallsOnATinyModel) {
  std::unique_ptr<Trainer> t = *Trainer::Create(TinyOptions());
  std::vector<double> losses;
  for (int i = 0; i < kSteps; ++i) {
    absl::StatusOr<StepStats> s = t->Step();
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(s->step, i + 1);
    EXPECT_EQ(s->programs, 8);
    losses.push_back(s->loss);
  }
  const double first = Mean(losses, 0, kWindow);
  const double last = Mean(losses, kSteps - kWindow, kSteps);
  EXPECT_LT(last, first - kMinDrop) << "first " << first << ", last " << last;
}

TEST_F(TrainerTest, EqualSeedsGiveEqualLosses) {
  std::unique_ptr<Trainer> a = *Trainer::Create(TinyOptions());
  std::unique_ptr<Trainer> b = *Trainer::Create(TinyOptions());
  TrainerOptions other = TinyOptions();
  other.seed = 12;
  std::unique_ptr<Trainer> c = *Trainer::Create(other);
  for (int i = 0; i < 2; ++i) {
    const double la = a->Step()->loss;
    EXPECT_DOUBLE_EQ(la, b->Step()->loss);
    EXPECT_NE(la, c->Step()->loss);
  }
}

TEST_F(TrainerTest, ResumingACheckpointGivesTheSameNextLosses) {
  std::unique_ptr<Trainer> a = *Trainer::Create(TinyOptions());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a->Step().ok());
  absl::StatusOr<std::string> checkpoint = a->Checkpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();

  TrainerOptions fresh = TinyOptions();
  fresh.seed = 99;                // replaced by the checkpoint's
  fresh.model.hidden_size = 64;   // likewise
  absl::StatusOr<std::unique_ptr<Trainer>> b = Trainer::Resume(fresh, *checkpoint, "run.ckpt");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ((*b)->step(), 3);
  EXPECT_EQ((*b)->options().seed, 11u);
  EXPECT_EQ((*b)->model().config().hidden_size, 32);
  // The second step also depends on Adam's moments.
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<StepStats> sa = a->Step();
    absl::StatusOr<StepStats> sb = (*b)->Step();
    ASSERT_TRUE(sa.ok() && sb.ok());
    EXPECT_EQ(sa->step, sb->step);
    EXPECT_NEAR(sa->loss, sb->loss, 1e-6);
  }
  // A checkpoint holds a model too.
  absl::StatusOr<std::unique_ptr<RobustFillModel>> m = RobustFillModel::Load(*checkpoint, "run.ckpt");
  ASSERT_TRUE(m.ok()) << m.status();
}

TEST_F(TrainerTest, ResumeRefusesModelsAndDamagedCheckpoints) {
  std::unique_ptr<Trainer> a = *Trainer::Create(TinyOptions());
  const std::string model = *a->model().Save();
  absl::StatusOr<std::unique_ptr<Trainer>> b = Trainer::Resume(TinyOptions(), model, "m.fsnn");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(), "m.fsnn: a \"model\" file, not a checkpoint");
  const std::string checkpoint = *a->Checkpoint();
  b = Trainer::Resume(TinyOptions(), checkpoint.substr(0, checkpoint.size() - 10), "c.ckpt");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("c.ckpt: truncated"), std::string::npos) << b.status();
}

TEST_F(TrainerTest, EvaluationReportsRates) {
  std::unique_ptr<Trainer> t = *Trainer::Create(TinyOptions());
  absl::StatusOr<EvalStats> e = t->Evaluate(EvalOptions());
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->tasks, 8);
  EXPECT_GT(e->loss, 0);
  EXPECT_GE(e->token_accuracy, 0);
  EXPECT_GE(e->exact_rate, 0);
  EXPECT_LE(e->consistent_rate, 1);
  EvalOptions no_decoding;
  no_decoding.decode = false;
  no_decoding.max_tasks = 3;
  e = t->Evaluate(no_decoding);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->tasks, 3);
  EXPECT_EQ(e->exact_rate, -1);
}

TEST(CheckTaskTest, SkipsTasksTheModelCannotLearnFrom) {
  TrainerOptions o = TinyOptions();
  ProgramVocab vocab(o.model.max_columns);
  dsl::SampledTask t{*dsl::Parse("Concat(GetToken(Word, 1))"), {{"ab cd"}}, {"ab"}};
  EXPECT_EQ(CheckTask(t, vocab, o), SkipReason::kNone);
  t.outputs = {""};
  EXPECT_EQ(CheckTask(t, vocab, o), SkipReason::kEmptyOutputs);
  t.outputs = {std::string(41, 'a')};
  EXPECT_EQ(CheckTask(t, vocab, o), SkipReason::kTooLong);
  t = {*dsl::Parse("Concat(Trim(x3))"), {{"a", "b", "c"}}, {"c"}};
  EXPECT_EQ(CheckTask(t, vocab, o), SkipReason::kNotTokenizable);
  o.max_program_tokens = 3;
  t = {*dsl::Parse("Concat(GetToken(Word, 1))"), {{"ab cd"}}, {"ab"}};
  EXPECT_EQ(CheckTask(t, vocab, o), SkipReason::kProgramTooLong);
}

TEST(TrainerOptionsTest, RefusesOptionsOutOfRange) {
  TrainerOptions o = TinyOptions();
  o.min_examples = 5;
  o.max_examples = 4;
  EXPECT_EQ(Trainer::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
  o = TinyOptions();
  o.batch_size = 0;
  EXPECT_FALSE(ValidateTrainerOptions(o).ok());
  o = TinyOptions();
  o.model.max_chars = 2;  // nothing fits
  EXPECT_EQ(Trainer::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace flashsynth::neural
