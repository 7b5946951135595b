// neural/training_job.h: one training run of any of flashsynth's models, as
// flashsynth-train drives it.
//
// The RobustFill proposer (trainer.h), the Neural GPU (neural_gpu.h) and the
// induction baselines (induction.h) train through the same loop: take a
// step, print progress, evaluate every so often, checkpoint, stop on a time
// limit or a signal, save the model. Each model kind implements this
// interface; the loop in train_main.cc knows nothing else about it.
//
// A job is not thread-safe; one thread drives it.
//
// Example:
//   std::unique_ptr<TrainingJob> job = *NeuralGpuJob::Create(options);
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

#include "absl/status/statusor.h"

namespace flashsynth::neural {

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
