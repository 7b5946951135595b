#include "neural/induction/induction_trainer.h"

#include <torch/types.h>

#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "neural/induction/internal/induction_net.h"
#include "neural/internal/container.h"
#include "neural/internal/seeds.h"
#include "neural/internal/torch_error.h"
#include "neural/internal/training_loop.h"
#include "neural/tokens.h"

namespace flashsynth::neural {

namespace {

using internal::MixSeed;
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

// The induction models' training job: their batches of sampled tasks,
// loss and evaluation; internal::TorchTrainingJob does the update,
// checkpoints and resuming.
class InductionJob : public internal::TorchTrainingJob {
 public:
  static absl::StatusOr<std::unique_ptr<InductionJob>> New(const InductionTrainOptions& options);

  std::string Describe() const override;
  std::string ItemName() const override { return "examples"; }
  absl::StatusOr<JobEvalStats> Evaluate() override;
  absl::StatusOr<std::string> SaveModel() const override { return model_->Save(); }

 private:
  InductionJob() = default;
  absl::StatusOr<internal::BatchLoss> TrainingLoss(uint64_t seed) override;
  void WriteCheckpointFields(std::map<std::string, std::string>* fields) const override;
  InductionBatch MakeBatch(absl::Span<const TrainingTask> tasks) const;
  CharLoss TeacherForced(const InductionBatch& batch, bool train);
  int64_t CountExact(const InductionBatch& batch, absl::Span<const TrainingTask> tasks);

  InductionTrainOptions options_;
  std::unique_ptr<InductionModel> model_;
  std::vector<TrainingTask> eval_set_;
};

absl::StatusOr<std::unique_ptr<InductionJob>> InductionJob::New(const InductionTrainOptions& options) {
  FS_RETURN_IF_ERROR(ValidateInductionTrainOptions(options));
  std::unique_ptr<InductionJob> job(new InductionJob());
  job->options_ = options;
  FS_ASSIGN_OR_RETURN(job->model_, InductionModel::Create(options.model, options.seed));
  FS_ASSIGN_OR_RETURN(DeviceKind device, job->model_->MoveTo(options.device));
  internal::AllowTf32OnCuda(device);
  FS_ASSIGN_OR_RETURN(job->eval_set_, SampleTasks(options, options.eval_seed, options.eval_tasks));
  FS_RETURN_IF_ERROR(job->StartTraining(*job->model_->state().net, options.optimizer, options.seed));
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

CharLoss InductionJob::TeacherForced(const InductionBatch& batch, bool train) {
  internal::InductionNet& net = model_->state().net;
  net->train(train);
  return internal::InductionLoss(net->forward(batch), batch.target_out);
}

absl::StatusOr<internal::BatchLoss> InductionJob::TrainingLoss(uint64_t seed) {
  FS_ASSIGN_OR_RETURN(std::vector<TrainingTask> tasks,
                      SampleTasks(options_, seed, options_.batch_size));
  CharLoss loss = TeacherForced(MakeBatch(tasks), /*train=*/true);
  return internal::BatchLoss{loss.loss, {}, loss.correct, loss.total,
                             options_.batch_size * options_.queries};
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
      const CharLoss loss = TeacherForced(batch, /*train=*/false);
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

void InductionJob::WriteCheckpointFields(std::map<std::string, std::string>* fields) const {
  internal::WriteInductionFields(model_->config(), fields);
  WriteDataFields(options_, fields);
}

}  // namespace

absl::Status ValidateInductionTrainOptions(const InductionTrainOptions& o) {
  FS_RETURN_IF_ERROR(ValidateInductionConfig(o.model));
  if (o.observed < 1) return absl::InvalidArgumentError("observed must be >= 1");
  if (o.queries < 1) return absl::InvalidArgumentError("queries must be >= 1");
  if (o.batch_size < 1) return absl::InvalidArgumentError("batch_size must be >= 1");
  FS_RETURN_IF_ERROR(ValidateOptimizerOptions(o.optimizer));
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
  FS_ASSIGN_OR_RETURN(internal::Container c, internal::ReadCheckpoint(checkpoint, source_name));
  InductionTrainOptions resumed = options;
  FS_ASSIGN_OR_RETURN(resumed.model, internal::ReadInductionConfig(c.fields, source_name));
  FS_RETURN_IF_ERROR(ReadDataFields(c, source_name, &resumed));
  FS_ASSIGN_OR_RETURN(std::unique_ptr<InductionJob> job, InductionJob::New(resumed));
  FS_RETURN_IF_ERROR(job->RestoreCheckpoint(c, source_name));
  return std::unique_ptr<TrainingJob>(std::move(job));
}

}  // namespace flashsynth::neural
