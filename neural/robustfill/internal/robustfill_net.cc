#include "neural/robustfill/internal/robustfill_net.h"

#include <torch/nn/functional/loss.h>

#include <algorithm>

namespace flashsynth::neural::internal {

namespace {

// [L*2, rows, H/2] (layer-major, forward then backward) -> [L, rows, H].
torch::Tensor JoinDirections(const torch::Tensor& t) {
  const int64_t layers = t.size(0) / 2, rows = t.size(1), half = t.size(2);
  return t.view({layers, 2, rows, half}).permute({0, 2, 1, 3}).reshape({layers, rows, 2 * half});
}

}  // namespace

// ---------------------------------------------------------------------------
// Batches.

Batch MakeBatch(absl::Span<const IoExamples* const> tasks,
                absl::Span<const std::vector<int>* const> programs, int max_chars,
                torch::Device device) {
  Batch b;
  static_cast<ExampleBatch&>(b) = MakeExampleBatch(tasks, max_chars, device);
  if (!programs.empty()) {
    std::vector<std::vector<int>> in, out;
    for (const std::vector<int>* p : programs) {
      in.push_back({ProgramVocab::kBos});
      in.back().insert(in.back().end(), p->begin(), p->end() - 1);
      out.push_back(*p);
    }
    b.program_in = PadRows(in, nullptr).to(device);
    b.program_out = PadRows(out, nullptr).to(device);
  }
  return b;
}

// ---------------------------------------------------------------------------
// The network.

RobustFillNetImpl::RobustFillNetImpl(const ModelConfig& config, int64_t program_vocab_size)
    : config_(config) {
  const int64_t e = config.embedding_size, h = config.hidden_size, layers = config.num_layers;
  const bool bidirectional = config.variant == Variant::kAttentionC;
  const bool attention = config.variant != Variant::kBasic;
  char_embedding_ = register_module(
      "char_embedding",
      torch::nn::Embedding(torch::nn::EmbeddingOptions(kCharVocabSize, e).padding_idx(kCharPad)));
  program_embedding_ = register_module(
      "program_embedding",
      torch::nn::Embedding(
          torch::nn::EmbeddingOptions(program_vocab_size, e).padding_idx(ProgramVocab::kPad)));
  input_encoder_ = register_module(
      "input_encoder", torch::nn::LSTM(torch::nn::LSTMOptions(e, bidirectional ? h / 2 : h)
                                           .num_layers(layers)
                                           .batch_first(true)
                                           .bidirectional(bidirectional)));
  if (!attention) {
    output_encoder_ = register_module(
        "output_encoder",
        torch::nn::LSTM(torch::nn::LSTMOptions(e, h).num_layers(layers).batch_first(true)));
  } else {
    output_to_input_ = register_module("output_to_input", Attention(h + e, h));
    output_cells_ = register_module("output_cells", CellStack(e + h, h, layers));
    decoder_to_output_ = register_module("decoder_to_output", Attention(h + e, h));
  }
  if (bidirectional) {
    output_refiner_ = register_module(
        "output_refiner",
        torch::nn::LSTM(torch::nn::LSTMOptions(h, h / 2).batch_first(true).bidirectional(true)));
    decoder_to_input_ = register_module("decoder_to_input", Attention(h + e + h, h));
  }
  const int64_t decoder_input = e + (attention ? h : 0) + (bidirectional ? h : 0);
  decoder_cells_ = register_module("decoder_cells", CellStack(decoder_input, h, layers));
  pool_ = register_module("pool", torch::nn::Linear(h, h));
  softmax_ = register_module("softmax", torch::nn::Linear(h, program_vocab_size));
}

Encoding RobustFillNetImpl::Encode(const Batch& batch) {
  Encoding enc;
  enc.example_mask = batch.example_mask;
  enc.input_mask = batch.inputs.ne(kCharPad);
  enc.output_mask = batch.outputs.ne(kCharPad);
  RecurrentState start;
  std::tie(enc.input_states, start) =
      RunPacked(input_encoder_, char_embedding_->forward(batch.inputs), batch.input_lengths);
  if (config_.variant == Variant::kAttentionC) {
    start = RecurrentState{JoinDirections(start.h), JoinDirections(start.c)};
  }
  std::tie(enc.output_states, enc.initial) =
      EncodeOutputs(batch, enc.input_states, enc.input_mask, start);
  return enc;
}

// The output encoder: a plain LSTM (kBasic) or an LSTM attending to the
// input states, which keeps its state on padding so that each row's final
// state is the one after its last character.
std::pair<torch::Tensor, RecurrentState> RobustFillNetImpl::EncodeOutputs(
    const Batch& batch, const torch::Tensor& input_states, const torch::Tensor& input_mask,
    const RecurrentState& start) {
  torch::Tensor embedded = char_embedding_->forward(batch.outputs);
  if (config_.variant == Variant::kBasic) {
    return RunPacked(output_encoder_, embedded, batch.output_lengths, &start);
  }
  auto [states, final_state] = EncodeAttending(output_to_input_, output_cells_, embedded,
                                               batch.outputs.ne(kCharPad), input_states,
                                               input_mask, start);
  if (config_.variant == Variant::kAttentionC) {
    states = RunPacked(output_refiner_, states, batch.output_lengths).first;
  }
  return {states, final_state};
}

std::pair<torch::Tensor, RecurrentState> RobustFillNetImpl::Step(const Encoding& enc,
                                                                 const RecurrentState& state,
                                                                 const torch::Tensor& tokens) {
  torch::Tensor x = program_embedding_->forward(tokens);
  std::vector<torch::Tensor> parts = {x};
  if (config_.variant != Variant::kBasic) {
    torch::Tensor query = torch::cat({state.h[-1], x}, /*dim=*/1);
    torch::Tensor on_output = decoder_to_output_->forward(query, enc.output_states, enc.output_mask);
    parts.push_back(on_output);
    if (config_.variant == Variant::kAttentionC) {
      // Output first, then input with the output context in the query (fn. 4).
      parts.push_back(decoder_to_input_->forward(torch::cat({query, on_output}, /*dim=*/1),
                                                 enc.input_states, enc.input_mask));
    }
  }
  RecurrentState next = decoder_cells_->forward(torch::cat(parts, /*dim=*/1), state);
  return {next.h[-1], next};
}

RobustFillNetImpl::DecodingWeights RobustFillNetImpl::MakeDecodingWeights() {
  torch::NoGradGuard no_grad;
  const int64_t e = config_.embedding_size, h = config_.hidden_size;
  const torch::Tensor tokens = program_embedding_->weight;  // [V, E]
  // Columns [from, from + width) of a Linear-style weight [out, in], as the
  // right operand of rows @ it: [width, out].
  const auto part = [](const torch::Tensor& w, int64_t from, int64_t width) {
    return w.narrow(1, from, width).t().contiguous();
  };
  DecodingWeights d;
  const torch::nn::LSTMCell& cell = decoder_cells_->first_cell();
  const int64_t cell_inputs = cell->weight_ih.size(1);
  d.token_gates = torch::addmm(cell->bias_ih + cell->bias_hh, tokens, part(cell->weight_ih, 0, e));
  if (cell_inputs > e) d.context_gates = part(cell->weight_ih, e, cell_inputs - e);
  if (config_.variant != Variant::kBasic) {
    // The query is [state h, token x].
    const torch::nn::Linear& p = decoder_to_output_->projection();
    d.output_query_h = part(p->weight, 0, h);
    d.token_output_query = torch::addmm(p->bias, tokens, part(p->weight, h, e));
  }
  if (config_.variant == Variant::kAttentionC) {
    // The query is [state h, token x, output context].
    const torch::nn::Linear& p = decoder_to_input_->projection();
    d.input_query_h = part(p->weight, 0, h);
    d.token_input_query = torch::addmm(p->bias, tokens, part(p->weight, h, e));
    d.input_query_context = part(p->weight, h + e, h);
  }
  return d;
}

std::pair<torch::Tensor, RecurrentState> RobustFillNetImpl::DecodeStep(
    const Encoding& enc, const RecurrentState& state, const DecodingWeights& d,
    const torch::Tensor& tokens) {
  const torch::Tensor top = state.h[-1];
  std::vector<torch::Tensor> contexts;
  if (config_.variant != Variant::kBasic) {
    torch::Tensor query = d.token_output_query.index_select(0, tokens).addmm(top, d.output_query_h);
    torch::Tensor on_output = decoder_to_output_->Attend(query, enc.output_states, enc.output_mask);
    contexts.push_back(on_output);
    if (config_.variant == Variant::kAttentionC) {
      query = d.token_input_query.index_select(0, tokens)
                  .addmm(top, d.input_query_h)
                  .addmm(on_output, d.input_query_context);
      contexts.push_back(decoder_to_input_->Attend(query, enc.input_states, enc.input_mask));
    }
  }
  torch::Tensor gates = d.token_gates.index_select(0, tokens);
  if (!contexts.empty()) gates = gates.addmm(torch::cat(contexts, /*dim=*/1), d.context_gates);
  RecurrentState next = decoder_cells_->ForwardFromInputGates(gates, state);
  return {next.h[-1], next};
}

torch::Tensor RobustFillNetImpl::Logits(const torch::Tensor& top,
                                        const torch::Tensor& example_mask) {
  return softmax_->forward(LatePool(pool_, top, example_mask));
}

torch::Tensor RobustFillNetImpl::forward(const Batch& batch) {
  Encoding enc = Encode(batch);
  const torch::Tensor tokens = batch.program_in.repeat_interleave(batch.num_examples, /*dim=*/0);
  RecurrentState s = enc.initial;
  std::vector<torch::Tensor> tops;
  for (int64_t t = 0; t < tokens.size(1); ++t) {
    torch::Tensor top;
    std::tie(top, s) = Step(enc, s, tokens.select(/*dim=*/1, t));
    tops.push_back(top);
  }
  // [T, rows, H] -> [T, B, V] -> [B, T, V]
  return Logits(torch::stack(tops), enc.example_mask).transpose(0, 1);
}

TokenLoss CrossEntropy(const torch::Tensor& logits, const torch::Tensor& targets) {
  const int64_t v = logits.size(-1);
  TokenLoss out;
  out.loss = torch::nn::functional::cross_entropy(
      logits.reshape({-1, v}), targets.reshape({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(ProgramVocab::kPad));
  torch::NoGradGuard no_grad;
  const torch::Tensor real = targets.ne(ProgramVocab::kPad);
  out.correct = (logits.argmax(/*dim=*/-1).eq(targets) & real).sum().item<int64_t>();
  out.total = real.sum().item<int64_t>();
  return out;
}

}  // namespace flashsynth::neural::internal
