#include "neural/induction/induction_trainer.h"

#include <torch/types.h>  // before clip_grad.h, which needs torch::Tensor
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adam.h>

#include <chrono>
#include <cmath>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "neural/internal/container.h"
#include "neural/induction/internal/induction_net.h"
#include "neural/internal/module_weights.h"
#include "neural/tokens.h"
#include "neural/internal/seeds.h"
#include "neural/internal/torch_error.h"

namespace flashsynth::neural {

namespace {

using internal::MixSeed;
using internal::StepSeed;
using internal::SecondsSince;
using internal::TorchError;

using internal::CharLoss;
using internal::InductionBatch;

constexpr int kEvalBatchSize = 32;     // tasks per evaluation batch
constexpr int kMaxRedrawsInARow = 100; // then the options are at fault, not luck

// One task split as the model reads it.
struct TrainingTask {
  IoExamples observed;
  std::vector<dsl::Row> query_inputs;
  std::vector<std::string> query_outputs;
};

size_t TextChars(std::string_view s) {
  return dsl::IsValidUtf8(s) ? dsl::CountChars(s) : s.size();  // as EncodeText() reads it
}

size_t RowChars(const dsl::Row& row) {
  size_t n = row.empty() ? 0 : row.size() - 1;  // separators
  for (const std::string& cell : row) n += TextChars(cell);
  return n;
}

IoExamples DrawRows(const InductionTrainOptions& o, uint64_t seed) {
  const int rows = o.observed + o.queries;
  if (o.task_source) return o.task_source(seed, rows);
  dsl::SamplerOptions sampler = o.sampler;
  sampler.num_examples = rows;
  dsl::SampledTask t = dsl::Sampler(sampler, seed).Next();
  return IoExamples{std::move(t.inputs), std::move(t.outputs)};
}

// Whether the model reads every row whole and can write every query output.
bool Usable(const IoExamples& rows, const InductionTrainOptions& o) {
  const auto max_chars = static_cast<size_t>(o.model.max_chars);
  const auto n = static_cast<size_t>(o.observed + o.queries);
  if (rows.inputs.size() != n || rows.outputs.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (RowChars(rows.inputs[i]) > max_chars || TextChars(rows.outputs[i]) > max_chars) return false;
  }
  const bool pointer = o.model.architecture == InductionArchitecture::kPointer;
  for (size_t i = static_cast<size_t>(o.observed); i < n; ++i) {
    const std::vector<std::string> extra =
        pointer ? internal::ExtraChars(rows.inputs[i], o.model.max_chars) : std::vector<std::string>();
    for (int id : internal::EncodeTarget(rows.outputs[i], o.model.max_chars, extra)) {
      if (id == kCharUnk) return false;
    }
  }
  return true;
}

// `count` usable tasks drawn from `seed`.
absl::StatusOr<std::vector<TrainingTask>> SampleTasks(const InductionTrainOptions& o, uint64_t seed,
                                                      int count) {
  std::vector<TrainingTask> tasks;
  int redrawn = 0;
  for (uint64_t draw = 0; static_cast<int>(tasks.size()) < count; ++draw) {
    IoExamples rows = DrawRows(o, MixSeed(seed + draw));
    if (!Usable(rows, o)) {
      if (++redrawn >= kMaxRedrawsInARow) {
        return absl::InvalidArgumentError(absl::StrCat(
            "redrew ", redrawn, " sampled tasks in a row: raise max_chars (", o.model.max_chars,
            ") or sample shorter strings"));
      }
      continue;
    }
    redrawn = 0;
    const auto split = static_cast<std::ptrdiff_t>(o.observed);
    TrainingTask t;
    t.observed.inputs.assign(rows.inputs.begin(), rows.inputs.begin() + split);
    t.observed.outputs.assign(rows.outputs.begin(), rows.outputs.begin() + split);
    t.query_inputs.assign(rows.inputs.begin() + split, rows.inputs.end());
    t.query_outputs.assign(rows.outputs.begin() + split, rows.outputs.end());
    tasks.push_back(std::move(t));
  }
  return tasks;
}

// The data options a checkpoint keeps, so that a resumed run draws the same
// tasks and evaluation set whatever the flags say.
std::vector<std::pair<const char*, int*>> DataInts(InductionTrainOptions& o) {
  return {{"observed", &o.observed},
          {"queries", &o.queries},
          {"batch_size", &o.batch_size},
          {"eval_tasks", &o.eval_tasks},
          {"sampler.min_expressions", &o.sampler.min_expressions},
          {"sampler.max_expressions", &o.sampler.max_expressions},
          {"sampler.max_input_tokens", &o.sampler.max_input_tokens},
          {"sampler.max_k", &o.sampler.max_k},
          {"sampler.max_input_length", &o.sampler.max_input_length},
          {"sampler.max_columns", &o.sampler.max_columns}};
}
std::vector<std::pair<const char*, double*>> DataDoubles(InductionTrainOptions& o) {
  return {{"sampler.multi_char_const", &o.sampler.multi_char_const},
          {"sampler.switch_share", &o.sampler.switch_share},
          {"sampler.non_ascii_letters", &o.sampler.non_ascii_letters}};
}
std::vector<std::pair<const char*, uint64_t*>> DataSeeds(InductionTrainOptions& o) {
  return {{"seed", &o.seed}, {"eval_seed", &o.eval_seed}};
}

void WriteDataFields(InductionTrainOptions o, std::map<std::string, std::string>* fields) {
  for (const auto& [key, v] : DataInts(o)) (*fields)[key] = absl::StrCat(*v);
  for (const auto& [key, v] : DataDoubles(o)) (*fields)[key] = absl::StrFormat("%.17g", *v);
  for (const auto& [key, v] : DataSeeds(o)) (*fields)[key] = absl::StrCat(*v);
  (*fields)["sampler.title_case"] = o.sampler.title_case ? "1" : "0";
}

absl::Status ReadDataFields(const internal::Container& c, std::string_view source_name,
                            InductionTrainOptions* o) {
  auto bad = [&](const char* key) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(source_name), ": bad or missing field \"", key, "\""));
  };
  for (const auto& [key, v] : DataInts(*o)) {
    FS_ASSIGN_OR_RETURN(int64_t value, internal::IntField(c, key, source_name));
    if (value < INT32_MIN || value > INT32_MAX) return bad(key);
    *v = static_cast<int>(value);
  }
  for (const auto& [key, v] : DataDoubles(*o)) {
    FS_ASSIGN_OR_RETURN(std::string text, internal::StringField(c, key, source_name));
    if (!absl::SimpleAtod(text, v)) return bad(key);
  }
  for (const auto& [key, v] : DataSeeds(*o)) {
    FS_ASSIGN_OR_RETURN(std::string text, internal::StringField(c, key, source_name));
    if (!absl::SimpleAtoi(text, v)) return bad(key);
  }
  FS_ASSIGN_OR_RETURN(int64_t title, internal::IntField(c, "sampler.title_case", source_name));
  o->sampler.title_case = title != 0;
  return absl::OkStatus();
}

