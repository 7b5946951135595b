#include "neural/robustfill/trainer.h"

#include <torch/types.h>  // before clip_grad.h, which needs torch::Tensor
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>

#include <chrono>
#include <cmath>
#include <random>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "neural/robustfill/beam_search.h"
#include "neural/internal/container.h"
#include "neural/internal/module_weights.h"
#include "neural/robustfill/internal/robustfill_net.h"
#include "neural/internal/seeds.h"
#include "neural/internal/torch_error.h"

namespace flashsynth::neural {

namespace {

using internal::MixSeed;
using internal::StepSeed;
using internal::SecondsSince;
using internal::TorchError;

using internal::Batch;
using internal::TokenLoss;

constexpr int kEvalBatchSize = 64;
constexpr int kMaxSkipsPerTask = 100;  // then the options are at fault, not luck

// A task ready for the model.
struct TrainingTask {
  dsl::Program program;
  IoExamples examples;
  std::vector<int> tokens;  // the program's, ending in EOS
};

size_t RowChars(const dsl::Row& row) {
  size_t n = row.empty() ? 0 : row.size() - 1;  // separators
  for (const std::string& cell : row) n += dsl::CountChars(cell);
  return n;
}

// `count` usable tasks drawn with `seed`; each keeps the first n examples,
// n uniform in [min_examples, max_examples].
absl::StatusOr<std::vector<TrainingTask>> SampleTasks(const TrainerOptions& options,
                                                      const ProgramVocab& vocab, uint64_t seed,
                                                      int count, int* skipped) {
  dsl::SamplerOptions sampler_options = options.sampler;
  sampler_options.num_examples = options.max_examples;
  dsl::Sampler sampler(sampler_options, seed);
  std::mt19937_64 rng(MixSeed(seed));
  std::vector<TrainingTask> tasks;
  *skipped = 0;
  const auto span = static_cast<uint64_t>(options.max_examples - options.min_examples + 1);
  while (static_cast<int>(tasks.size()) < count) {
    dsl::SampledTask t = sampler.Next();
    const auto n = static_cast<size_t>(options.min_examples) + static_cast<size_t>(rng() % span);
    t.inputs.resize(n);
    t.outputs.resize(n);
    if (CheckTask(t, vocab, options) != SkipReason::kNone) {
      if (++*skipped > kMaxSkipsPerTask * count) {
        return absl::InvalidArgumentError(absl::StrCat(
            "skipped ", *skipped, " sampled tasks: raise max_chars or max_program_tokens, "
            "or sample shorter programs"));
      }
      continue;
    }
    std::vector<int> tokens = *TokenizeProgram(t.program, vocab);
    tasks.push_back(TrainingTask{std::move(t.program),
                                 IoExamples{std::move(t.inputs), std::move(t.outputs)},
                                 std::move(tokens)});
  }
  return tasks;
}

Batch MakeTrainingBatch(absl::Span<const TrainingTask> tasks, const internal::ModelState& state) {
  std::vector<const IoExamples*> examples;
  std::vector<const std::vector<int>*> programs;
  for (const TrainingTask& t : tasks) {
    examples.push_back(&t.examples);
    programs.push_back(&t.tokens);
  }
  return internal::MakeBatch(examples, programs, state.config.max_chars, state.device);
}

}  // namespace

SkipReason CheckTask(const dsl::SampledTask& task, const ProgramVocab& vocab,
                     const TrainerOptions& options) {
  const auto max_chars = static_cast<size_t>(options.model.max_chars);
  bool any_output = false;
  for (size_t i = 0; i < task.outputs.size(); ++i) {
    any_output = any_output || !task.outputs[i].empty();
    if (dsl::CountChars(task.outputs[i]) > max_chars || RowChars(task.inputs[i]) > max_chars) {
      return SkipReason::kTooLong;
    }
  }
  if (!any_output) return SkipReason::kEmptyOutputs;
  absl::StatusOr<std::vector<int>> tokens = TokenizeProgram(task.program, vocab);
  if (!tokens.ok()) return SkipReason::kNotTokenizable;
  if (static_cast<int>(tokens->size()) > options.max_program_tokens) {
    return SkipReason::kProgramTooLong;
  }
  return SkipReason::kNone;
}

absl::Status ValidateTrainerOptions(const TrainerOptions& o) {
  FS_RETURN_IF_ERROR(ValidateConfig(o.model));
  if (o.min_examples < 1 || o.max_examples < o.min_examples) {
    return absl::InvalidArgumentError(absl::StrCat(
        "examples per task: need 1 <= min (", o.min_examples, ") <= max (", o.max_examples, ")"));
  }
  if (o.batch_size < 1) return absl::InvalidArgumentError("batch_size must be >= 1");
  if (!(o.learning_rate > 0)) return absl::InvalidArgumentError("learning_rate must be > 0");
  if (o.max_program_tokens < 2) return absl::InvalidArgumentError("max_program_tokens must be >= 2");
  if (o.eval_tasks < 0) return absl::InvalidArgumentError("eval_tasks must be >= 0");
  if (o.sampler.max_expressions < o.sampler.min_expressions || o.sampler.min_expressions < 1) {
    return absl::InvalidArgumentError("sampler: need 1 <= min_expressions <= max_expressions");
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------

struct Trainer::Impl {
  TrainerOptions options;
  std::unique_ptr<RobustFillModel> model;
  std::unique_ptr<torch::optim::Adam> optimizer;
  int64_t step = 0;
  std::vector<TrainingTask> eval_set;

  internal::ModelState& state() { return model->state(); }
  absl::StatusOr<TokenLoss> TeacherForced(absl::Span<const TrainingTask> tasks, bool train);
  absl::Status Decode(const EvalOptions& eval, EvalStats* stats);
};

absl::StatusOr<TokenLoss> Trainer::Impl::TeacherForced(absl::Span<const TrainingTask> tasks,
                                                       bool train) {
  try {
    internal::RobustFillNet& net = state().net;
    net->train(train);
    Batch batch = MakeTrainingBatch(tasks, state());
    if (train) optimizer->zero_grad();
    TokenLoss loss = internal::CrossEntropy(net->forward(batch), batch.program_out);
    if (train) {
      loss.loss.backward();
      if (options.clip_norm > 0) torch::nn::utils::clip_grad_norm_(net->parameters(), options.clip_norm);
      optimizer->step();
    }
    return loss;
  } catch (const c10::Error& e) {
    return TorchError(train ? "training step" : "evaluation", e);
  }
}

absl::Status Trainer::Impl::Decode(const EvalOptions& eval, EvalStats* stats) {
  BeamSearchOptions search;
  search.beam_size = eval.beam_size;
  search.max_tokens = options.max_program_tokens;
  search.execution_guided = eval.beam_size > 1;
  search.only_consistent = false;
  int exact = 0, consistent = 0;
  for (int i = 0; i < stats->tasks; ++i) {
    const TrainingTask& t = eval_set[static_cast<size_t>(i)];
    FS_ASSIGN_OR_RETURN(std::vector<Candidate> found, BeamSearch(*model, t.examples, search));
    if (found.empty()) continue;
    exact += found[0].program == t.program;
    consistent += found[0].consistent;
  }
  stats->exact_rate = stats->tasks == 0 ? 0 : static_cast<double>(exact) / stats->tasks;
  stats->consistent_rate = stats->tasks == 0 ? 0 : static_cast<double>(consistent) / stats->tasks;
  return absl::OkStatus();
}

Trainer::Trainer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Trainer::~Trainer() = default;

absl::StatusOr<std::unique_ptr<Trainer>> Trainer::Create(const TrainerOptions& options) {
  FS_RETURN_IF_ERROR(ValidateTrainerOptions(options));
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  FS_ASSIGN_OR_RETURN(impl->model, RobustFillModel::Create(options.model, options.seed));
  FS_ASSIGN_OR_RETURN(DeviceKind device, impl->model->MoveTo(options.device));
  if (device == DeviceKind::kCuda) {
    // TF32 matmuls on Ampere and later (../shared/reference/libtorch_notes.md, section 6).
    at::globalContext().setAllowTF32CuBLAS(true);
    at::globalContext().setAllowTF32CuDNN(true);
  }
  int skipped = 0;
  FS_ASSIGN_OR_RETURN(impl->eval_set, SampleTasks(options, impl->model->vocab(), options.eval_seed,
                                                  options.eval_tasks, &skipped));
  try {
    impl->optimizer = std::make_unique<torch::optim::Adam>(
        impl->state().net->parameters(), torch::optim::AdamOptions(options.learning_rate));
  } catch (const c10::Error& e) {
    return TorchError("creating the optimizer", e);
  }
  return std::unique_ptr<Trainer>(new Trainer(std::move(impl)));
}

absl::StatusOr<StepStats> Trainer::Step() {
  const auto start = std::chrono::steady_clock::now();
  const TrainerOptions& o = impl_->options;
  StepStats stats;
  FS_ASSIGN_OR_RETURN(std::vector<TrainingTask> tasks,
                      SampleTasks(o, impl_->model->vocab(), StepSeed(o.seed, impl_->step + 1),
                                  o.batch_size, &stats.skipped));
  FS_ASSIGN_OR_RETURN(TokenLoss loss, impl_->TeacherForced(tasks, /*train=*/true));
  stats.loss = loss.loss.item<double>();
  if (!std::isfinite(stats.loss)) {
    return absl::InternalError(absl::StrCat("the loss is not finite at step ", impl_->step + 1));
  }
  stats.step = ++impl_->step;
  stats.token_accuracy = static_cast<double>(loss.correct) / std::max<int64_t>(1, loss.total);
  stats.programs = static_cast<int>(tasks.size());
  stats.seconds = SecondsSince(start);
  return stats;
}

absl::StatusOr<EvalStats> Trainer::Evaluate(const EvalOptions& eval) {
  const auto start = std::chrono::steady_clock::now();
  EvalStats stats;
  const int total = static_cast<int>(impl_->eval_set.size());
  stats.tasks = eval.max_tasks < 0 ? total : std::min(eval.max_tasks, total);
  double loss_sum = 0;
  int64_t correct = 0, tokens = 0;
  torch::NoGradGuard no_grad;
  for (int i = 0; i < stats.tasks; i += kEvalBatchSize) {
    const int n = std::min(kEvalBatchSize, stats.tasks - i);
    FS_ASSIGN_OR_RETURN(TokenLoss loss,
                        impl_->TeacherForced(absl::MakeConstSpan(impl_->eval_set).subspan(
                                                 static_cast<size_t>(i), static_cast<size_t>(n)),
                                             /*train=*/false));
    loss_sum += loss.loss.item<double>() * static_cast<double>(loss.total);
    correct += loss.correct;
    tokens += loss.total;
  }
  stats.loss = tokens == 0 ? 0 : loss_sum / static_cast<double>(tokens);
  stats.token_accuracy = tokens == 0 ? 0 : static_cast<double>(correct) / static_cast<double>(tokens);
  if (eval.decode) FS_RETURN_IF_ERROR(impl_->Decode(eval, &stats));
  stats.seconds = SecondsSince(start);
  return stats;
}

absl::StatusOr<std::string> Trainer::Checkpoint() const {
  try {
    torch::serialize::OutputArchive root, weights, optimizer;
    impl_->state().net->save(weights);
    impl_->optimizer->save(optimizer);
    root.write("model", weights);
    root.write("optimizer", optimizer);
    std::ostringstream out;
    root.save_to(out);
    internal::Container c{"checkpoint", {}, out.str()};
    internal::WriteModelFields(impl_->state(), &c.fields);
    c.fields["step"] = absl::StrCat(impl_->step);
    c.fields["seed"] = absl::StrCat(impl_->options.seed);
    c.fields["learning_rate"] = absl::StrCat(impl_->options.learning_rate);  // for the record
    c.fields["batch_size"] = absl::StrCat(impl_->options.batch_size);
    return internal::WriteContainer(c);
  } catch (const c10::Error& e) {
    return TorchError("writing the checkpoint", e);
  }
}

absl::StatusOr<std::unique_ptr<Trainer>> Trainer::Resume(const TrainerOptions& options,
                                                         std::string_view checkpoint,
                                                         std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(internal::Container c, internal::ReadContainer(checkpoint, source_name));
  if (c.kind != "checkpoint") {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(source_name), ": a \"", c.kind, "\" file, not a checkpoint"));
  }
  TrainerOptions resumed = options;
  FS_ASSIGN_OR_RETURN(resumed.model, internal::ReadModelConfig(c.fields, source_name));
  FS_ASSIGN_OR_RETURN(int64_t step, internal::IntField(c, "step", source_name));
  FS_ASSIGN_OR_RETURN(std::string seed, internal::StringField(c, "seed", source_name));
  if (!absl::SimpleAtoi(seed, &resumed.seed) || step < 0) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source_name), ": bad step or seed"));
  }
  FS_ASSIGN_OR_RETURN(std::unique_ptr<Trainer> trainer, Create(resumed));
  Impl& impl = *trainer->impl_;
  try {
    torch::serialize::InputArchive root, weights, optimizer;
    root.load_from(c.payload.data(), c.payload.size(), impl.state().device);
    if (!root.try_read("model", weights) || !root.try_read("optimizer", optimizer)) {
      return absl::InvalidArgumentError(
          absl::StrCat(ToAbsl(source_name), ": the checkpoint lacks its model or optimizer"));
    }
    FS_RETURN_IF_ERROR(internal::LoadModuleWeights(weights, *impl.state().net, source_name));
    impl.optimizer->load(optimizer);
  } catch (const c10::Error& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(source_name), ": cannot read the checkpoint: ", e.what_without_backtrace()));
  }
  impl.step = step;
  return trainer;
}

int64_t Trainer::step() const { return impl_->step; }
const TrainerOptions& Trainer::options() const { return impl_->options; }
const RobustFillModel& Trainer::model() const { return *impl_->model; }
DeviceKind Trainer::device() const { return impl_->model->device(); }

}  // namespace flashsynth::neural
