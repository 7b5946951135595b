// neural/induction/induction.h: the string induction baselines (issue 6): networks
// that read a task's observed examples and a new input row and write that
// row's output character by character, with no program in between
// (RobustFill section 6.1; ../shared/reference/induction_baselines.md).
//
// Both architectures read the same way. For each observed example j an LSTM
// reads the input row I_j (cells joined by a separator character) and a
// second LSTM reads the output O_j while attending to I_j (RobustFill's
// Attention-A); an extra LSTM reads the query input I^y. A decoder per
// observed example j (shared weights, started from O_j's final state)
// attends to O_j's encoding, then to I^y's ("double attention"); at every
// step the examples' states are max-pooled after a tanh layer, m_t = max_j
// tanh(W h_t^j) ("late pooling"). They differ in how m_t becomes a
// character:
//
//   kLstmAttention  RobustFill's induction model: y_t = softmax(V m_t) over
//                   the printable ASCII characters and EOS.
//   kPointer        a pointer-generator network (See et al. 2017): a pointer
//                   attention from m_t over I^y's positions gives a copy
//                   distribution (each position's weight lands on its
//                   character), the softmax above a generated one, and a
//                   learned gate p_gen = sigmoid(w . [m_t; pointer context;
//                   previous character]) mixes them. Characters of I^y are
//                   copied even when rare, non-ASCII ones included (each
//                   gets a temporary id for that query, as See et al.'s
//                   out-of-vocabulary words); others are generated.
//
// Choices the paper leaves open: the query encoder has its own weights; the
// decoder's attention queries are [h_{t-1}; previous character], as in
// robustfill_model.h; the pointer attends from the pooled state (one copy
// distribution per query, not one per example).
//
// The header is Torch-free; LibTorch lives in the .cc files and
// neural/internal/.
//
// Example:
//   InductionConfig config;            // kLstmAttention, E = 128, H = 256
//   config.architecture = InductionArchitecture::kPointer;
//   std::unique_ptr<InductionModel> m = *InductionModel::Create(config, /*seed=*/1);
//   IoExamples observed{{{"Ada Lovelace"}, {"Alan Turing"}}, {"Lovelace", "Turing"}};
//   absl::StatusOr<std::vector<std::string>> out =
//       m->PredictOutputs(observed, {{"Grace Hopper"}});  // {"Hopper"} once trained
//   std::string bytes = *m->Save();    // the caller writes the file
#ifndef FLASHSYNTH_NEURAL_INDUCTION_INDUCTION_H_
#define FLASHSYNTH_NEURAL_INDUCTION_INDUCTION_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "dsl/interpreter.h"
#include "neural/decoder.h"
#include "neural/device.h"
#include "neural/induction/output_predictor.h"

namespace flashsynth::neural {

enum class InductionArchitecture : uint8_t { kLstmAttention, kPointer };

// "lstm-attention", "pointer".
std::string_view InductionArchitectureName(InductionArchitecture a);
std::optional<InductionArchitecture> InductionArchitectureByName(std::string_view name);

struct InductionConfig {
  InductionArchitecture architecture = InductionArchitecture::kLstmAttention;
  int embedding_size = 128;  // E: character embeddings (paper: 128)
  int hidden_size = 256;     // H: every LSTM, attention and pooling layer (paper: 512)
  int num_layers = 1;        // stacked LSTM layers in each encoder and in the decoder
  // Characters read per input row (then cut) and written per output at most.
  // Costs nothing while strings are shorter: batches are padded to their
  // longest string. Set it to the longest rows the model will be tested on.
  int max_chars = 128;
};

// OK, or kInvalidArgument naming the first field out of range.
absl::Status ValidateInductionConfig(const InductionConfig& config);

// How PredictOutputs() decodes.
struct InductionDecodeOptions {
  int beam_size = 3;         // paper: 3 (wider beams do not help); 1: greedy
  int max_output_chars = 0;  // characters written per output at most; 0: config.max_chars
};

namespace internal {
struct InductionState;  // the LibTorch side; neural/induction/internal/induction_net.h
}  // namespace internal

// An induction network with its configuration. Thread-safe: calls are
// serialized on a mutex (load one model per thread to run in parallel).
class InductionModel : public OutputPredictor {
 public:
  // A freshly initialized model on the CPU. Seeds LibTorch's global
  // generator with `seed` first, so equal seeds give equal weights.
  // kInvalidArgument when ValidateInductionConfig() fails.
  static absl::StatusOr<std::unique_ptr<InductionModel>> Create(const InductionConfig& config,
                                                                uint64_t seed);

  // Reads a model from the bytes of a file written by Save() (or an
  // induction training checkpoint), onto the CPU. `source_name` (usually
  // the file name) starts every error message. kInvalidArgument when the
  // bytes are not such a file, are truncated or corrupt, hold another
  // family of model, or their weights do not fit their configuration;
  // kFailedPrecondition for another file format version or character
  // vocabulary. Never throws.
  static absl::StatusOr<std::unique_ptr<InductionModel>> Load(std::string_view bytes,
                                                              std::string_view source_name);

  ~InductionModel() override;
  InductionModel(const InductionModel&) = delete;
  InductionModel& operator=(const InductionModel&) = delete;

  // The configuration and weights as the bytes of a model file: container
  // kind "model" (neural/internal/container.h) with the header fields
  // `family induction`, `architecture`, the sizes and the character
  // vocabulary's size and fingerprint.
  absl::StatusOr<std::string> Save() const;

  const InductionConfig& config() const;
  int64_t num_parameters() const;

  // Moves the weights; kAuto picks CUDA when there is one. Errors as
  // ResolveDevice(). Returns the device used.
  absl::StatusOr<DeviceKind> MoveTo(DeviceKind device);
  DeviceKind device() const;

  // Applies to later PredictOutputs() calls. kInvalidArgument when
  // beam_size < 1 or max_output_chars < 0.
  absl::Status SetDecodeOptions(const InductionDecodeOptions& options);
  InductionDecodeOptions decode_options() const;

  // "induction pointer E=64 H=128: 412345 parameters".
  std::string Describe() const override;

  // PredictOutputs()
  //
  // OutputPredictor::PredictOutputs(): each query row decoded with the beam
  // of decode_options() (the highest log-probability finished output wins;
  // one cut at max_output_chars if none finished), all rows of the call in
  // one batch. Non-ASCII characters are read as the unknown symbol (the
  // pointer network can still copy them from the query row); invalid UTF-8
  // is read byte by byte. kInvalidArgument when `observed` is empty or its
  // inputs and outputs differ in number; kInternal when LibTorch fails. An
  // empty `queries` gives an empty result.
  absl::StatusOr<std::vector<std::string>> PredictOutputs(
      const IoExamples& observed, absl::Span<const dsl::Row> queries) override;

  // The LibTorch side, for neural/ only (the trainer). Not locked.
  internal::InductionState& state() { return *state_; }
  const internal::InductionState& state() const { return *state_; }

 private:
  explicit InductionModel(std::unique_ptr<internal::InductionState> state);

  mutable std::mutex mu_;
  std::unique_ptr<internal::InductionState> state_;
  InductionDecodeOptions decode_;
};

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_INDUCTION_INDUCTION_H_