double Share(int64_t n, int64_t of) { return of == 0 ? 0 : static_cast<double>(n) / static_cast<double>(of); }

// ---------------------------------------------------------------------------

class InductionJob : public TrainingJob {
 public:
  static absl::StatusOr<std::unique_ptr<InductionJob>> New(const InductionTrainOptions& options);

  std::string Describe() const override;
  std::string ItemName() const override { return "examples"; }
  absl::StatusOr<JobStepStats> Step() override;
  absl::StatusOr<JobEvalStats> Evaluate() override;
  absl::StatusOr<std::string> Checkpoint() const override;
  absl::StatusOr<std::string> SaveModel() const override { return model_->Save(); }
  int64_t step() const override { return step_; }

  // Reads the weights, optimizer state and step of checkpoint `c`.
  absl::Status Restore(const internal::Container& c, std::string_view source_name);

 private:
  InductionBatch MakeBatch(absl::Span<const TrainingTask> tasks) const;
  absl::StatusOr<CharLoss> TeacherForced(const InductionBatch& batch, bool train);
  int64_t CountExact(const InductionBatch& batch, absl::Span<const TrainingTask> tasks);

  InductionTrainOptions options_;
  std::unique_ptr<InductionModel> model_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  int64_t step_ = 0;
  std::vector<TrainingTask> eval_set_;
};

absl::StatusOr<std::unique_ptr<InductionJob>> InductionJob::New(const InductionTrainOptions& options) {
  FS_RETURN_IF_ERROR(ValidateInductionTrainOptions(options));
  auto job = std::make_unique<InductionJob>();
  job->options_ = options;
  FS_ASSIGN_OR_RETURN(job->model_, InductionModel::Create(options.model, options.seed));
  FS_ASSIGN_OR_RETURN(DeviceKind device, job->model_->MoveTo(options.device));
  if (device == DeviceKind::kCuda) {
    // TF32 matmuls on Ampere and later (../shared/reference/libtorch_notes.md, section 6).
    at::globalContext().setAllowTF32CuBLAS(true);
    at::globalContext().setAllowTF32CuDNN(true);
  }
  FS_ASSIGN_OR_RETURN(job->eval_set_, SampleTasks(options, options.eval_seed, options.eval_tasks));
  try {
    job->optimizer_ = std::make_unique<torch::optim::Adam>(
        job->model_->state().net->parameters(), torch::optim::AdamOptions(options.learning_rate));
  } catch (const c10::Error& e) {
    return TorchError("creating the optimizer", e);
  }
  return job;
}

