#include "neural/robustfill/internal/robustfill_net.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/rnn.h>

#include <algorithm>

namespace flashsynth::neural::internal {

namespace {

namespace rnn = torch::nn::utils::rnn;

// Below any tanh output: an empty example slot never wins the max-pool.
constexpr double kEmptySlot = -2.0;
// Masked attention scores; finite, so that a softmax row never turns NaN.
constexpr double kMaskedScore = -1e9;

// Rows of equal-length-or-shorter id lists, padded with 0, as [rows, max].
torch::Tensor PadRows(const std::vector<std::vector<int>>& rows, torch::Tensor* lengths) {
  size_t width = 1;
  for (const auto& r : rows) width = std::max(width, r.size());
  torch::Tensor ids = torch::zeros({static_cast<int64_t>(rows.size()), static_cast<int64_t>(width)},
                                   torch::kInt64);
  *lengths = torch::zeros({static_cast<int64_t>(rows.size())}, torch::kInt64);
  auto id = ids.accessor<int64_t, 2>();
  auto length = lengths->accessor<int64_t, 1>();
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = 0; j < rows[i].size(); ++j) id[i][j] = rows[i][j];
    length[i] = static_cast<int64_t>(rows[i].size());
  }
  return ids;
}

// Runs `lstm` over padded `x` [rows, len, in] as packed sequences, so that
// backward directions start at each row's end. Returns outputs [rows, len,
// dirs*hidden] (zero past the end) and the final states.
std::pair<torch::Tensor, std::tuple<torch::Tensor, torch::Tensor>> RunPacked(
    torch::nn::LSTM& lstm, const torch::Tensor& x, const torch::Tensor& lengths,
    torch::optional<std::tuple<torch::Tensor, torch::Tensor>> start) {
  rnn::PackedSequence packed =
      rnn::pack_padded_sequence(x, lengths, /*batch_first=*/true, /*enforce_sorted=*/false);
  auto [out, final_state] = lstm->forward_with_packed_input(packed, std::move(start));
  torch::Tensor padded = std::get<0>(rnn::pad_packed_sequence(
      out, /*batch_first=*/true, /*padding_value=*/0.0, /*total_length=*/x.size(1)));
  return {padded, final_state};
}

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
  b.num_tasks = static_cast<int64_t>(tasks.size());
  for (const IoExamples* t : tasks) {
    b.num_examples = std::max(b.num_examples, static_cast<int64_t>(t->inputs.size()));
  }
  std::vector<std::vector<int>> inputs, outputs;
  b.example_mask = torch::zeros({b.num_tasks, b.num_examples}, torch::kBool);
  auto real = b.example_mask.accessor<bool, 2>();
  for (int64_t i = 0; i < b.num_tasks; ++i) {
    const IoExamples& t = *tasks[static_cast<size_t>(i)];
    for (int64_t j = 0; j < b.num_examples; ++j) {
      const auto k = static_cast<size_t>(j);
      if (k < t.inputs.size()) {
        inputs.push_back(EncodeRow(t.inputs[k], max_chars));
        outputs.push_back(EncodeText(t.outputs[k], max_chars));
        real[i][j] = true;
      } else {
        inputs.push_back({kCharEos});
        outputs.push_back({kCharEos});
      }
    }
  }
  b.inputs = PadRows(inputs, &b.input_lengths).to(device);
  b.outputs = PadRows(outputs, &b.output_lengths).to(device);
  b.example_mask = b.example_mask.to(device);
  if (!programs.empty()) {
    std::vector<std::vector<int>> in, out;
    for (const std::vector<int>* p : programs) {
      in.push_back({ProgramVocab::kBos});
      in.back().insert(in.back().end(), p->begin(), p->end() - 1);
      out.push_back(*p);
    }
    torch::Tensor unused;
    b.program_in = PadRows(in, &unused).to(device);
    b.program_out = PadRows(out, &unused).to(device);
  }
  return b;
}

// ---------------------------------------------------------------------------
// Building blocks.

AttentionImpl::AttentionImpl(int64_t query_size, int64_t memory_size)
    : project_(register_module("project", torch::nn::Linear(query_size, memory_size))) {}

torch::Tensor AttentionImpl::forward(const torch::Tensor& query, const torch::Tensor& memory,
                                     const torch::Tensor& mask) {
  return Attend(project_->forward(query), memory, mask);
}

