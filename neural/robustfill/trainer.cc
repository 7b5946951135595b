#include "neural/robustfill/trainer.h"

#include <torch/types.h>

#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "neural/robustfill/beam_search.h"
#include "neural/internal/container.h"
#include "neural/internal/seeds.h"
#include "neural/internal/torch_error.h"
#include "neural/internal/training_loop.h"
#include "neural/robustfill/internal/robustfill_net.h"

namespace flashsynth::neural {

namespace {

using internal::MixSeed;
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
  FS_RETURN_IF_ERROR(ValidateOptimizerOptions(o.optimizer));
  if (o.max_program_tokens < 2) return absl::InvalidArgumentError("max_program_tokens must be >= 2");
  if (o.eval_tasks < 0) return absl::InvalidArgumentError("eval_tasks must be >= 0");
  if (o.sampler.max_expressions < o.sampler.min_expressions || o.sampler.min_expressions < 1) {
    return absl::InvalidArgumentError("sampler: need 1 <= min_expressions <= max_expressions");
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------

namespace {

// RobustFill's training job: the model, its batches of sampled tasks and
// its evaluation; internal::TorchTrainingJob does the rest.
class RobustFillJob : public internal::TorchTrainingJob {
 public:
  static absl::StatusOr<std::unique_ptr<RobustFillJob>> New(const TrainerOptions& options,
                                                            const EvalOptions& eval);

  std::string Describe() const override;
  std::string ItemName() const override { return "programs"; }
  // EvaluateWith() the options given to New(), as flashsynth-train prints it.
  absl::StatusOr<JobEvalStats> Evaluate() override;
  absl::StatusOr<std::string> SaveModel() const override { return model_->Save(); }

  absl::StatusOr<EvalStats> EvaluateWith(const EvalOptions& eval);
  const TrainerOptions& options() const { return options_; }
  const RobustFillModel& model() const { return *model_; }
  int last_skipped() const { return last_skipped_; }  // by the last Step()

 private:
  RobustFillJob() = default;
  internal::ModelState& state() { return model_->state(); }
  absl::StatusOr<internal::BatchLoss> TrainingLoss(uint64_t seed) override;
  void WriteCheckpointFields(std::map<std::string, std::string>* fields) const override;
  TokenLoss TeacherForced(absl::Span<const TrainingTask> tasks, bool train);
  absl::Status Decode(const EvalOptions& eval, EvalStats* stats);

  TrainerOptions options_;
  EvalOptions eval_;
  std::unique_ptr<RobustFillModel> model_;
  std::vector<TrainingTask> eval_set_;
  int last_skipped_ = 0;
};

absl::StatusOr<std::unique_ptr<RobustFillJob>> RobustFillJob::New(const TrainerOptions& options,
                                                                  const EvalOptions& eval) {
  FS_RETURN_IF_ERROR(ValidateTrainerOptions(options));
  std::unique_ptr<RobustFillJob> job(new RobustFillJob());
  job->options_ = options;
  job->eval_ = eval;
  FS_ASSIGN_OR_RETURN(job->model_, RobustFillModel::Create(options.model, options.seed));
  FS_ASSIGN_OR_RETURN(DeviceKind device, job->model_->MoveTo(options.device));
  internal::AllowTf32OnCuda(device);
  int skipped = 0;
  FS_ASSIGN_OR_RETURN(job->eval_set_, SampleTasks(options, job->model_->vocab(), options.eval_seed,
                                                  options.eval_tasks, &skipped));
  FS_RETURN_IF_ERROR(job->StartTraining(*job->state().net, options.optimizer, options.seed));
  return job;
}

std::string RobustFillJob::Describe() const {
  const ModelConfig& c = model_->config();
  return absl::StrFormat("robustfill %s E=%d H=%d layers=%d: %d parameters on %s",
                         VariantName(c.variant), c.embedding_size, c.hidden_size, c.num_layers,
                         model_->num_parameters(), DeviceKindName(model_->device()));
}

TokenLoss RobustFillJob::TeacherForced(absl::Span<const TrainingTask> tasks, bool train) {
  internal::RobustFillNet& net = state().net;
  net->train(train);
  Batch batch = MakeTrainingBatch(tasks, state());
  return internal::CrossEntropy(net->forward(batch), batch.program_out);
}

absl::StatusOr<internal::BatchLoss> RobustFillJob::TrainingLoss(uint64_t seed) {
  FS_ASSIGN_OR_RETURN(std::vector<TrainingTask> tasks,
                      SampleTasks(options_, model_->vocab(), seed, options_.batch_size,
                                  &last_skipped_));
  TokenLoss loss = TeacherForced(tasks, /*train=*/true);
  return internal::BatchLoss{loss.loss, {}, loss.correct, loss.total,
                             static_cast<int>(tasks.size())};
}

void RobustFillJob::WriteCheckpointFields(std::map<std::string, std::string>* fields) const {
  internal::WriteModelFields(model_->state(), fields);
  (*fields)["batch_size"] = absl::StrCat(options_.batch_size);  // for the record
}

absl::Status RobustFillJob::Decode(const EvalOptions& eval, EvalStats* stats) {
  BeamSearchOptions search;
  search.beam_size = eval.beam_size;
  search.max_tokens = options_.max_program_tokens;
  search.execution_guided = eval.beam_size > 1;
  search.only_consistent = false;
  int exact = 0, consistent = 0;
  for (int i = 0; i < stats->tasks; ++i) {
    const TrainingTask& t = eval_set_[static_cast<size_t>(i)];
    FS_ASSIGN_OR_RETURN(std::vector<Candidate> found, BeamSearch(*model_, t.examples, search));
    if (found.empty()) continue;
    exact += found[0].program == t.program;
    consistent += found[0].consistent;
  }
  stats->exact_rate = stats->tasks == 0 ? 0 : static_cast<double>(exact) / stats->tasks;
  stats->consistent_rate = stats->tasks == 0 ? 0 : static_cast<double>(consistent) / stats->tasks;
  return absl::OkStatus();
}

absl::StatusOr<EvalStats> RobustFillJob::EvaluateWith(const EvalOptions& eval) {
  const auto start = std::chrono::steady_clock::now();
  EvalStats stats;
  const int total = static_cast<int>(eval_set_.size());
  stats.tasks = eval.max_tasks < 0 ? total : std::min(eval.max_tasks, total);
  double loss_sum = 0;
  int64_t correct = 0, tokens = 0;
  try {
    torch::NoGradGuard no_grad;
    for (int i = 0; i < stats.tasks; i += kEvalBatchSize) {
      const int n = std::min(kEvalBatchSize, stats.tasks - i);
      TokenLoss loss = TeacherForced(absl::MakeConstSpan(eval_set_).subspan(
                                         static_cast<size_t>(i), static_cast<size_t>(n)),
                                     /*train=*/false);
      loss_sum += loss.loss.item<double>() * static_cast<double>(loss.total);
      correct += loss.correct;
      tokens += loss.total;
    }
  } catch (const c10::Error& e) {
    return TorchError("evaluation", e);
  }
  stats.loss = tokens == 0 ? 0 : loss_sum / static_cast<double>(tokens);
  stats.token_accuracy = tokens == 0 ? 0 : static_cast<double>(correct) / static_cast<double>(tokens);
  if (eval.decode) FS_RETURN_IF_ERROR(Decode(eval, &stats));
  stats.seconds = SecondsSince(start);
  return stats;
}

absl::StatusOr<JobEvalStats> RobustFillJob::Evaluate() {
  FS_ASSIGN_OR_RETURN(EvalStats e, EvaluateWith(eval_));
  JobEvalStats out;
  out.summary = absl::StrFormat("loss %.4f  tok-acc %.3f", e.loss, e.token_accuracy);
  out.metrics = {{"loss", e.loss}, {"token_accuracy", e.token_accuracy}};
  if (e.exact_rate >= 0) {
    absl::StrAppendFormat(&out.summary, "  exact %.3f  consistent %.3f (beam %d)", e.exact_rate,
                          e.consistent_rate, eval_.beam_size);
    out.metrics.push_back({"exact", e.exact_rate});
    out.metrics.push_back({"consistent", e.consistent_rate});
  }
  absl::StrAppendFormat(&out.summary, "  [%d tasks]", e.tasks);
  out.seconds = e.seconds;
  return out;
}

absl::StatusOr<std::unique_ptr<RobustFillJob>> ResumeJob(const TrainerOptions& options,
                                                         const EvalOptions& eval,
                                                         std::string_view checkpoint,
                                                         std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(internal::Container c, internal::ReadCheckpoint(checkpoint, source_name));
  TrainerOptions resumed = options;
  FS_ASSIGN_OR_RETURN(resumed.model, internal::ReadModelConfig(c.fields, source_name));
  FS_ASSIGN_OR_RETURN(resumed.seed, internal::CheckpointSeed(c, source_name));
  FS_ASSIGN_OR_RETURN(std::unique_ptr<RobustFillJob> job, RobustFillJob::New(resumed, eval));
  FS_RETURN_IF_ERROR(job->RestoreCheckpoint(c, source_name));
  return job;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TrainingJob>> CreateRobustFillJob(const TrainerOptions& options,
                                                                 const EvalOptions& eval) {
  FS_ASSIGN_OR_RETURN(std::unique_ptr<RobustFillJob> job, RobustFillJob::New(options, eval));
  return std::unique_ptr<TrainingJob>(std::move(job));
}

absl::StatusOr<std::unique_ptr<TrainingJob>> ResumeRobustFillJob(const TrainerOptions& options,
                                                                 const EvalOptions& eval,
                                                                 std::string_view checkpoint,
                                                                 std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(std::unique_ptr<RobustFillJob> job,
                      ResumeJob(options, eval, checkpoint, source_name));
  return std::unique_ptr<TrainingJob>(std::move(job));
}

// ---------------------------------------------------------------------------
// Trainer: the job with RobustFill's own statistics.

struct Trainer::Impl {
  std::unique_ptr<RobustFillJob> job;
};

Trainer::Trainer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Trainer::~Trainer() = default;

absl::StatusOr<std::unique_ptr<Trainer>> Trainer::Create(const TrainerOptions& options) {
  auto impl = std::make_unique<Impl>();
  FS_ASSIGN_OR_RETURN(impl->job, RobustFillJob::New(options, EvalOptions()));
  return std::unique_ptr<Trainer>(new Trainer(std::move(impl)));
}

absl::StatusOr<std::unique_ptr<Trainer>> Trainer::Resume(const TrainerOptions& options,
                                                         std::string_view checkpoint,
                                                         std::string_view source_name) {
  auto impl = std::make_unique<Impl>();
  FS_ASSIGN_OR_RETURN(impl->job, ResumeJob(options, EvalOptions(), checkpoint, source_name));
  return std::unique_ptr<Trainer>(new Trainer(std::move(impl)));
}

absl::StatusOr<StepStats> Trainer::Step() {
  FS_ASSIGN_OR_RETURN(JobStepStats s, impl_->job->Step());
  return StepStats{s.step, s.loss, s.accuracy, s.items, impl_->job->last_skipped(), s.seconds};
}

absl::StatusOr<EvalStats> Trainer::Evaluate(const EvalOptions& eval) {
  return impl_->job->EvaluateWith(eval);
}

absl::StatusOr<std::string> Trainer::Checkpoint() const { return impl_->job->Checkpoint(); }
int64_t Trainer::step() const { return impl_->job->step(); }
const TrainerOptions& Trainer::options() const { return impl_->job->options(); }
const RobustFillModel& Trainer::model() const { return impl_->job->model(); }
DeviceKind Trainer::device() const { return impl_->job->model().device(); }

}  // namespace flashsynth::neural