std::string InductionJob::Describe() const {
  return absl::StrCat(model_->Describe(), " on ", ToAbsl(DeviceKindName(model_->device())), "; ",
                      options_.observed, " observed + ", options_.queries,
                      " query rows per task, ", options_.batch_size, " tasks per update");
}

InductionBatch InductionJob::MakeBatch(absl::Span<const TrainingTask> tasks) const {
  std::vector<const IoExamples*> observed;
  std::vector<internal::QueryRow> queries;
  for (size_t i = 0; i < tasks.size(); ++i) {
    observed.push_back(&tasks[i].observed);
    for (size_t q = 0; q < tasks[i].query_inputs.size(); ++q) {
      queries.push_back(internal::QueryRow{static_cast<int>(i), &tasks[i].query_inputs[q],
                                           &tasks[i].query_outputs[q]});
    }
  }
  const internal::InductionState& s = model_->state();
  return internal::MakeInductionBatch(observed, queries, s.config.max_chars,
                                      s.config.architecture == InductionArchitecture::kPointer,
                                      s.device);
}

absl::StatusOr<CharLoss> InductionJob::TeacherForced(const InductionBatch& batch, bool train) {
  try {
    internal::InductionNet& net = model_->state().net;
    net->train(train);
    if (train) optimizer_->zero_grad();
    CharLoss loss = internal::InductionLoss(net->forward(batch), batch.target_out);
    if (train) {
      loss.loss.backward();
      if (options_.clip_norm > 0) {
        torch::nn::utils::clip_grad_norm_(net->parameters(), options_.clip_norm);
      }
      optimizer_->step();
    }
    return loss;
  } catch (const c10::Error& e) {
    return TorchError(train ? "training step" : "evaluation", e);
  }
}

absl::StatusOr<JobStepStats> InductionJob::Step() {
  const auto start = std::chrono::steady_clock::now();
  FS_ASSIGN_OR_RETURN(std::vector<TrainingTask> tasks,
                      SampleTasks(options_, StepSeed(options_.seed, step_ + 1), options_.batch_size));
  JobStepStats stats;
  absl::StatusOr<CharLoss> loss = absl::InternalError("not run");
  try {
    loss = TeacherForced(MakeBatch(tasks), /*train=*/true);
  } catch (const c10::Error& e) {
    return TorchError("training step", e);
  }
  if (!loss.ok()) return loss.status();
  stats.loss = loss->loss.item<double>();
  if (!std::isfinite(stats.loss)) {
    return absl::InternalError(absl::StrCat("the loss is not finite at step ", step_ + 1));
  }
  stats.step = ++step_;
  stats.accuracy = Share(loss->correct, loss->total);
  stats.items = options_.batch_size * options_.queries;
  stats.seconds = SecondsSince(start);
  return stats;
}

int64_t InductionJob::CountExact(const InductionBatch& batch, absl::Span<const TrainingTask> tasks) {
  const int max_chars = model_->config().max_chars;
  const std::vector<std::string> decoded =
      internal::DecodeOutputs(model_->state().net, batch, /*beam_size=*/1, max_chars);
  int64_t exact = 0;
  size_t k = 0;
  for (const TrainingTask& t : tasks) {
    for (const std::string& want : t.query_outputs) exact += decoded[k++] == want;
  }
  return exact;
}

absl::StatusOr<JobEvalStats> InductionJob::Evaluate() {
  const auto start = std::chrono::steady_clock::now();
  double loss_sum = 0;
  int64_t correct = 0, chars = 0, exact = 0, queries = 0;
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < eval_set_.size(); i += kEvalBatchSize) {
    const auto chunk = absl::MakeConstSpan(eval_set_).subspan(i, kEvalBatchSize);
    try {
      const InductionBatch batch = MakeBatch(chunk);
      FS_ASSIGN_OR_RETURN(CharLoss loss, TeacherForced(batch, /*train=*/false));
      loss_sum += loss.loss.item<double>() * static_cast<double>(loss.total);
      correct += loss.correct;
      chars += loss.total;
      exact += CountExact(batch, chunk);
      queries += batch.num_queries;
    } catch (const c10::Error& e) {
      return TorchError("evaluation", e);
    }
  }
  JobEvalStats stats;
  const double loss = chars == 0 ? 0 : loss_sum / static_cast<double>(chars);
  stats.metrics = {{"loss", loss},
                   {"char_accuracy", Share(correct, chars)},
                   {"exact", Share(exact, queries)}};
  stats.summary = absl::StrFormat(
      "loss %.4f, char accuracy %.1f%%, exact outputs %.1f%% (%d of %d queries, greedy)", loss,
      100 * Share(correct, chars), 100 * Share(exact, queries), exact, queries);
  stats.seconds = SecondsSince(start);
  return stats;
}