torch::Tensor AttentionImpl::Attend(const torch::Tensor& projected, const torch::Tensor& memory,
                                    const torch::Tensor& mask) {
  const int64_t rows = projected.size(0), memory_rows = memory.size(0);
  if (memory_rows == rows) {
    torch::Tensor scores = torch::bmm(memory, projected.unsqueeze(2)).squeeze(2);
    scores = scores.masked_fill(mask.logical_not(), kMaskedScore);
    torch::Tensor weights = torch::softmax(scores, /*dim=*/1);
    return torch::bmm(weights.unsqueeze(1), memory).squeeze(1);
  }
  TORCH_CHECK(memory_rows > 0 && rows % memory_rows == 0,
              "attention: query rows must be a multiple of the memory rows");
  // [G*R, M] -> [R, G, M]: one [G, M] x [M, K] product per memory row.
  torch::Tensor q = projected.view({rows / memory_rows, memory_rows, -1}).transpose(0, 1);
  torch::Tensor scores = torch::bmm(q, memory.transpose(1, 2));  // [R, G, K]
  scores = scores.masked_fill(mask.logical_not().unsqueeze(1), kMaskedScore);
  torch::Tensor weights = torch::softmax(scores, /*dim=*/2);
  return torch::bmm(weights, memory).transpose(0, 1).reshape({rows, -1});  // [G*R, M]
}

CellStackImpl::CellStackImpl(int64_t input_size, int64_t hidden_size, int64_t layers) {
  for (int64_t l = 0; l < layers; ++l) {
    cells_.push_back(register_module(
        "cell" + std::to_string(l),
        torch::nn::LSTMCell(l == 0 ? input_size : hidden_size, hidden_size)));
  }
}

RecurrentState CellStackImpl::forward(const torch::Tensor& input, const RecurrentState& state) {
  std::vector<torch::Tensor> hs, cs;
  torch::Tensor x = input;
  for (size_t l = 0; l < cells_.size(); ++l) {
    const auto layer = static_cast<int64_t>(l);
    auto [h, c] = cells_[l]->forward(x, std::make_tuple(state.h[layer], state.c[layer]));
    hs.push_back(h);
    cs.push_back(c);
    x = h;
  }
  return RecurrentState{torch::stack(hs), torch::stack(cs)};
}

RecurrentState CellStackImpl::ForwardFromInputGates(const torch::Tensor& input_gates,
                                                    const RecurrentState& state) {
  // torch::nn::LSTMCell's arithmetic: gates i, f, g, o in that order.
  const std::vector<torch::Tensor> gates =
      input_gates.addmm(state.h[0], cells_.front()->weight_hh.t()).chunk(4, /*dim=*/1);
  torch::Tensor c = torch::sigmoid(gates[1]) * state.c[0] +
                    torch::sigmoid(gates[0]) * torch::tanh(gates[2]);
  torch::Tensor h = torch::sigmoid(gates[3]) * torch::tanh(c);
  std::vector<torch::Tensor> hs = {h}, cs = {c};
  for (size_t l = 1; l < cells_.size(); ++l) {
    const auto layer = static_cast<int64_t>(l);
    std::tie(h, c) = cells_[l]->forward(h, std::make_tuple(state.h[layer], state.c[layer]));
    hs.push_back(h);
    cs.push_back(c);
  }
  return RecurrentState{torch::stack(hs), torch::stack(cs)};
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
  auto [input_states, input_final] =
      RunPacked(input_encoder_, char_embedding_->forward(batch.inputs), batch.input_lengths,
                torch::nullopt);
  enc.input_states = input_states;
  RecurrentState start{std::get<0>(input_final), std::get<1>(input_final)};
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
    auto [states, final_state] = RunPacked(output_encoder_, embedded, batch.output_lengths,
                                           std::make_tuple(start.h, start.c));
    return {states, RecurrentState{std::get<0>(final_state), std::get<1>(final_state)}};
  }
  const torch::Tensor mask = batch.outputs.ne(kCharPad);
  RecurrentState s = start;
  std::vector<torch::Tensor> tops;
  for (int64_t t = 0; t < embedded.size(1); ++t) {
    torch::Tensor x = embedded.select(/*dim=*/1, t);
    torch::Tensor context =
        output_to_input_->forward(torch::cat({s.h[-1], x}, /*dim=*/1), input_states, input_mask);
    RecurrentState next = output_cells_->forward(torch::cat({x, context}, /*dim=*/1), s);
    torch::Tensor live = mask.select(/*dim=*/1, t).view({1, -1, 1});
    s = RecurrentState{torch::where(live, next.h, s.h), torch::where(live, next.c, s.c)};
    tops.push_back(s.h[-1]);
  }
  torch::Tensor states = torch::stack(tops, /*dim=*/1);
  if (config_.variant == Variant::kAttentionC) {
    states = RunPacked(output_refiner_, states, batch.output_lengths, torch::nullopt).first;
  }
  return {states, s};
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
  const int64_t tasks = example_mask.size(0), slots = example_mask.size(1);
  std::vector<int64_t> shape = top.sizes().vec();  // [..., rows, H]
  shape.back() = slots;
  shape[shape.size() - 2] = tasks;
  shape.push_back(top.size(-1));                   // [..., B, N, H]
  torch::Tensor z = torch::tanh(pool_->forward(top)).view(shape);
  z = z.masked_fill(example_mask.logical_not().unsqueeze(-1), kEmptySlot);
  return softmax_->forward(std::get<0>(z.max(/*dim=*/-2)));
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
