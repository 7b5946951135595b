// neural/induction/internal/induction_net.h: the LibTorch modules behind
// InductionModel (see neural/induction/induction.h for the architecture), their
// batches, loss and beam search. Included only by neural/*.cc: it brings in
// the Torch headers. Weights load through LoadModuleWeights() of
// neural/internal/module_weights.h.
//
// Shapes: T tasks, N observed-example slots per task, Q queries (rows whose
// output is written; each belongs to one task), R = Q*N decoder rows (row
// q*N + j pairs query q with its task's example j), LI / LO observed input /
// output characters, LQ query-input characters, TY target characters, E
// embedding, H hidden, L layers, C = kCharVocabSize, V = C + the most extra
// (copy-only) characters of any query in the batch. The building blocks
// (attention, the cell stack, packed LSTMs, late pooling) are
// neural/internal/layers.h's, shared with RobustFill.
#ifndef FLASHSYNTH_NEURAL_INDUCTION_INTERNAL_INDUCTION_NET_H_
#define FLASHSYNTH_NEURAL_INDUCTION_INTERNAL_INDUCTION_NET_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "neural/decoder.h"
#include "neural/induction/induction.h"
#include "neural/internal/layers.h"

namespace flashsynth::neural::internal {

// Extra copy-only characters per query (the pointer network's temporary
// ids); further distinct ones stay unknown.
inline constexpr int kMaxExtraChars = 32;

// One row whose output the model writes.
struct QueryRow {
  int task = 0;                         // index into the batch's tasks
  const dsl::Row* input = nullptr;
  const std::string* output = nullptr;  // the target (training); null when decoding
};

struct InductionBatch {
  ExampleBatch observed;        // MakeExampleBatch() of the tasks' observed examples
  int64_t num_queries = 0;      // Q
  torch::Tensor observed_rows;  // [R] int64: the row of `observed` that row r reads
  torch::Tensor example_mask;   // [Q, N] bool: slot j of query q's task is real
  torch::Tensor query_inputs;   // [Q, LQ] char ids, kCharEos then kCharPad
  torch::Tensor query_lengths;  // [Q] int64 on the CPU
  torch::Tensor copy_ids;       // [Q, LQ]: the id that copying position k writes;
                                // kCharPad where nothing may be copied (separators, padding)
  int64_t output_size = 0;      // V
  std::vector<std::vector<std::string>> extra_chars;  // [q][k]: the text of id C + k
  torch::Tensor target_in;      // [Q, TY] BOS y1 .. yn, PAD after (with targets)
  torch::Tensor target_out;     // [Q, TY] y1 .. yn EOS, PAD after
};

// Encodes tasks and queries (targets too when every query has an output).
// Inputs and targets are cut to `max_chars` characters; a target character
// the model cannot write (non-ASCII, and for the pointer network not in the
// query row) is kCharUnk, which the loss ignores. `pointer`: give the
// query rows' non-ASCII characters extra ids.
InductionBatch MakeInductionBatch(absl::Span<const IoExamples* const> tasks,
                                  absl::Span<const QueryRow> queries, int max_chars, bool pointer,
                                  torch::Device device);

// The ids of `text`'s characters as a target (no EOS), with `extra_chars`
// the query's copy-only characters. The trainer uses it to skip tasks whose
// outputs hold kCharUnk.
std::vector<int> EncodeTarget(std::string_view text, int max_chars,
                              const std::vector<std::string>& extra_chars);

// The query row's copy-only characters (first occurrence order).
std::vector<std::string> ExtraChars(const dsl::Row& row, int max_chars);

// What the decoder attends to and starts from.
struct InductionEncoding {
  torch::Tensor output_states;   // [R, LO, H]: O_j of query q's task
  torch::Tensor output_mask;     // [R, LO] bool
  torch::Tensor query_states;    // [R, LQ, H]: I^y, repeated for each slot
  torch::Tensor query_mask;      // [R, LQ] bool
  torch::Tensor example_mask;    // [Q, N] bool
  torch::Tensor pointer_states;  // [Q, LQ, H]: I^y once per query
  torch::Tensor copy_ids;        // [Q, LQ]
  int64_t output_size = 0;       // V
  RecurrentState initial;        // [L, R, H]: O_j's final state
  // The encoding of queries `queries` ([Q'] int64 indices, repeats allowed):
  // beam search keeps one copy per hypothesis.
  InductionEncoding Select(const torch::Tensor& queries) const;
};

class InductionNetImpl : public torch::nn::Module {
 public:
  explicit InductionNetImpl(const InductionConfig& config);

  InductionEncoding Encode(const InductionBatch& batch);

  // One decoder step for every query: feeds `previous` [Q] (the previous
  // character id, kCharBos first) and returns log-probabilities [Q, V] of
  // the next one (the ids never written get about -28 or less) and the new
  // state.
  std::pair<torch::Tensor, RecurrentState> Step(const InductionEncoding& encoding,
                                                const RecurrentState& state,
                                                const torch::Tensor& previous);

  // Teacher forcing: log-probabilities [Q, TY, V] for batch.target_in.
  torch::Tensor forward(const InductionBatch& batch);

 private:
  // O_j attending to I_j; returns the states and the final state.
  std::pair<torch::Tensor, RecurrentState> EncodeOutputs(const ExampleBatch& observed,
                                                         const torch::Tensor& input_states,
                                                         const torch::Tensor& input_mask,
                                                         const RecurrentState& start);
  torch::Tensor PointerGenerator(const InductionEncoding& encoding, const torch::Tensor& pooled,
                                 const torch::Tensor& logits, const torch::Tensor& previous);

  InductionConfig config_;
  torch::nn::Embedding char_embedding_{nullptr};
  torch::nn::LSTM input_encoder_{nullptr};   // I_j
  Attention output_to_input_{nullptr};
  CellStack output_cells_{nullptr};          // O_j
  torch::nn::LSTM query_encoder_{nullptr};   // I^y
  Attention decoder_to_output_{nullptr};
  Attention decoder_to_query_{nullptr};
  CellStack decoder_cells_{nullptr};
  torch::nn::Linear pool_{nullptr};          // W
  torch::nn::Linear generator_{nullptr};     // V
  Attention pointer_{nullptr};               // kPointer: its Weights() point
  torch::nn::Linear gate_{nullptr};          // kPointer: p_gen
};
TORCH_MODULE(InductionNet);

// Negative log-likelihood per target character (PAD and UNK ignored), and
// how many argmaxes hit.
struct CharLoss {
  torch::Tensor loss;   // scalar: mean over target characters
  int64_t correct = 0;
  int64_t total = 0;
};
CharLoss InductionLoss(const torch::Tensor& log_probs, const torch::Tensor& targets);

// Decodes every query of `batch` (beam `beam_size`, 1: greedy) up to
// `max_chars` characters; returns the texts.
std::vector<std::string> DecodeOutputs(InductionNet& net, const InductionBatch& batch,
                                       int beam_size, int max_chars);

// InductionModel's private state.
struct InductionState {
  InductionConfig config;
  InductionNet net{nullptr};
  torch::Device device = torch::kCPU;
};

// The model file's header fields for `config`.
void WriteInductionFields(const InductionConfig& config,
                          std::map<std::string, std::string>* fields);
// The configuration in a file's header: kInvalidArgument naming
// `source_name` when the file is not an induction model or its fields are
// bad, kFailedPrecondition for another character vocabulary.
absl::StatusOr<InductionConfig> ReadInductionConfig(
    const std::map<std::string, std::string>& fields, std::string_view source_name);

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_INDUCTION_INTERNAL_INDUCTION_NET_H_
