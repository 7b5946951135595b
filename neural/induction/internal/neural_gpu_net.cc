#include "neural/induction/internal/neural_gpu_net.h"

#include <torch/nn/functional/dropout.h>
#include <torch/nn/init.h>
#include <torch/types.h>
#include <torch/utils.h>

#include <vector>

namespace flashsynth::neural::internal {

namespace {

// The gate cutoff (section 3.3): a sigmoid stretched so that it reaches 0
// and 1 exactly, letting a gate close completely.
torch::Tensor CutoffSigmoid(const torch::Tensor& x, double cutoff) {
  return torch::clamp(cutoff * torch::sigmoid(x) - (cutoff - 1.0) / 2.0, 0.0, 1.0);
}

}  // namespace

CgruImpl::CgruImpl(int64_t maps, double cutoff) : cutoff_(cutoff) {
  gates_ = register_module(
      "gates", torch::nn::Conv2d(torch::nn::Conv2dOptions(maps, 2 * maps, 3).padding(1)));
  candidate_ = register_module(
      "candidate", torch::nn::Conv2d(torch::nn::Conv2dOptions(maps, maps, 3).padding(1)));
  // The authors' code starts the gates' biases at 1: the update gate mostly
  // keeps the state, so gradients pass through the 2n CGRUs from the start.
  torch::NoGradGuard no_grad;
  gates_->bias.fill_(1.0);
}

torch::Tensor CgruImpl::forward(const torch::Tensor& state) {
  std::vector<torch::Tensor> ur = CutoffSigmoid(gates_->forward(state), cutoff_).chunk(2, 1);
  const torch::Tensor& u = ur[0];
  const torch::Tensor& r = ur[1];
  return u * state + (1 - u) * torch::tanh(candidate_->forward(r * state));
}

NeuralGpuNetImpl::NeuralGpuNetImpl(const NeuralGpuConfig& config)
    : config_(config), active_sets_(config.relax_sets) {
  const int64_t vocab = VocabSize(config.task);
  embedding_ = register_module(
      "embedding", torch::nn::Embedding(torch::nn::EmbeddingOptions(vocab, config.maps).padding_idx(0)));
  {
    // Wide enough that tanh(embedding) is far from 0 (the authors' code).
    torch::NoGradGuard no_grad;
    embedding_->weight.uniform_(-1.7, 1.7);
    embedding_->weight[0].zero_();
  }
  cells_ = register_module("cells", torch::nn::ModuleList());
  for (int i = 0; i < config.relax_sets * config.layers; ++i) {
    cells_->push_back(Cgru(config.maps, config.cutoff));
  }
  output_ = register_module("output", torch::nn::Linear(config.maps, vocab));
}

torch::Tensor NeuralGpuNetImpl::forward(const torch::Tensor& symbols, const torch::Tensor& mask,
                                        double dropout) {
  const int64_t n = symbols.size(1);
  // [B, n, w] -> [B, n, w, m] -> [B, m, n, w]
  torch::Tensor s = torch::tanh(embedding_->forward(symbols)).permute({0, 3, 1, 2}).contiguous();
  torch::Tensor cell_mask;
  if (mask.defined()) cell_mask = mask.unsqueeze(1).unsqueeze(3);  // [B, 1, n, 1]
  for (int64_t t = 0; t < n; ++t) {
    if (dropout > 0) {
      s = torch::nn::functional::dropout(
          s, torch::nn::functional::DropoutFuncOptions().p(dropout).training(true));
    }
    const int set = static_cast<int>(t % active_sets_);
    for (int l = 0; l < config_.layers; ++l) {
      s = cells_[static_cast<size_t>(set * config_.layers + l)]->as<CgruImpl>()->forward(s);
      if (cell_mask.defined()) s = s * cell_mask;
    }
  }
  // Row 0 of the final state: [B, m, n] -> [B, n, m] -> [B, n, V].
  return output_->forward(s.select(3, 0).permute({0, 2, 1}));
}

torch::Tensor NeuralGpuNetImpl::RelaxDistance() {
  torch::Tensor total = torch::zeros({}, embedding_->weight.options());
  if (active_sets_ <= 1) return total;
  std::vector<torch::Tensor> params = cells_->parameters();  // set-major
  const size_t per_set = params.size() / static_cast<size_t>(config_.relax_sets);
  for (size_t k = 0; k < per_set; ++k) {
    std::vector<torch::Tensor> same;
    for (int i = 0; i < active_sets_; ++i) same.push_back(params[static_cast<size_t>(i) * per_set + k]);
    torch::Tensor stacked = torch::stack(same);
    total = total + (stacked - stacked.mean(0, /*keepdim=*/true)).pow(2).sum();
  }
  return total;
}

void NeuralGpuNetImpl::AverageSets() {
  if (active_sets_ <= 1) return;
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> params = cells_->parameters();
  const size_t per_set = params.size() / static_cast<size_t>(config_.relax_sets);
  for (size_t k = 0; k < per_set; ++k) {
    std::vector<torch::Tensor> same;
    for (int i = 0; i < active_sets_; ++i) same.push_back(params[static_cast<size_t>(i) * per_set + k]);
    params[k].copy_(torch::stack(same).mean(0));
  }
  active_sets_ = 1;
}

int64_t NeuralGpuNetImpl::CountActiveParameters() const {
  int64_t n = embedding_->weight.numel() + output_->weight.numel() + output_->bias.numel();
  const std::vector<torch::Tensor> cells = cells_->parameters();
  const size_t per_set = cells.size() / static_cast<size_t>(config_.relax_sets);
  for (size_t k = 0; k < per_set * static_cast<size_t>(active_sets_); ++k) n += cells[k].numel();
  return n;
}

}  // namespace flashsynth::neural::internal
