// neural/training_job.h: one training run of any of flashsynth's models, as
// flashsynth-train drives it.
//
// The RobustFill proposer (robustfill/trainer.h), the Neural GPU
// (induction/neural_gpu.h) and the induction baselines
// (induction/induction_trainer.h) train through the same loop: take a step,
// print progress, evaluate every so often, checkpoint, stop on a time limit
// or a signal, save the model. Each model kind implements this interface;
// the loop in tools/train_main.cc knows nothing else about it.
//
// Every kind's update is the same (one implementation,
// internal/training_loop.h): the kind draws a fresh batch from the seed of
// update s, StepSeed(seed, s), and computes its loss; then backward, global
// gradient-norm clipping and an Adam step with the OptimizerOptions below.
// A checkpoint is a container file (internal/container.h) of kind
// "checkpoint": the payload holds the archives "model" (the weights) and
// "optimizer" (Adam's state), the header the fields `step`, `seed` and
// `learning_rate` (for the record) besides the kind's own (its model
// configuration, the data options a resumed run must keep, a schedule). A
// resumed run draws the batches the whole run would have drawn and, on the
// same device and thread count, computes the same losses; it takes the
// learning rate of its options (times the Neural GPU's decay so far), not
// the checkpoint's.
//
// A job is not thread-safe; one thread drives it.
//
// Example:
//   std::unique_ptr<TrainingJob> job = *CreateNeuralGpuJob(options);
//   while (job->step() < 1000) {
//     absl::StatusOr<JobStepStats> s = job->Step();   // s->loss, s->accuracy
//   }
//   absl::StatusOr<JobEvalStats> e = job->Evaluate();  // e->summary
//   std::string checkpoint = *job->Checkpoint();       // the caller writes it
#ifndef FLASHSYNTH_NEURAL_TRAINING_JOB_H_
#define FLASHSYNTH_NEURAL_TRAINING_JOB_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace flashsynth::neural {

// Adam with global gradient-norm clipping, as every kind trains.
struct OptimizerOptions {
  double learning_rate = 1e-3;  // Adam's step size
  double adam_epsilon = 1e-8;   // Adam's epsilon (LibTorch's default; the Neural GPU: 1e-4)
  double clip_norm = 1.0;       // global gradient norm; <= 0: no clipping
};

// OK, or kInvalidArgument "learning_rate must be > 0" / "adam_epsilon must
// be > 0".
absl::Status ValidateOptimizerOptions(const OptimizerOptions& options);

// One update.
struct JobStepStats {
  int64_t step = 0;       // updates done, this one included
  double loss = 0;        // the training loss (nats per target symbol)
  double accuracy = 0;    // share of target symbols whose argmax is right
  int items = 0;          // training items in the update (programs, examples)
  double seconds = 0;     // wall time of the whole update
  std::string note;       // the job's state in a few words ("length 12"); may be empty
};

// An evaluation on the job's fixed held-out data.
struct JobEvalStats {
  std::string summary;                               // one line for the terminal
  std::vector<std::pair<std::string, double>> metrics;  // named figures, in print order
  double seconds = 0;
};

class TrainingJob {
 public:
  virtual ~TrainingJob() = default;

  // The model and where it runs, e.g. "neural-gpu badd m=24: 31444
  // parameters on cpu".
  virtual std::string Describe() const = 0;
  // What one training item is, plural: "programs", "examples".
  virtual std::string ItemName() const = 0;

  // One update. kInternal when LibTorch fails or the loss is not finite.
  virtual absl::StatusOr<JobStepStats> Step() = 0;
  // Does not change the model.
  virtual absl::StatusOr<JobEvalStats> Evaluate() = 0;

  // Model, optimizer state, step and everything else the job needs to go on
  // exactly where it stopped, as the bytes of a file the job's Resume()
  // reads.
  virtual absl::StatusOr<std::string> Checkpoint() const = 0;
  // The trained model alone, as the bytes of a model file.
  virtual absl::StatusOr<std::string> SaveModel() const = 0;

  virtual int64_t step() const = 0;
};

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_TRAINING_JOB_H_
