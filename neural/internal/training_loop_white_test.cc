// The training loop every model family's job runs (training_loop.h), on a
// family of one linear layer, and the model-file helpers of
// module_weights.h: seeds per update, clipping, checkpoints that resume
// exactly with the options' learning rate, refusals that name the file.
#include "neural/internal/training_loop.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/modules/linear.h>
#include <torch/types.h>

#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "neural/internal/module_weights.h"
#include "neural/internal/seeds.h"

namespace flashsynth::neural::internal {
namespace {

constexpr int kBatch = 8;          // points per update
constexpr uint64_t kSeed = 3;

// Fits y = 2x + 1 on points drawn from each update's seed.
class LineJob : public TorchTrainingJob {
 public:
  static std::unique_ptr<LineJob> New(const OptimizerOptions& options, uint64_t seed) {
    std::unique_ptr<LineJob> job(new LineJob());
    torch::manual_seed(seed);
    job->net_ = torch::nn::Linear(1, 1);
    EXPECT_TRUE(job->StartTraining(*job->net_, options, seed).ok());
    return job;
  }

  std::string Describe() const override { return "line"; }
  std::string ItemName() const override { return "points"; }
  absl::StatusOr<JobEvalStats> Evaluate() override { return JobEvalStats(); }
  absl::StatusOr<std::string> SaveModel() const override {
    return WriteModelFile(*net_, {{"family", "line"}});
  }

  const std::vector<uint64_t>& seeds() const { return seeds_; }
  torch::nn::Linear& net() { return net_; }
  bool not_finite = false;  // TrainingLoss() returns NaN

 private:
  LineJob() = default;

  absl::StatusOr<BatchLoss> TrainingLoss(uint64_t seed) override {
    seeds_.push_back(seed);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> uniform(-1, 1);
    std::vector<float> xs(kBatch);
    for (float& x : xs) x = uniform(rng);
    const torch::Tensor x = torch::tensor(xs).view({kBatch, 1});
    net_->train();
    torch::Tensor loss = torch::nn::functional::mse_loss(net_->forward(x), 2 * x + 1);
    if (not_finite) loss = loss * std::numeric_limits<double>::quiet_NaN();
    return BatchLoss{loss, {}, 0, kBatch, kBatch};
  }

  void WriteCheckpointFields(std::map<std::string, std::string>* fields) const override {
    (*fields)["family"] = "line";
  }

  torch::nn::Linear net_{nullptr};
  std::vector<uint64_t> seeds_;
};

class TrainingLoopTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::set_num_threads(1); }
};

std::vector<double> Losses(TrainingJob& job, int steps) {
  std::vector<double> losses;
  for (int i = 0; i < steps; ++i) {
    absl::StatusOr<JobStepStats> s = job.Step();
    EXPECT_TRUE(s.ok()) << s.status();
    if (!s.ok()) break;
    losses.push_back(s->loss);
  }
  return losses;
}

// A job resumed from `checkpoint` as a family's Resume*() does it.
std::unique_ptr<LineJob> Resume(const std::string& checkpoint, const OptimizerOptions& options) {
  absl::StatusOr<Container> c = ReadCheckpoint(checkpoint, "run.ckpt");
  EXPECT_TRUE(c.ok()) << c.status();
  absl::StatusOr<uint64_t> seed = CheckpointSeed(*c, "run.ckpt");
  EXPECT_TRUE(seed.ok()) << seed.status();
  std::unique_ptr<LineJob> job = LineJob::New(options, *seed + 1000);  // other weights
  absl::Status restored = job->RestoreCheckpoint(*c, "run.ckpt");
  EXPECT_TRUE(restored.ok()) << restored;
  return job;
}

TEST_F(TrainingLoopTest, EachUpdateDrawsFromItsStepSeedAndTheLossFalls) {
  std::unique_ptr<LineJob> job = LineJob::New(OptimizerOptions{0.05, 1e-8, 1.0}, kSeed);
  const std::vector<double> losses = Losses(*job, 60);
  ASSERT_EQ(losses.size(), 60u);
  EXPECT_EQ(job->step(), 60);
  EXPECT_EQ(job->seeds()[0], StepSeed(kSeed, 1));
  EXPECT_EQ(job->seeds()[59], StepSeed(kSeed, 60));
  EXPECT_LT(losses.back(), losses.front() / 10);
}

TEST_F(TrainingLoopTest, ClipsTheGlobalGradientNorm) {
  std::unique_ptr<LineJob> job = LineJob::New(OptimizerOptions{0.01, 1e-8, 1e-3}, kSeed);
  ASSERT_TRUE(job->Step().ok());
  double squares = 0;
  for (const torch::Tensor& p : job->net()->parameters()) {
    squares += p.grad().pow(2).sum().item<double>();
  }
  EXPECT_LE(std::sqrt(squares), 1e-3 * (1 + 1e-5));
}