absl::StatusOr<std::string> InductionJob::Checkpoint() const {
  try {
    torch::serialize::OutputArchive root, weights, optimizer;
    model_->state().net->save(weights);
    optimizer_->save(optimizer);
    root.write("model", weights);
    root.write("optimizer", optimizer);
    std::ostringstream out;
    root.save_to(out);
    internal::Container c{"checkpoint", {}, out.str()};
    internal::WriteInductionFields(model_->config(), &c.fields);
    WriteDataFields(options_, &c.fields);
    c.fields["step"] = absl::StrCat(step_);
    c.fields["learning_rate"] = absl::StrCat(options_.learning_rate);  // for the record
    return internal::WriteContainer(c);
  } catch (const c10::Error& e) {
    return TorchError("writing the checkpoint", e);
  }
}

absl::Status InductionJob::Restore(const internal::Container& c, std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(int64_t step, internal::IntField(c, "step", source_name));
  if (step < 0) return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source_name), ": bad step"));
  try {
    torch::serialize::InputArchive root, weights, optimizer;
    root.load_from(c.payload.data(), c.payload.size(), model_->state().device);
    if (!root.try_read("model", weights) || !root.try_read("optimizer", optimizer)) {
      return absl::InvalidArgumentError(
          absl::StrCat(ToAbsl(source_name), ": the checkpoint lacks its model or optimizer"));
    }
    FS_RETURN_IF_ERROR(internal::LoadModuleWeights(weights, *model_->state().net, source_name));
    optimizer_->load(optimizer);
    // The flags' learning rate wins over the one saved with the optimizer.
    for (auto& group : optimizer_->param_groups()) {
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(options_.learning_rate);
    }
  } catch (const c10::Error& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(source_name), ": cannot read the checkpoint: ", e.what_without_backtrace()));
  }
  step_ = step;
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateInductionTrainOptions(const InductionTrainOptions& o) {
  FS_RETURN_IF_ERROR(ValidateInductionConfig(o.model));
  if (o.observed < 1) return absl::InvalidArgumentError("observed must be >= 1");
  if (o.queries < 1) return absl::InvalidArgumentError("queries must be >= 1");
  if (o.batch_size < 1) return absl::InvalidArgumentError("batch_size must be >= 1");
  if (!(o.learning_rate > 0)) return absl::InvalidArgumentError("learning_rate must be > 0");
  if (o.eval_tasks < 0) return absl::InvalidArgumentError("eval_tasks must be >= 0");
  if (o.sampler.max_expressions < o.sampler.min_expressions || o.sampler.min_expressions < 1) {
    return absl::InvalidArgumentError("sampler: need 1 <= min_expressions <= max_expressions");
  }
  if (o.sampler.max_input_length < 1) {
    return absl::InvalidArgumentError("sampler: max_input_length must be >= 1");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<TrainingJob>> CreateInductionJob(
    const InductionTrainOptions& options) {
  FS_ASSIGN_OR_RETURN(std::unique_ptr<InductionJob> job, InductionJob::New(options));
  return std::unique_ptr<TrainingJob>(std::move(job));
}

absl::StatusOr<std::unique_ptr<TrainingJob>> ResumeInductionJob(
    const InductionTrainOptions& options, std::string_view checkpoint,
    std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(internal::Container c, internal::ReadContainer(checkpoint, source_name));
  if (c.kind != "checkpoint") {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(source_name), ": a \"", c.kind, "\" file, not a checkpoint"));
  }
  InductionTrainOptions resumed = options;
  FS_ASSIGN_OR_RETURN(resumed.model, internal::ReadInductionConfig(c.fields, source_name));
  FS_RETURN_IF_ERROR(ReadDataFields(c, source_name, &resumed));
  FS_ASSIGN_OR_RETURN(std::unique_ptr<InductionJob> job, InductionJob::New(resumed));
  FS_RETURN_IF_ERROR(job->Restore(c, source_name));
  return std::unique_ptr<TrainingJob>(std::move(job));
}

}  // namespace flashsynth::neural
