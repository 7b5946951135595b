// neural/internal/training_loop.h: the LibTorch half of every TrainingJob
// (neural/training_job.h): the Adam optimizer, the update with global
// gradient-norm clipping, the step count, checkpoints and resuming them.
// A model family derives its job from TorchTrainingJob and supplies its
// model, its batches and loss (TrainingLoss()), its evaluation and its
// checkpoint fields; RobustFill (robustfill/trainer.cc), the Neural GPU
// (induction/neural_gpu.cc) and the induction models
// (induction/induction_trainer.cc) do. Brings in Torch headers.
//
// Example (a family's job):
//   class MyJob : public TorchTrainingJob {
//    public:
//     static absl::StatusOr<std::unique_ptr<MyJob>> New(const MyOptions& o) {
//       auto job = std::make_unique<MyJob>();
//       ... job->model_ = the model, on its device ...
//       FS_RETURN_IF_ERROR(job->StartTraining(*job->model_->net, o.optimizer, o.seed));
//       return job;
//     }
//     absl::StatusOr<BatchLoss> TrainingLoss(uint64_t seed) override {
//       ... draw a batch from `seed`, net->train(), forward ...
//       return BatchLoss{loss, {}, correct, total, items};
//     }
//     void WriteCheckpointFields(std::map<std::string, std::string>* f) const override;
//     ... Describe(), ItemName(), Evaluate(), SaveModel() ...
//   };
//   // Resuming: ReadCheckpoint(), the family's fields and CheckpointSeed()
//   // into its options, New(options), then job->RestoreCheckpoint(c, name).
#ifndef FLASHSYNTH_NEURAL_INTERNAL_TRAINING_LOOP_H_
#define FLASHSYNTH_NEURAL_INTERNAL_TRAINING_LOOP_H_

#include <torch/nn/module.h>
#include <torch/optim/adam.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "neural/device.h"
#include "neural/internal/container.h"
#include "neural/training_job.h"

namespace flashsynth::neural::internal {

// A training batch's loss, as a family computes it.
struct BatchLoss {
  torch::Tensor loss;       // scalar, reported: mean nats per target symbol
  torch::Tensor objective;  // what backward() runs on; undefined: `loss`
  int64_t correct = 0;      // target symbols whose argmax is right
  int64_t total = 0;        // target symbols
  int items = 0;            // training items in the batch (programs, examples, tapes)
};

class TorchTrainingJob : public TrainingJob {
 public:
  // One update: TrainingLoss() of the seed StepSeed(seed, step() + 1),
  // backward, BeforeClip(), clipping to options.clip_norm, Adam's step,
  // AfterUpdate(). kInternal when LibTorch fails or the loss is not finite.
  absl::StatusOr<JobStepStats> Step() final;
  // Weights, optimizer state and the fields of training_job.h's checkpoint.
  absl::StatusOr<std::string> Checkpoint() const final;
  int64_t step() const final { return step_; }

  // Continues checkpoint `c` (of this job's configuration): its step, seed,
  // weights and optimizer state, then the learning rate of the options
  // (ApplyLearningRate()). kInvalidArgument naming `source_name` when a part
  // is missing or does not fit. (The family reads the seed first too, with
  // CheckpointSeed(): its evaluation set and data may depend on it.)
  absl::Status RestoreCheckpoint(const Container& c, std::string_view source_name);

 protected:
  TorchTrainingJob() = default;

  // Starts training `net` (the family's network, on its device; not owned,
  // it must outlive the job) with a fresh Adam. Call once, when the family
  // has built its model. kInvalidArgument for bad options.
  absl::Status StartTraining(torch::nn::Module& net, const OptimizerOptions& options,
                             uint64_t seed);

  // Sets Adam's learning rate to options.learning_rate * LearningRateScale().
  void ApplyLearningRate();

  uint64_t seed() const { return seed_; }
  const OptimizerOptions& optimizer_options() const { return options_; }

  // The family's part.
  //
  // The loss of a fresh training batch drawn from `seed` alone, its network
  // in training mode. May throw c10::Error (Step() catches it).
  virtual absl::StatusOr<BatchLoss> TrainingLoss(uint64_t seed) = 0;
  // Between backward() and clipping (the Neural GPU adds gradient noise);
  // step() is still that of the update before.
  virtual void BeforeClip() {}
  // After an update with a finite loss; step() counts it. May fill
  // stats->note or change the schedule.
  virtual absl::Status AfterUpdate(JobStepStats* /*stats*/) { return absl::OkStatus(); }
  // The header fields the family's resume needs: its model configuration,
  // data options, schedule. Checkpoint() adds step, seed and learning_rate.
  virtual void WriteCheckpointFields(std::map<std::string, std::string>* fields) const = 0;
  // The factor on options.learning_rate (the Neural GPU's decay).
  virtual double LearningRateScale() const { return 1.0; }

 private:
  torch::nn::Module* net_ = nullptr;
  OptimizerOptions options_;
  uint64_t seed_ = 0;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  int64_t step_ = 0;  // updates done
};

// The envelope of a checkpoint: ReadContainer()'s errors, and
// kInvalidArgument "`source_name`: a "<kind>" file, not a checkpoint".
absl::StatusOr<Container> ReadCheckpoint(std::string_view bytes, std::string_view source_name);

// The run's seed in checkpoint `c`; kInvalidArgument naming `source_name`.
absl::StatusOr<uint64_t> CheckpointSeed(const Container& c, std::string_view source_name);

// On kCuda, lets matmuls and cuDNN use TF32 (Ampere and later;
// ../shared/reference/libtorch_notes.md, section 6). Process-wide.
void AllowTf32OnCuda(DeviceKind device);

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_INTERNAL_TRAINING_LOOP_H_
