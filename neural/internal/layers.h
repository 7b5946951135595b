// neural/internal/layers.h: the LibTorch pieces both string-model families
// build on: a batch of I/O examples as character ids, LSTM states, Luong
// attention, a stack of LSTM cells, the attending encoder of RobustFill's
// Attention-A and late max-pooling over a task's examples. RobustFill
// (neural/robustfill/internal/robustfill_net.h) and the induction models
// (neural/induction/internal/induction_net.h) register these modules under
// their own names, so the parameter names in model files are theirs.
// Brings in the Torch headers: included by internal headers and .cc files
// only.
//
// Shapes: B tasks, N example slots per task (rows = B*N, task-major), LI / LO
// input / output characters, E embedding, H hidden, L stacked layers.
//
// Example:
//   ExampleBatch b = MakeExampleBatch(tasks, /*max_chars=*/100, torch::kCPU);
//   auto [states, last] = RunPacked(lstm, embedding(b.inputs), b.input_lengths);
//   torch::Tensor context = attention(query, states, b.inputs.ne(kCharPad));
#ifndef FLASHSYNTH_NEURAL_INTERNAL_LAYERS_H_
#define FLASHSYNTH_NEURAL_INTERNAL_LAYERS_H_

// The LibTorch headers this code needs, not <torch/torch.h>: a third less
// compile time for each file that includes this one.
#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/rnn.h>

#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "neural/decoder.h"

namespace flashsynth::neural::internal {

// Below any tanh output: an empty example slot never wins the max-pool.
inline constexpr double kEmptySlot = -2.0;
// Masked attention scores; finite, so that a softmax row never turns NaN.
inline constexpr double kMaskedScore = -1e9;

// The tasks' examples as tensors on one device.
struct ExampleBatch {
  int64_t num_tasks = 0;     // B
  int64_t num_examples = 0;  // N, the most examples of any task
  torch::Tensor inputs;          // [rows, LI] character ids, kCharPad after kCharEos
  torch::Tensor input_lengths;   // [rows] int64 on the CPU, >= 1
  torch::Tensor outputs;         // [rows, LO]
  torch::Tensor output_lengths;  // [rows] int64 on the CPU, >= 1
  torch::Tensor example_mask;    // [B, N] bool: the slot holds a real example
};

// Encodes each task's examples (tokens.h's EncodeRow() and EncodeText(),
// cut at `max_chars`). An empty slot (a task with fewer than N examples)
// reads as one kCharEos and is masked out.
ExampleBatch MakeExampleBatch(absl::Span<const IoExamples* const> tasks, int max_chars,
                              torch::Device device);

// Rows of ids padded with 0 (kCharPad, ProgramVocab::kPad) as an int64
// [rows, longest] tensor on the CPU (at least one column). `lengths`, when
// not null, receives each row's length as [rows] int64.
torch::Tensor PadRows(const std::vector<std::vector<int>>& rows, torch::Tensor* lengths);

// LSTM states of a stack: h and c are [L, rows, H].
struct RecurrentState {
  torch::Tensor h;
  torch::Tensor c;
};

// Runs `lstm` over padded `x` [rows, len, in] as packed sequences, so that
// backward directions start at each row's end, from `start` (null: zeros).
// Returns outputs [rows, len, dirs*hidden] (zero past each end) and the
// final states, those after each row's last element ([L*dirs, rows, hidden]).
std::pair<torch::Tensor, RecurrentState> RunPacked(torch::nn::LSTM& lstm, const torch::Tensor& x,
                                                   const torch::Tensor& lengths,
                                                   const RecurrentState* start = nullptr);

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
  // The attention weights alone, [rows, K] (memory with a row per query
  // row): a pointer network's copy distribution.
  torch::Tensor Weights(const torch::Tensor& query, const torch::Tensor& memory,
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

// RobustFill's Attention-A encoder of the outputs: `cells` read `embedded`
// [rows, LO, E] from `start`, each step's input being [x_t; the context of
// `attention` over `memory` [rows, LI, H] (mask `memory_mask`) for the query
// [h_{t-1} of the top layer; x_t]]. The state is kept over padding (where
// `mask` [rows, LO] is false), so each row's final state is the one after
// its last character. Returns the top layer's states [rows, LO, H] and the
// final state.
std::pair<torch::Tensor, RecurrentState> EncodeAttending(Attention& attention, CellStack& cells,
                                                         const torch::Tensor& embedded,
                                                         const torch::Tensor& mask,
                                                         const torch::Tensor& memory,
                                                         const torch::Tensor& memory_mask,
                                                         const RecurrentState& start);

// Late pooling: max over each task's real examples of tanh(pool(h)).
// top [..., B*N, H], example_mask [B, N] -> [..., B, H'].
torch::Tensor LatePool(torch::nn::Linear& pool, const torch::Tensor& top,
                       const torch::Tensor& example_mask);

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_INTERNAL_LAYERS_H_
