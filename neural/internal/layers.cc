#include "neural/internal/layers.h"

#include <torch/nn/utils/rnn.h>

#include <algorithm>
#include <string>

#include "neural/tokens.h"

namespace flashsynth::neural::internal {

namespace rnn = torch::nn::utils::rnn;

// ---------------------------------------------------------------------------
// Batches.

torch::Tensor PadRows(const std::vector<std::vector<int>>& rows, torch::Tensor* lengths) {
  size_t width = 1;
  for (const auto& r : rows) width = std::max(width, r.size());
  torch::Tensor ids = torch::zeros({static_cast<int64_t>(rows.size()), static_cast<int64_t>(width)},
                                   torch::kInt64);
  torch::Tensor length = torch::zeros({static_cast<int64_t>(rows.size())}, torch::kInt64);
  auto id = ids.accessor<int64_t, 2>();
  auto len = length.accessor<int64_t, 1>();
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = 0; j < rows[i].size(); ++j) id[i][j] = rows[i][j];
    len[i] = static_cast<int64_t>(rows[i].size());
  }
  if (lengths != nullptr) *lengths = length;
  return ids;
}

ExampleBatch MakeExampleBatch(absl::Span<const IoExamples* const> tasks, int max_chars,
                              torch::Device device) {
  ExampleBatch b;
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
  return b;
}

// ---------------------------------------------------------------------------
// Recurrences.

std::pair<torch::Tensor, RecurrentState> RunPacked(torch::nn::LSTM& lstm, const torch::Tensor& x,
                                                   const torch::Tensor& lengths,
                                                   const RecurrentState* start) {
  rnn::PackedSequence packed =
      rnn::pack_padded_sequence(x, lengths, /*batch_first=*/true, /*enforce_sorted=*/false);
  torch::optional<std::tuple<torch::Tensor, torch::Tensor>> state;
  if (start != nullptr) state = std::make_tuple(start->h, start->c);
  auto [out, final_state] = lstm->forward_with_packed_input(packed, std::move(state));
  torch::Tensor padded = std::get<0>(rnn::pad_packed_sequence(
      out, /*batch_first=*/true, /*padding_value=*/0.0, /*total_length=*/x.size(1)));
  return {padded, RecurrentState{std::get<0>(final_state), std::get<1>(final_state)}};
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

std::pair<torch::Tensor, RecurrentState> EncodeAttending(Attention& attention, CellStack& cells,
                                                         const torch::Tensor& embedded,
                                                         const torch::Tensor& mask,
                                                         const torch::Tensor& memory,
                                                         const torch::Tensor& memory_mask,
                                                         const RecurrentState& start) {
  RecurrentState s = start;
  std::vector<torch::Tensor> tops;
  for (int64_t t = 0; t < embedded.size(1); ++t) {
    torch::Tensor x = embedded.select(/*dim=*/1, t);
    torch::Tensor context =
        attention->forward(torch::cat({s.h[-1], x}, /*dim=*/1), memory, memory_mask);
    RecurrentState next = cells->forward(torch::cat({x, context}, /*dim=*/1), s);
    torch::Tensor live = mask.select(/*dim=*/1, t).view({1, -1, 1});
    s = RecurrentState{torch::where(live, next.h, s.h), torch::where(live, next.c, s.c)};
    tops.push_back(s.h[-1]);
  }
  return {torch::stack(tops, /*dim=*/1), s};
}

// ---------------------------------------------------------------------------
// Attention and pooling.

namespace {

// Softmax weights of `projected` [rows, M] over `memory` [rows, K, M].
torch::Tensor RowWeights(const torch::Tensor& projected, const torch::Tensor& memory,
                         const torch::Tensor& mask) {
  torch::Tensor scores = torch::bmm(memory, projected.unsqueeze(2)).squeeze(2);
  scores = scores.masked_fill(mask.logical_not(), kMaskedScore);
  return torch::softmax(scores, /*dim=*/1);
}

}  // namespace

AttentionImpl::AttentionImpl(int64_t query_size, int64_t memory_size)
    : project_(register_module("project", torch::nn::Linear(query_size, memory_size))) {}

torch::Tensor AttentionImpl::forward(const torch::Tensor& query, const torch::Tensor& memory,
                                     const torch::Tensor& mask) {
  return Attend(project_->forward(query), memory, mask);
}

torch::Tensor AttentionImpl::Weights(const torch::Tensor& query, const torch::Tensor& memory,
                                     const torch::Tensor& mask) {
  return RowWeights(project_->forward(query), memory, mask);
}

torch::Tensor AttentionImpl::Attend(const torch::Tensor& projected, const torch::Tensor& memory,
                                    const torch::Tensor& mask) {
  const int64_t rows = projected.size(0), memory_rows = memory.size(0);
  if (memory_rows == rows) {
    return torch::bmm(RowWeights(projected, memory, mask).unsqueeze(1), memory).squeeze(1);
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

torch::Tensor LatePool(torch::nn::Linear& pool, const torch::Tensor& top,
                       const torch::Tensor& example_mask) {
  const int64_t tasks = example_mask.size(0), slots = example_mask.size(1);
  torch::Tensor z = torch::tanh(pool->forward(top));
  std::vector<int64_t> shape = z.sizes().vec();  // [..., rows, H]
  const int64_t width = shape.back();
  shape.back() = slots;
  shape[shape.size() - 2] = tasks;
  shape.push_back(width);                         // [..., B, N, H]
  z = z.view(shape).masked_fill(example_mask.logical_not().unsqueeze(-1), kEmptySlot);
  return std::get<0>(z.max(/*dim=*/-2));
}

}  // namespace flashsynth::neural::internal
