// neural/robustfill/trainer.h: trains a RobustFillModel on freshly sampled tasks.
//
// Every update draws new tasks from the DSL sampler (RobustFill section 3.3:
// no fixed data set): a program and its example inputs from dsl::Sampler,
// outputs by the interpreter, each task keeping a random number of examples
// in [min_examples, max_examples]. Tasks the model cannot learn from are
// skipped (see SkipReason). The loss is the teacher-forced cross-entropy of
// the program tokens; Adam with global gradient-norm clipping, checkpoints
// and resuming as every training job (training_job.h).
//
// Reproducible: the tasks of update s depend only on (seed, s), so a run
// resumed from a Checkpoint() draws the same tasks and, on the same device
// and thread count, computes the same losses as the run it continues.
//
// Example:
//   TrainerOptions options;
//   options.model.hidden_size = 64;
//   std::unique_ptr<Trainer> t = *Trainer::Create(options);
//   for (int i = 0; i < 1000; ++i) {
//     absl::StatusOr<StepStats> s = t->Step();   // s->loss, s->token_accuracy
//   }
//   absl::StatusOr<EvalStats> e = t->Evaluate(EvalOptions());
//   std::string bytes = *t->Checkpoint();         // the caller writes the file
#ifndef FLASHSYNTH_NEURAL_ROBUSTFILL_TRAINER_H_
#define FLASHSYNTH_NEURAL_ROBUSTFILL_TRAINER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dsl/sampler.h"
#include "neural/device.h"
#include "neural/robustfill/robustfill_model.h"
#include "neural/training_job.h"

namespace flashsynth::neural {

struct TrainerOptions {
  ModelConfig model;
  // The tasks; num_examples is replaced by max_examples.
  dsl::SamplerOptions sampler = dsl::SamplerOptions::RobustFill();
  int min_examples = 4;        // examples per task: uniform in [min, max]
  int max_examples = 4;
  int batch_size = 32;         // tasks per update (paper: 128)
  OptimizerOptions optimizer;  // Adam: learning rate 1e-3; clipping at norm 1
  int max_program_tokens = 128;  // longer programs are skipped
  uint64_t seed = 1;           // weights and training tasks
  DeviceKind device = DeviceKind::kCpu;
  int eval_tasks = 100;        // the fixed evaluation set
  uint64_t eval_seed = 0x5eed; // ... drawn with this seed, apart from training
};

// OK, or kInvalidArgument naming the first option out of range.
absl::Status ValidateTrainerOptions(const TrainerOptions& options);

// One update.
struct StepStats {
  int64_t step = 0;            // updates done, this one included
  double loss = 0;             // mean cross-entropy per program token (nats)
  double token_accuracy = 0;   // share of program tokens whose argmax is right
  int programs = 0;            // tasks in the batch
  int skipped = 0;             // sampled tasks skipped to fill it
  double seconds = 0;          // wall time: sampling, forward, backward, update
};

struct EvalOptions {
  bool decode = true;    // also decode each task (greedy, grammar-constrained)
  int beam_size = 1;     // > 1: beam search with execution guidance instead
  int max_tasks = -1;    // first tasks of the set only; -1: all
};

struct EvalStats {
  int tasks = 0;
  double loss = 0;             // teacher-forced, as StepStats
  double token_accuracy = 0;
  double exact_rate = -1;      // decoded program == sampled program; -1 without decoding
  double consistent_rate = -1; // decoded program reproduces every example
  double seconds = 0;
};

class Trainer {
 public:
  // A new model (seeded with options.seed), its optimizer and the evaluation
  // set. kInvalidArgument for bad options, kFailedPrecondition when the
  // device is missing.
  static absl::StatusOr<std::unique_ptr<Trainer>> Create(const TrainerOptions& options);

  // Continues the run saved in `checkpoint` (the bytes of a Checkpoint()):
  // its model configuration, weights, optimizer state, step and seed replace
  // options.model and options.seed; the other options (learning rate, batch
  // size, device, ...) are taken from `options`. Errors name `source_name`,
  // as RobustFillModel::Load(): "run.ckpt: a "model" file, not a
  // checkpoint", "run.ckpt: truncated: ...".
  static absl::StatusOr<std::unique_ptr<Trainer>> Resume(const TrainerOptions& options,
                                                         std::string_view checkpoint,
                                                         std::string_view source_name);

  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // One update on a fresh batch. kInternal when LibTorch fails (e.g. out of
  // GPU memory) or the loss is not finite.
  absl::StatusOr<StepStats> Step();

  // Loss and accuracy on the fixed evaluation set, and with options.decode
  // how often decoding gives back the program or a consistent one. Does not
  // change the model.
  absl::StatusOr<EvalStats> Evaluate(const EvalOptions& options);

  // Model, optimizer state, step and seed, as the bytes of a file that
  // Resume() reads (RobustFillModel::Load() reads its model too).
  absl::StatusOr<std::string> Checkpoint() const;

  int64_t step() const;
  const TrainerOptions& options() const;
  const RobustFillModel& model() const;
  DeviceKind device() const;

 private:
  struct Impl;
  explicit Trainer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The same training as a TrainingJob, for flashsynth-train: Step() reports
// the token accuracy and the programs trained on (items); Evaluate() is
// Trainer::Evaluate(eval) with the metrics "loss", "token_accuracy" and,
// when decoding, "exact" and "consistent". ItemName() is "programs".
// Errors as Trainer::Create() and Trainer::Resume().
absl::StatusOr<std::unique_ptr<TrainingJob>> CreateRobustFillJob(const TrainerOptions& options,
                                                                 const EvalOptions& eval);
absl::StatusOr<std::unique_ptr<TrainingJob>> ResumeRobustFillJob(const TrainerOptions& options,
                                                                 const EvalOptions& eval,
                                                                 std::string_view checkpoint,
                                                                 std::string_view source_name);

// Why a sampled task is not trained on; kNone for a usable one.
enum class SkipReason {
  kNone,
  kEmptyOutputs,     // every output is empty
  kTooLong,          // an input row or output is past ModelConfig::max_chars
  kProgramTooLong,   // more than max_program_tokens tokens
  kNotTokenizable,   // reads a column past ModelConfig::max_columns
};
SkipReason CheckTask(const dsl::SampledTask& task, const ProgramVocab& vocab,
                     const TrainerOptions& options);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_ROBUSTFILL_TRAINER_H_
