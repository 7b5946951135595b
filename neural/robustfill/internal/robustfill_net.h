// neural/robustfill/internal/robustfill_net.h: the LibTorch modules behind
// RobustFillModel (see neural/robustfill/robustfill_model.h for the architecture).
// Included only by neural/*.cc: it brings in the Torch headers.
//
// Shapes: B tasks, N example slots per task (rows = B*N, task-major), LI / LO
// input / output characters, T program tokens, H hidden, E embedding, V
// program vocabulary, L stacked layers. The building blocks (attention, the
// cell stack, packed LSTMs, late pooling) are neural/internal/layers.h's.
#ifndef FLASHSYNTH_NEURAL_ROBUSTFILL_INTERNAL_ROBUSTFILL_NET_H_
#define FLASHSYNTH_NEURAL_ROBUSTFILL_INTERNAL_ROBUSTFILL_NET_H_

#include <map>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "neural/decoder.h"
#include "neural/internal/layers.h"
#include "neural/robustfill/robustfill_model.h"
#include "neural/tokens.h"

namespace flashsynth::neural::internal {

// One batch as tensors on one device: the examples, and the programs when
// training or scoring.
struct Batch : ExampleBatch {
  torch::Tensor program_in;      // [B, T] BOS p1 .. pn, PAD after (when programs given)
  torch::Tensor program_out;     // [B, T] p1 .. pn EOS, PAD after
};

// MakeExampleBatch() of `tasks`, and their token sequences (each ending in
// EOS) when `programs` is not empty.
Batch MakeBatch(absl::Span<const IoExamples* const> tasks,
                absl::Span<const std::vector<int>* const> programs, int max_chars,
                torch::Device device);

// What the decoder attends to and starts from.
struct Encoding {
  torch::Tensor input_states;   // [rows, LI, H]
  torch::Tensor input_mask;     // [rows, LI] bool
  torch::Tensor output_states;  // [rows, LO, H]
  torch::Tensor output_mask;    // [rows, LO] bool
  torch::Tensor example_mask;   // [B, N] bool
  RecurrentState initial;       // the decoder's state before BOS
};

class RobustFillNetImpl : public torch::nn::Module {
 public:
  RobustFillNetImpl(const ModelConfig& config, int64_t program_vocab_size);

  Encoding Encode(const Batch& batch);

  // One decoder step for every row: feeds `tokens` [rows] (the previous
  // program token) and returns the top layer's new h [rows, H] and the state.
  // `encoding` has a row for each row of `state`, or is one task's encoding
  // shared by hypothesis-major rows (see AttentionImpl::forward).
  std::pair<torch::Tensor, RecurrentState> Step(const Encoding& encoding,
                                                const RecurrentState& state,
                                                const torch::Tensor& tokens);

  // Decoding's view of the weights: what a step computes from the fed token
  // alone, for every token of the vocabulary, and the rest of the weights
  // split to match, transposed (see DecodeStep()).
  struct DecodingWeights {
    torch::Tensor token_gates;         // [V, 4H]: the first decoder cell's input term, biases in
    torch::Tensor token_output_query;  // [V, H]: decoder_to_output's projection, bias in
    torch::Tensor token_input_query;   // [V, H]: decoder_to_input's (kAttentionC)
    torch::Tensor output_query_h;      // [H, H]: the same projections of the decoder state
    torch::Tensor input_query_h;       // [H, H]
    torch::Tensor input_query_context; // [H, H]: of the output context (kAttentionC)
    torch::Tensor context_gates;       // [contexts * H, 4H]: the cell's input term of the contexts
  };
  DecodingWeights MakeDecodingWeights();

  // Step() from DecodingWeights: the same up to rounding, but the token's
  // terms are row lookups, not a sixth of a step's multiply-adds.
  std::pair<torch::Tensor, RecurrentState> DecodeStep(const Encoding& encoding,
                                                      const RecurrentState& state,
                                                      const DecodingWeights& weights,
                                                      const torch::Tensor& tokens);

  // Late pooling and the softmax layer: top [..., rows, H] -> logits
  // [..., B, V], pooling each task's real examples.
  torch::Tensor Logits(const torch::Tensor& top, const torch::Tensor& example_mask);

  // Teacher forcing: logits [B, T, V] for batch.program_in.
  torch::Tensor forward(const Batch& batch);

 private:
  std::pair<torch::Tensor, RecurrentState> EncodeOutputs(const Batch& batch,
                                                         const torch::Tensor& input_states,
                                                         const torch::Tensor& input_mask,
                                                         const RecurrentState& start);

  ModelConfig config_;
  torch::nn::Embedding char_embedding_{nullptr};
  torch::nn::Embedding program_embedding_{nullptr};
  torch::nn::LSTM input_encoder_{nullptr};
  torch::nn::LSTM output_encoder_{nullptr};  // kBasic: the whole output encoder
  CellStack output_cells_{nullptr};          // attention variants
  Attention output_to_input_{nullptr};
  torch::nn::LSTM output_refiner_{nullptr};  // kAttentionC: bidirectional pass
  Attention decoder_to_output_{nullptr};
  Attention decoder_to_input_{nullptr};      // kAttentionC
  CellStack decoder_cells_{nullptr};
  torch::nn::Linear pool_{nullptr};
  torch::nn::Linear softmax_{nullptr};
};
TORCH_MODULE(RobustFillNet);

// Cross-entropy over non-PAD targets, and how many argmaxes hit them.
struct TokenLoss {
  torch::Tensor loss;   // scalar: mean over target tokens
  int64_t correct = 0;  // argmax == target
  int64_t total = 0;    // target tokens
};
TokenLoss CrossEntropy(const torch::Tensor& logits, const torch::Tensor& targets);

// RobustFillModel's private state.
struct ModelState {
  ModelConfig config;
  ProgramVocab vocab;
  RobustFillNet net{nullptr};
  torch::Device device = torch::kCPU;
};

// The model file's header fields for `state` (config and vocabulary).
void WriteModelFields(const ModelState& state, std::map<std::string, std::string>* fields);
// The configuration in a file's header; kFailedPrecondition when the file's
// program vocabulary is not this build's.
absl::StatusOr<ModelConfig> ReadModelConfig(const std::map<std::string, std::string>& fields,
                                            std::string_view source_name);
}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_ROBUSTFILL_INTERNAL_ROBUSTFILL_NET_H_
