// neural/induction/internal/neural_gpu_net.h: the LibTorch modules behind
// NeuralGpuModel (neural/induction/neural_gpu.h has the architecture). Included only
// by neural/*.cc: it brings in the Torch headers.
//
// Shapes: B tapes, n positions, w = height rows, m maps, V symbols. The
// state is NCHW [B, m, n, w], so a 3 x 3 Conv2d sees two neighbouring
// positions and rows on each side.
#ifndef FLASHSYNTH_NEURAL_INDUCTION_INTERNAL_NEURAL_GPU_NET_H_
#define FLASHSYNTH_NEURAL_INDUCTION_INTERNAL_NEURAL_GPU_NET_H_

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>

#include <mutex>

#include "neural/induction/neural_gpu.h"

namespace flashsynth::neural::internal {

// One convolutional GRU; u and r come from one convolution (both read s).
class CgruImpl : public torch::nn::Module {
 public:
  CgruImpl(int64_t maps, double cutoff);
  torch::Tensor forward(const torch::Tensor& state);  // [B, m, n, w] -> same

 private:
  double cutoff_;
  torch::nn::Conv2d gates_{nullptr};      // m -> 2m: u, r
  torch::nn::Conv2d candidate_{nullptr};  // m -> m on r * s
};
TORCH_MODULE(Cgru);

class NeuralGpuNetImpl : public torch::nn::Module {
 public:
  explicit NeuralGpuNetImpl(const NeuralGpuConfig& config);

  // symbols [B, n, w] (int64), mask [B, n] float (1 = a real position) or
  // undefined when every tape fills all n; `dropout` the state's dropout
  // rate at every step (0 in evaluation). Runs n steps; logits [B, n, V].
  torch::Tensor forward(const torch::Tensor& symbols, const torch::Tensor& mask, double dropout);

  // sum over parameters of sum_i ||p_i - mean_j p_j||^2 across the active
  // sets; zero with one active set.
  torch::Tensor RelaxDistance();
  // Copies the sets' mean into set 0 and uses set 0 alone from then on.
  void AverageSets();

  int active_sets() const { return active_sets_; }
  void set_active_sets(int n) { active_sets_ = n; }
  // Parameters that take part in forward(): embedding, output, active sets.
  int64_t CountActiveParameters() const;

 private:
  NeuralGpuConfig config_;
  int active_sets_;
  torch::nn::Embedding embedding_{nullptr};
  torch::nn::ModuleList cells_{nullptr};  // relax_sets * layers, set-major
  torch::nn::Linear output_{nullptr};
};
TORCH_MODULE(NeuralGpuNet);

struct NeuralGpuState {
  NeuralGpuConfig config;
  NeuralGpuNet net{nullptr};
  torch::Device device = torch::kCPU;
  std::mutex mu;  // Run() and PredictOutputs()
};

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_INDUCTION_INTERNAL_NEURAL_GPU_NET_H_