TEST_F(TrainingLoopTest, ACheckpointResumesExactlyWithTheOptionsLearningRate) {
  const OptimizerOptions options{0.05, 1e-8, 1.0};
  std::unique_ptr<LineJob> straight = LineJob::New(options, kSeed);
  Losses(*straight, 3);
  absl::StatusOr<std::string> checkpoint = straight->Checkpoint();
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  absl::StatusOr<Container> c = ReadContainer(*checkpoint, "run.ckpt");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->fields.at("step"), "3");
  EXPECT_EQ(c->fields.at("seed"), "3");
  EXPECT_EQ(c->fields.at("learning_rate"), "0.05");
  EXPECT_EQ(c->fields.at("family"), "line");

  std::unique_ptr<LineJob> resumed = Resume(*checkpoint, options);
  OptimizerOptions faster = options;
  faster.learning_rate = 0.5;
  std::unique_ptr<LineJob> other_rate = Resume(*checkpoint, faster);
  EXPECT_EQ(resumed->step(), 3);
  const std::vector<double> want = Losses(*straight, 2);
  EXPECT_EQ(Losses(*resumed, 2), want);  // Adam's moments came back too
  const std::vector<double> other = Losses(*other_rate, 2);
  EXPECT_EQ(other[0], want[0]);  // the weights of step 3
  EXPECT_NE(other[1], want[1]);  // a larger step after it
  EXPECT_EQ(resumed->seeds().back(), StepSeed(kSeed, 5));
}

TEST_F(TrainingLoopTest, ANonFiniteLossIsAnError) {
  std::unique_ptr<LineJob> job = LineJob::New(OptimizerOptions(), kSeed);
  job->not_finite = true;
  absl::StatusOr<JobStepStats> s = job->Step();
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(s.status().message(), "the loss is not finite at step 1");
}

TEST_F(TrainingLoopTest, RefusesBadOptionsAndFilesThatAreNotItsCheckpoints) {
  EXPECT_EQ(ValidateOptimizerOptions(OptimizerOptions{0, 1e-8, 1}).message(),
            "learning_rate must be > 0");
  EXPECT_EQ(ValidateOptimizerOptions(OptimizerOptions{1e-3, 0, 1}).message(),
            "adam_epsilon must be > 0");
  std::unique_ptr<LineJob> job = LineJob::New(OptimizerOptions(), kSeed);
  const std::string model = *job->SaveModel();
  EXPECT_EQ(ReadCheckpoint(model, "m.fsnn").status().message(),
            "m.fsnn: a \"model\" file, not a checkpoint");
  struct Case {
    Container file;
    const char* error;
  };
  const Case kCases[] = {
      {{"checkpoint", {{"step", "-1"}}, ""}, "c.ckpt: bad step"},
      {{"checkpoint", {{"step", "1"}, {"seed", "1"}}, "junk"},
       "c.ckpt: cannot read the checkpoint: "},
      {*ReadContainer(model, "m"), "c.ckpt: the header lacks \"step\""},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.error);
    absl::Status s = job->RestoreCheckpoint(c.file, "c.ckpt");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(s.message()).rfind(c.error, 0), 0u) << s;
  }
  Container no_optimizer = *ReadContainer(model, "m");
  no_optimizer.fields["step"] = "1";
  no_optimizer.fields["seed"] = "1";
  EXPECT_EQ(job->RestoreCheckpoint(no_optimizer, "c.ckpt").message(),
            "c.ckpt: the checkpoint lacks its model or optimizer");
  const Container bad_seed{"checkpoint", {{"seed", "x"}}, ""};
  EXPECT_EQ(CheckpointSeed(bad_seed, "c.ckpt").status().message(), "c.ckpt: bad seed");
}

TEST_F(TrainingLoopTest, ModelFilesRoundTripAndRefuseOtherShapes) {
  std::unique_ptr<LineJob> job = LineJob::New(OptimizerOptions(), kSeed);
  const std::string bytes = *job->SaveModel();
  absl::StatusOr<Container> c = ReadModelContainer(bytes, "m.fsnn");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->fields.at("family"), "line");
  torch::nn::Linear same(1, 1), wider(1, 2);
  EXPECT_EQ(CountParameters(*wider), 4);
  ASSERT_TRUE(ReadModelWeights(*c, *same, "m.fsnn").ok());
  EXPECT_TRUE(torch::equal(same->weight, job->net()->weight));
  EXPECT_EQ(ReadModelWeights(*c, *wider, "m.fsnn").code(), absl::StatusCode::kInvalidArgument);
  const std::string other = WriteContainer(Container{"notes", {}, ""});
  EXPECT_EQ(ReadModelContainer(other, "n").status().message(), "n: a \"notes\" file, not a model");
  EXPECT_EQ(ReadModelWeights(Container{"model", {}, "junk"}, *same, "j").message().rfind(
                "j: cannot read the weights: ", 0),
            0u);
}

}  // namespace
}  // namespace flashsynth::neural::internal
