// neural/induction/neural_gpu.h: the Neural GPU (Kaiser & Sutskever, ICLR 2016;
// ../shared/reference/neural_gpu.md), an induction baseline that learns
// algorithms such as binary addition from examples and, when it learns
// them, runs them on inputs 100 times longer than it saw.
//
// The state is a grid of `height` x n cells of `maps` numbers each (n = the
// tape's length). The tape's symbols are embedded into it (tanh of an
// embedding; padding embeds as zeros), then n steps each apply `layers`
// convolutional GRUs (3 x 3 kernels, "same" padding):
//
//   CGRU(s) = u * s + (1 - u) * tanh(U * (r * s) + B)
//   u = cutoff(U' * s + B'),  r = cutoff(U'' * s + B'')
//   cutoff(x) = clamp(1.2 sigmoid(x) - 0.1, 0, 1)        (section 3.3)
//
// and a linear layer reads row 0 of the final state, one symbol per
// position. Cells past a tape's length are zeroed after every CGRU, so a
// tape padded in a batch behaves as alone.
//
// Parameter-sharing relaxation (section 3.3): `relax_sets` copies of the
// CGRUs, step t using copy t mod relax_sets, pulled together during
// training (NeuralGpuTrainOptions) and averaged into one at the end of the
// curriculum; a trained model usually has one active set.
//
// The header is Torch-free. The model is an OutputPredictor when trained
// on string tasks (neural_gpu_tasks.h, MakeStringTape).
//
// Example:
//   NeuralGpuConfig config;                       // badd, m = 24, 4 rows, 6 sets
//   std::unique_ptr<NeuralGpuModel> m = *NeuralGpuModel::Create(config, /*seed=*/1);
//   std::mt19937_64 rng(7);
//   Tape t = MakeBinaryTape(NeuralGpuTask::kBinaryAddition, 200, rng);
//   std::vector<std::vector<int>> row0 = *m->Run({t});
//   bool right = TapeCorrect(t, row0[0]);
#ifndef FLASHSYNTH_NEURAL_INDUCTION_NEURAL_GPU_H_
#define FLASHSYNTH_NEURAL_INDUCTION_NEURAL_GPU_H_

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "dsl/sampler.h"
#include "neural/device.h"
#include "neural/induction/neural_gpu_tasks.h"
#include "neural/induction/output_predictor.h"
#include "neural/training_job.h"

namespace flashsynth::neural {

struct NeuralGpuConfig {
  NeuralGpuTask task = NeuralGpuTask::kBinaryAddition;
  int maps = 24;         // m: numbers per cell (paper: 24)
  int height = 4;        // w: rows of the grid (paper: 4; string tasks: observed + 1)
  int layers = 2;        // CGRUs per step (paper: 2)
  int relax_sets = 6;    // r: parameter copies (paper: often 6; 1 = no relaxation)
  double cutoff = 1.2;   // the gates' sigmoid scale
  int max_chars = 32;    // string tasks: characters read per row and written
};

// OK, or kInvalidArgument naming the first field out of range.
absl::Status ValidateNeuralGpuConfig(const NeuralGpuConfig& config);

namespace internal {
struct NeuralGpuState;  // the LibTorch side
}

// Not thread-safe for training; Run() and PredictOutputs() serialize
// themselves on a mutex.
class NeuralGpuModel : public OutputPredictor {
 public:
  // A freshly initialized model on the CPU; equal seeds give equal weights.
  static absl::StatusOr<std::unique_ptr<NeuralGpuModel>> Create(const NeuralGpuConfig& config,
                                                                uint64_t seed);
  // Reads the bytes of a file written by Save(). Errors start with
  // `source_name`: kInvalidArgument for another kind of file, a truncated or
  // corrupt one, or weights that do not fit the configuration. Never throws.
  static absl::StatusOr<std::unique_ptr<NeuralGpuModel>> Load(std::string_view bytes,
                                                              std::string_view source_name);
  ~NeuralGpuModel() override;

  absl::StatusOr<std::string> Save() const;

  const NeuralGpuConfig& config() const;
  // Parameter sets in use: relax_sets until the training averages them, then 1.
  int active_sets() const;
  int64_t num_parameters() const;  // of the active sets, plus embedding and output
  absl::StatusOr<DeviceKind> MoveTo(DeviceKind device);
  DeviceKind device() const;

  // The symbol the model writes at each position of each tape's row 0
  // (argmax; no dropout). Tapes of one length run as one batch, at most
  // `batch_size` at a time. kInvalidArgument for a tape whose height is not
  // the model's or whose symbols are out of range; kInternal when LibTorch
  // fails (e.g. out of memory on a very long tape).
  absl::StatusOr<std::vector<std::vector<int>>> Run(absl::Span<const Tape> tapes,
                                                    int batch_size = 32) const;

