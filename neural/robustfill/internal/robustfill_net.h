// neural/robustfill/internal/robustfill_net.h: the LibTorch modules behind
// RobustFillModel (see neural/robustfill/robustfill_model.h for the architecture).
// Included only by neural/*.cc: it brings in the Torch headers.
//
// Shapes: B tasks, N example slots per task (rows = B*N, task-major), LI / LO
// input / output characters, T program tokens, H hidden, E embedding, V
// program vocabulary, L stacked layers.
#ifndef FLASHSYNTH_NEURAL_ROBUSTFILL_INTERNAL_ROBUSTFILL_NET_H_
#define FLASHSYNTH_NEURAL_ROBUSTFILL_INTERNAL_ROBUSTFILL_NET_H_

// The LibTorch headers this code needs, not <torch/torch.h>: a third less
// compile time for each file that includes this one.
#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>
#include <torch/serialize/archive.h>

#include <map>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "neural/decoder.h"
#include "neural/robustfill/robustfill_model.h"
#include "neural/tokens.h"

namespace flashsynth::neural::internal {

// One batch as tensors on one device.
struct Batch {
  int64_t num_tasks = 0;     // B
  int64_t num_examples = 0;  // N, the most examples of any task
  torch::Tensor inputs;          // [rows, LI] character ids, kCharPad after kCharEos
  torch::Tensor input_lengths;   // [rows] int64 on the CPU, >= 1
  torch::Tensor outputs;         // [rows, LO]
  torch::Tensor output_lengths;  // [rows] int64 on the CPU, >= 1
  torch::Tensor example_mask;    // [B, N] bool: the slot holds a real example
  torch::Tensor program_in;      // [B, T] BOS p1 .. pn, PAD after (when programs given)
  torch::Tensor program_out;     // [B, T] p1 .. pn EOS, PAD after
};

// Encodes tasks, and their token sequences (each ending in EOS) when
// `programs` is not empty. An empty slot (a task with fewer than N examples)
// reads as one kCharEos and is masked out of the pooling.
Batch MakeBatch(absl::Span<const IoExamples* const> tasks,
                absl::Span<const std::vector<int>* const> programs, int max_chars,
                torch::Device device);

// LSTM states of a stack: h and c are [L, rows, H].
struct RecurrentState {
  torch::Tensor h;
  torch::Tensor c;
};

// What the decoder attends to and starts from.
struct Encoding {
  torch::Tensor input_states;   // [rows, LI, H]
  torch::Tensor input_mask;     // [rows, LI] bool
  torch::Tensor output_states;  // [rows, LO, H]
  torch::Tensor output_mask;    // [rows, LO] bool
  torch::Tensor example_mask;   // [B, N] bool
  RecurrentState initial;       // the decoder's state before BOS
};

// Luong "general" attention: score_k = S_k . (W q), masked softmax, context.
class AttentionImpl : public torch::nn::Module {
 public:
  AttentionImpl(int64_t query_size, int64_t memory_size);
  // query [rows, Q], memory [rows, K, M], mask [rows, K] -> context [rows, M].
  // When memory has fewer rows R than the query (rows = G * R), query row
  // g * R + r reads memory row r: beam search's G hypotheses share one
  // task's memory this way, as G * R small matrix-vector products would be
  // slow and copying the memory for each hypothesis slower still.
  torch::Tensor forward(const torch::Tensor& query, const torch::Tensor& memory,
                        const torch::Tensor& mask);
  // forward() given the projected query W q [rows, M].
  torch::Tensor Attend(const torch::Tensor& projected, const torch::Tensor& memory,
                       const torch::Tensor& mask);
  // The projection: weight [M, Q], bias [M].
  const torch::nn::Linear& projection() const { return project_; }

 private:
  torch::nn::Linear project_{nullptr};
};
TORCH_MODULE(Attention);

// L LSTM cells, each feeding the next; for loops with attention.
class CellStackImpl : public torch::nn::Module {
 public:
  CellStackImpl(int64_t input_size, int64_t hidden_size, int64_t layers);
  RecurrentState forward(const torch::Tensor& input, const RecurrentState& state);
  // forward() given the first cell's input term: input W_ih^T + b_ih + b_hh
  // [rows, 4H].
  RecurrentState ForwardFromInputGates(const torch::Tensor& input_gates,
                                       const RecurrentState& state);
  const torch::nn::LSTMCell& first_cell() const { return cells_.front(); }

 private:
  std::vector<torch::nn::LSTMCell> cells_;
};
TORCH_MODULE(CellStack);

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
// Reads `archive`'s weights into `net`, refusing (kInvalidArgument naming
// `source_name`) missing or differently shaped tensors. Catches c10::Error.
absl::Status LoadWeights(torch::serialize::InputArchive& archive, RobustFillNet& net,
                         std::string_view source_name);

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_ROBUSTFILL_INTERNAL_ROBUSTFILL_NET_H_
