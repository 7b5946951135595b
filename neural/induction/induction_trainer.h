// neural/induction/induction_trainer.h: trains an InductionModel (induction.h) on
// freshly sampled tasks, as a TrainingJob that flashsynth-train drives
// (`flashsynth-train ... induction --architecture pointer ...`).
//
// Every update draws new tasks (RobustFill section 3.3): a program and
// `observed + queries` input rows from dsl::Sampler, outputs by the
// interpreter. The model reads the first `observed` rows as examples and
// writes the outputs of the other `queries` rows; the loss is the
// teacher-forced cross-entropy of those characters (EOS included), in nats
// per character. Tasks the model cannot learn from are redrawn: a row or
// output longer than max_chars, or an output character the model cannot
// write (non-ASCII, unless the pointer network can copy it from its row).
// Adam with global gradient-norm clipping, checkpoints and resuming as every
// training job (training_job.h).
//
// Reproducible: the tasks of update s depend only on (seed, s), so a run
// resumed from Checkpoint() draws the same tasks and, on the same device
// and thread count, computes the same losses as the run it continues.
//
// Example:
//   InductionTrainOptions o;
//   o.model.architecture = InductionArchitecture::kPointer;
//   o.model.embedding_size = 32;
//   o.model.hidden_size = 64;
//   std::unique_ptr<TrainingJob> job = *CreateInductionJob(o);
//   while (job->step() < 1000) job->Step();        // loss, accuracy per character
//   absl::StatusOr<JobEvalStats> e = job->Evaluate();  // loss, char accuracy, exact outputs
//   std::string model = *job->SaveModel();        // InductionModel::Load() reads it
#ifndef FLASHSYNTH_NEURAL_INDUCTION_INDUCTION_TRAINER_H_
#define FLASHSYNTH_NEURAL_INDUCTION_INDUCTION_TRAINER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "dsl/sampler.h"
#include "neural/decoder.h"
#include "neural/device.h"
#include "neural/induction/induction.h"
#include "neural/training_job.h"

namespace flashsynth::neural {

// Draws one task of `rows` example rows (inputs and their outputs) from
// `seed`; must depend on nothing else. For task families outside the DSL
// (tests, copy tasks).
using InductionTaskSource = std::function<IoExamples(uint64_t seed, int rows)>;

struct InductionTrainOptions {
  InductionConfig model;
  // The tasks; num_examples is replaced by observed + queries.
  dsl::SamplerOptions sampler = dsl::SamplerOptions::RobustFill();
  InductionTaskSource task_source;  // empty: dsl::Sampler with `sampler`
  int observed = 4;             // example rows the model reads (RobustFill: 4)
  int queries = 1;              // rows per task whose outputs it writes
  int batch_size = 32;          // tasks per update; batch_size * queries items
  OptimizerOptions optimizer;   // Adam: learning rate 1e-3; clipping at norm 1
  uint64_t seed = 1;            // weights and training tasks
  DeviceKind device = DeviceKind::kCpu;
  int eval_tasks = 100;         // the fixed evaluation set
  uint64_t eval_seed = 0x5eed;  // ... drawn with this seed, apart from training
};

// OK, or kInvalidArgument naming the first option out of range.
absl::Status ValidateInductionTrainOptions(const InductionTrainOptions& options);

// CreateInductionJob()
//
// A new model (seeded with options.seed), its optimizer and the evaluation
// set. Step(): JobStepStats with loss and accuracy per target character,
// items = queries trained on. Evaluate(): on the fixed set, metrics "loss",
// "char_accuracy" and "exact" (share of queries whose greedy output is
// right). ItemName() is "examples". kInvalidArgument for bad options (or
// when tasks are redrawn 100 times in a row: max_chars is too small for the
// sampler's strings), kFailedPrecondition when the device is missing.
absl::StatusOr<std::unique_ptr<TrainingJob>> CreateInductionJob(
    const InductionTrainOptions& options);

// ResumeInductionJob()
//
// Continues the run saved in `checkpoint` (the bytes of a job's
// Checkpoint()). The file's model configuration, seed, step and data
// options (sampler, observed, queries, batch size, evaluation set) replace
// those of `options`; the optimizer options, device and task_source come
// from `options`. Errors name `source_name`, as InductionModel::Load()
// (which also reads the model out of a checkpoint).
absl::StatusOr<std::unique_ptr<TrainingJob>> ResumeInductionJob(
    const InductionTrainOptions& options, std::string_view checkpoint,
    std::string_view source_name);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_INDUCTION_INDUCTION_TRAINER_H_