  // OutputPredictor, for models trained on kStrings (otherwise
  // kFailedPrecondition): each query's string tape, Run(), ReadStringAnswer().
  std::string Describe() const override;
  absl::StatusOr<std::vector<std::string>> PredictOutputs(
      const IoExamples& observed, absl::Span<const dsl::Row> queries) override;

  // For neural/ only (the trainer).
  internal::NeuralGpuState& state() { return *state_; }
  const internal::NeuralGpuState& state() const { return *state_; }

 private:
  explicit NeuralGpuModel(std::unique_ptr<internal::NeuralGpuState> state);
  std::unique_ptr<internal::NeuralGpuState> state_;
};

// ---------------------------------------------------------------------------
// Training (section 3.3 and the authors' code; neural_gpu.md, section 2).
//
// Binary tasks: each update draws `batch_size` fresh random tapes of one
// length d (not the paper's fixed 10k examples per length). Curriculum on
// length: d starts at `curriculum_start` bits; a batch uses, with 20%
// probability, d uniform in [1, max_bits], else d uniform in [1, current]
// (60% of the time the larger of two such draws). Every `curriculum_every`
// updates a fresh batch at the current length is decoded; when under
// `curriculum_bound` of its tapes are wrong, the length grows by one and
// the relaxation pull is multiplied by `pull_factor`. Once the curriculum
// passes max_bits the parameter sets are averaged into one.
//
// Dropout on the whole state at every step, with rate dropout * 8 /
// max(8, n) (the code's length scaling). Gradient noise
// N(0, sigma^2) on every gradient, sigma = grad_noise * sqrt(step^-0.55 *
// max(0, error - 0.02)), error = the share of wrong tapes in the last batch.
// Adam (epsilon 1e-4), global gradient-norm clipping. After the curriculum,
// every `curriculum_every` updates a fresh batch at 2 * max_bits is
// decoded, and when more of it is wrong than of each of the 3 batches
// before, the learning rate is multiplied by `lr_decay` (the authors' code
// does so when its checkpoints' perplexity worsens).
//
// String tasks: tasks from `sampler`, `observed` examples + one query each;
// the curriculum is off.
struct NeuralGpuTrainOptions {
  NeuralGpuConfig model;
  int batch_size = 32;
  OptimizerOptions optimizer{/*learning_rate=*/1e-3, /*adam_epsilon=*/1e-4, /*clip_norm=*/1.0};
  int max_bits = 20;           // d at the end of the curriculum (paper: 20)
  int curriculum_start = 3;
  int curriculum_every = 200;
  double curriculum_bound = 0.15;
  double dropout = 0.15;
  double grad_noise = 0.0;     // the paper's grid: 0.01, 0.3, 1.0 (0: off)
  double pull = 0.0005;        // relaxation pull at the start
  double pull_factor = 1.2;
  double lr_decay = 0.98;      // 1: never
  double hard_share = 0;       // badd: share of training tapes from MakeCarryHeavyTape()
  // String tasks.
  dsl::SamplerOptions sampler = dsl::SamplerOptions::RobustFill();
  int observed = 4;
  // Evaluation: sequence accuracy on `eval_examples` fixed tapes at each of
  // `eval_bits` (binary) or on that many fixed tasks (strings).
  std::vector<int> eval_bits = {20, 40};
  int eval_examples = 64;
  uint64_t seed = 1;
  uint64_t eval_seed = 0x5eed;
  DeviceKind device = DeviceKind::kCpu;
};

absl::Status ValidateNeuralGpuTrainOptions(const NeuralGpuTrainOptions& options);

// A new run, or one that continues a checkpoint written by the job's
// Checkpoint() (the file's model, step, curriculum and seed win over
// `options`; errors name `source_name`).
absl::StatusOr<std::unique_ptr<TrainingJob>> CreateNeuralGpuJob(const NeuralGpuTrainOptions& options);
absl::StatusOr<std::unique_ptr<TrainingJob>> ResumeNeuralGpuJob(const NeuralGpuTrainOptions& options,
                                                               std::string_view checkpoint,
                                                               std::string_view source_name);

// Share of `count` random tapes of d = `bits` that the model gets wholly
// right, drawn with `seed` (binary tasks).
struct SequenceAccuracy {
  int bits = 0;
  int examples = 0;
  int correct = 0;
  double seconds = 0;
};
absl::StatusOr<SequenceAccuracy> EvaluateBinary(const NeuralGpuModel& model, int bits, int count,
                                                uint64_t seed, int batch_size = 32);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_INDUCTION_NEURAL_GPU_H_
