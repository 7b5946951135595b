#include "neural/internal/training_loop.h"

#include <ATen/Context.h>
#include <torch/types.h>  // before clip_grad.h, which needs torch::Tensor
#include <torch/nn/utils/clip_grad.h>
#include <torch/serialize.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"
#include "neural/internal/module_weights.h"
#include "neural/internal/seeds.h"
#include "neural/internal/torch_error.h"

namespace flashsynth::neural::internal {

namespace {

absl::Status BadCheckpoint(std::string_view source_name, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source_name), ": ", ToAbsl(what)));
}

}  // namespace

absl::Status TorchTrainingJob::StartTraining(torch::nn::Module& net,
                                             const OptimizerOptions& options, uint64_t seed) {
  FS_RETURN_IF_ERROR(ValidateOptimizerOptions(options));
  net_ = &net;
  options_ = options;
  seed_ = seed;
  try {
    optimizer_ = std::make_unique<torch::optim::Adam>(
        net.parameters(),
        torch::optim::AdamOptions(options.learning_rate).eps(options.adam_epsilon));
  } catch (const c10::Error& e) {
    return TorchError("creating the optimizer", e);
  }
  return absl::OkStatus();
}

absl::StatusOr<JobStepStats> TorchTrainingJob::Step() {
  const auto start = std::chrono::steady_clock::now();
  JobStepStats stats;
  try {
    optimizer_->zero_grad();
    FS_ASSIGN_OR_RETURN(BatchLoss loss, TrainingLoss(StepSeed(seed_, step_ + 1)));
    (loss.objective.defined() ? loss.objective : loss.loss).backward();
    BeforeClip();
    if (options_.clip_norm > 0) {
      torch::nn::utils::clip_grad_norm_(net_->parameters(), options_.clip_norm);
    }
    optimizer_->step();
    stats.loss = loss.loss.item<double>();
    stats.accuracy =
        static_cast<double>(loss.correct) / static_cast<double>(std::max<int64_t>(1, loss.total));
    stats.items = loss.items;
  } catch (const c10::Error& e) {
    return TorchError("training step", e);
  }
  if (!std::isfinite(stats.loss)) {
    return absl::InternalError(absl::StrCat("the loss is not finite at step ", step_ + 1));
  }
  stats.step = ++step_;
  FS_RETURN_IF_ERROR(AfterUpdate(&stats));
  stats.seconds = SecondsSince(start);
  return stats;
}

absl::StatusOr<std::string> TorchTrainingJob::Checkpoint() const {
  try {
    torch::serialize::OutputArchive root, weights, optimizer;
    net_->save(weights);
    optimizer_->save(optimizer);
    root.write("model", weights);
    root.write("optimizer", optimizer);
    std::ostringstream out;
    root.save_to(out);
    Container c{"checkpoint", {}, out.str()};
    WriteCheckpointFields(&c.fields);
    c.fields["step"] = absl::StrCat(step_);
    c.fields["seed"] = absl::StrCat(seed_);
    c.fields["learning_rate"] = absl::StrCat(options_.learning_rate);  // for the record
    return WriteContainer(c);
  } catch (const c10::Error& e) {
    return TorchError("writing the checkpoint", e);
  }
}

absl::Status TorchTrainingJob::RestoreCheckpoint(const Container& c, std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(int64_t step, IntField(c, "step", source_name));
  if (step < 0) return BadCheckpoint(source_name, "bad step");
  FS_ASSIGN_OR_RETURN(uint64_t seed, CheckpointSeed(c, source_name));
  try {
    torch::serialize::InputArchive root, weights, optimizer;
    root.load_from(c.payload.data(), c.payload.size(), ModuleDevice(*net_));
    if (!root.try_read("model", weights) || !root.try_read("optimizer", optimizer)) {
      return BadCheckpoint(source_name, "the checkpoint lacks its model or optimizer");
    }
    FS_RETURN_IF_ERROR(LoadModuleWeights(weights, *net_, source_name));
    optimizer_->load(optimizer);
  } catch (const c10::Error& e) {
    return BadCheckpoint(source_name,
                         absl::StrCat("cannot read the checkpoint: ", e.what_without_backtrace()));
  }
  ApplyLearningRate();  // after the optimizer's state, which holds the saved rate
  step_ = step;
  seed_ = seed;
  return absl::OkStatus();
}

void TorchTrainingJob::ApplyLearningRate() {
  for (torch::optim::OptimizerParamGroup& group : optimizer_->param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options())
        .lr(options_.learning_rate * LearningRateScale());
  }
}

absl::StatusOr<Container> ReadCheckpoint(std::string_view bytes, std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(Container c, ReadContainer(bytes, source_name));
  if (c.kind != "checkpoint") {
    return BadCheckpoint(source_name, absl::StrCat("a \"", c.kind, "\" file, not a checkpoint"));
  }
  return c;
}

absl::StatusOr<uint64_t> CheckpointSeed(const Container& c, std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(std::string text, StringField(c, "seed", source_name));
  uint64_t seed = 0;
  if (!absl::SimpleAtoi(text, &seed)) return BadCheckpoint(source_name, "bad seed");
  return seed;
}

void AllowTf32OnCuda(DeviceKind device) {
  if (device != DeviceKind::kCuda) return;
  at::globalContext().setAllowTF32CuBLAS(true);
  at::globalContext().setAllowTF32CuDNN(true);
}

}  // namespace flashsynth::neural::internal
