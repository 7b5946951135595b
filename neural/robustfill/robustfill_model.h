// neural/robustfill/robustfill_model.h: RobustFill's program-synthesis network
// (Devlin et al., ICML 2017; ../shared/reference/robustfill.md, section 4).
//
// For each example j of a task, an LSTM reads the input row (columns joined
// by a separator character), a second LSTM reads the output, and a decoder
// LSTM writes program tokens (neural/tokens.h). The examples share weights;
// at every decoder step their states are max-pooled after a tanh layer
// ("late pooling") and one softmax gives the next program token. Variants:
//
//   kBasic       no attention: each LSTM starts from the previous one's final
//                state (the paper's Basic seq2seq)
//   kAttentionA  the output encoder attends to the input, the decoder to the
//                output encoder
//   kAttentionC  bidirectional encoders; the decoder attends to the output
//                encoding, then to the input encoding ("double attention"),
//                the paper's best model
//
// Choices the paper leaves open are those of ../shared/reference/
// libtorch_check/check.cpp: Luong "general" attention whose query is
// [h_{t-1}; x_t]; masked softmax over non-padding positions; the output
// encoder starts from the input encoder's final state and the decoder from
// the output encoder's (for kAttentionC, the two directions' final states
// side by side); kAttentionC's output encoding is its attentional LSTM
// followed by one bidirectional LSTM layer.
//
// The header is Torch-free; LibTorch lives in the .cc files and
// neural/internal/.
//
// Example:
//   ModelConfig config;                 // Attention-C, E = 128, H = 256
//   absl::StatusOr<std::unique_ptr<RobustFillModel>> model =
//       RobustFillModel::Create(config, /*seed=*/1);
//   IoExamples task{{{"Ada Lovelace"}, {"Alan Turing"}}, {"Lovelace", "Turing"}};
//   std::vector<double> ll = *(*model)->LogLikelihoods(
//       {task}, {*dsl::Parse("Concat(GetToken(Word, -1))")});
//   std::string bytes = *(*model)->Save();   // the caller writes the file
#ifndef FLASHSYNTH_NEURAL_ROBUSTFILL_ROBUSTFILL_MODEL_H_
#define FLASHSYNTH_NEURAL_ROBUSTFILL_ROBUSTFILL_MODEL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "dsl/program.h"
#include "neural/decoder.h"
#include "neural/device.h"
#include "neural/tokens.h"

namespace flashsynth::neural {

enum class Variant : uint8_t { kBasic, kAttentionA, kAttentionC };

// "basic", "attention-a", "attention-c".
std::string_view VariantName(Variant v);
std::optional<Variant> VariantByName(std::string_view name);

struct ModelConfig {
  Variant variant = Variant::kAttentionC;
  int embedding_size = 128;  // E: character and program-token embeddings (paper: 128)
  int hidden_size = 256;     // H: every LSTM, attention and pooling layer (paper: 512);
                             // even for kAttentionC (H/2 per direction)
  int num_layers = 1;        // stacked LSTM layers in each encoder and in the decoder
  int max_columns = kDefaultMaxColumns;  // program tokens for columns x1..x{max_columns}
  int max_chars = 100;       // characters read per input row and per output (then cut)
};

// OK, or kInvalidArgument naming the first field out of range.
absl::Status ValidateConfig(const ModelConfig& config);

namespace internal {
struct ModelState;  // the LibTorch side; neural/robustfill/internal/robustfill_net.h
}  // namespace internal

// A RobustFill network with its configuration and program vocabulary. Not
// thread-safe: one call at a time (decoders included).
class RobustFillModel {
 public:
  // A freshly initialized model on the CPU. Seeds LibTorch's global
  // generator with `seed` first, so equal seeds give equal weights.
  // kInvalidArgument when ValidateConfig() fails.
  static absl::StatusOr<std::unique_ptr<RobustFillModel>> Create(const ModelConfig& config,
                                                                 uint64_t seed);

  // Reads a model from the bytes of a file written by Save() (or a trainer
  // checkpoint), onto the CPU. `source_name` (usually the file name) starts
  // every error message. kInvalidArgument when the bytes are not such a file,
  // are truncated or corrupt, or their weights do not fit their
  // configuration; kFailedPrecondition for another file format version or a
  // model trained on a different program vocabulary. Never throws.
  static absl::StatusOr<std::unique_ptr<RobustFillModel>> Load(std::string_view bytes,
                                                               std::string_view source_name);

  ~RobustFillModel();
  RobustFillModel(const RobustFillModel&) = delete;
  RobustFillModel& operator=(const RobustFillModel&) = delete;

  // The configuration and weights as the bytes of a model file (a format
  // version, the configuration, a checksum, then the weights).
  absl::StatusOr<std::string> Save() const;

  const ModelConfig& config() const;
  const ProgramVocab& vocab() const;
  int64_t num_parameters() const;

  // Moves the weights; kAuto picks CUDA when there is one. Errors as
  // ResolveDevice(). Returns the device used.
  absl::StatusOr<DeviceKind> MoveTo(DeviceKind device);
  DeviceKind device() const;

  // log p(program | examples) of each task's program (nats, EOS included),
  // teacher-forced, in one batch. kInvalidArgument when the spans differ in
  // length, a task has no example or unequal inputs and outputs, or a
  // program does not tokenize.
  absl::StatusOr<std::vector<double>> LogLikelihoods(absl::Span<const IoExamples> tasks,
                                                     absl::Span<const dsl::Program> programs) const;

  // Encodes `task` once and returns a decoder with one hypothesis, the empty
  // prefix. The decoder refers to this model: it must not outlive it, and
  // the model must not move or train while it is in use.
  absl::StatusOr<std::unique_ptr<Decoder>> StartDecoding(const IoExamples& task) const;

  // The LibTorch side, for neural/ only (the trainer).
  internal::ModelState& state() { return *state_; }
  const internal::ModelState& state() const { return *state_; }

 private:
  explicit RobustFillModel(std::unique_ptr<internal::ModelState> state);
  std::unique_ptr<internal::ModelState> state_;
};

// Checks `task`: at least one example and as many outputs as input rows.
absl::Status ValidateExamples(const IoExamples& task);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_ROBUSTFILL_ROBUSTFILL_MODEL_H_
