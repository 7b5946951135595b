#include "neural/induction/neural_gpu.h"

#include <torch/types.h>
#include <torch/nn/functional/loss.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "dsl/status_macros.h"
#include "neural/induction/internal/neural_gpu_net.h"
#include "neural/internal/container.h"
#include "neural/internal/module_weights.h"
#include "neural/internal/seeds.h"
#include "neural/internal/torch_error.h"
#include "neural/internal/training_loop.h"

namespace flashsynth::neural {

namespace {

using internal::MixSeed;
using internal::StepSeed;
using internal::SecondsSince;
using internal::TorchError;

using internal::NeuralGpuState;

constexpr std::string_view kFamily = "neural-gpu";

// A batch of tapes of one height as tensors on `device`.
struct TapeBatch {
  torch::Tensor symbols;  // [B, n, w] int64
  torch::Tensor target;   // [B, n] int64
  torch::Tensor mask;     // [B, n] float, or undefined when all tapes have length n
  int64_t length = 0;
};

TapeBatch MakeTapeBatch(absl::Span<const Tape* const> tapes, torch::Device device) {
  TapeBatch b;
  const auto count = static_cast<int64_t>(tapes.size());
  const int64_t w = tapes.empty() ? 1 : tapes[0]->height;
  for (const Tape* t : tapes) b.length = std::max<int64_t>(b.length, t->length);
  const int64_t n = b.length;
  std::vector<int64_t> symbols(static_cast<size_t>(count * n * w), kSymbolPad);
  std::vector<int64_t> target(static_cast<size_t>(count * n), kSymbolPad);
  std::vector<float> mask(static_cast<size_t>(count * n), 0.0f);
  bool ragged = false;
  for (int64_t i = 0; i < count; ++i) {
    const Tape& t = *tapes[static_cast<size_t>(i)];
    ragged = ragged || t.length != n;
    for (int64_t pos = 0; pos < t.length; ++pos) {
      for (int64_t row = 0; row < w; ++row) {
        symbols[static_cast<size_t>((i * n + pos) * w + row)] =
            t.symbols[static_cast<size_t>(row * t.length + pos)];
      }
      target[static_cast<size_t>(i * n + pos)] = t.target[static_cast<size_t>(pos)];
      mask[static_cast<size_t>(i * n + pos)] = 1.0f;
    }
  }
  b.symbols = torch::tensor(symbols, torch::kLong).view({count, n, w}).to(device);
  b.target = torch::tensor(target, torch::kLong).view({count, n}).to(device);
  if (ragged) b.mask = torch::tensor(mask).view({count, n}).to(device);
  return b;
}

absl::Status CheckTape(const Tape& t, const NeuralGpuConfig& config) {
  if (t.height != config.height || t.length < 1 ||
      t.symbols.size() != static_cast<size_t>(t.height) * static_cast<size_t>(t.length) ||
      t.target.size() != static_cast<size_t>(t.length)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a tape of ", t.height, " x ", t.length, " does not fit a model of ", config.height, " rows"));
  }
  const int vocab = VocabSize(config.task);
  for (int s : t.symbols) {
    if (s < 0 || s >= vocab) return absl::InvalidArgumentError(absl::StrCat("symbol ", s, " out of range"));
  }
  return absl::OkStatus();
}

void WriteConfigFields(const NeuralGpuConfig& c, int active_sets,
                       std::map<std::string, std::string>* fields) {
  (*fields)["family"] = std::string(kFamily);
  (*fields)["task"] = std::string(NeuralGpuTaskName(c.task));
  (*fields)["maps"] = absl::StrCat(c.maps);
  (*fields)["height"] = absl::StrCat(c.height);
  (*fields)["layers"] = absl::StrCat(c.layers);
  (*fields)["relax_sets"] = absl::StrCat(c.relax_sets);
  (*fields)["active_sets"] = absl::StrCat(active_sets);
  (*fields)["cutoff"] = absl::StrCat(c.cutoff);
  (*fields)["max_chars"] = absl::StrCat(c.max_chars);
}

absl::StatusOr<NeuralGpuConfig> ReadConfigFields(const internal::Container& c,
                                                 std::string_view source, int* active_sets) {
  auto family = c.fields.find("family");
  if (family == c.fields.end() || family->second != kFamily) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(source), ": not a Neural GPU file (family \"",
        family == c.fields.end() ? "robustfill" : family->second, "\")"));
  }
  NeuralGpuConfig config;
  FS_ASSIGN_OR_RETURN(std::string task, internal::StringField(c, "task", source));
  std::optional<NeuralGpuTask> t = NeuralGpuTaskByName(task);
  if (!t) return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source), ": unknown task \"", task, "\""));
  config.task = *t;
  FS_ASSIGN_OR_RETURN(int64_t maps, internal::IntField(c, "maps", source));
  FS_ASSIGN_OR_RETURN(int64_t height, internal::IntField(c, "height", source));
  FS_ASSIGN_OR_RETURN(int64_t layers, internal::IntField(c, "layers", source));
  FS_ASSIGN_OR_RETURN(int64_t sets, internal::IntField(c, "relax_sets", source));
  FS_ASSIGN_OR_RETURN(int64_t active, internal::IntField(c, "active_sets", source));
  FS_ASSIGN_OR_RETURN(int64_t max_chars, internal::IntField(c, "max_chars", source));
  FS_ASSIGN_OR_RETURN(std::string cutoff, internal::StringField(c, "cutoff", source));
  config.maps = static_cast<int>(maps);
  config.height = static_cast<int>(height);
  config.layers = static_cast<int>(layers);
  config.relax_sets = static_cast<int>(sets);
  config.max_chars = static_cast<int>(max_chars);
  if (!absl::SimpleAtod(cutoff, &config.cutoff)) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source), ": bad cutoff \"", cutoff, "\""));
  }
  absl::Status valid = ValidateNeuralGpuConfig(config);
  if (!valid.ok()) return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source), ": ", valid.message()));
  if (active != 1 && active != sets) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source), ": bad active_sets ", active));
  }
  *active_sets = static_cast<int>(active);
  return config;
}

// Per position cross-entropy over real positions, and how many argmaxes and
// whole tapes are right.
struct TapeLoss {
  torch::Tensor loss;  // scalar
  int64_t correct_symbols = 0;
  int64_t symbols = 0;
  int64_t correct_tapes = 0;
  int64_t tapes = 0;
};

TapeLoss ScoreBatch(const torch::Tensor& logits, const TapeBatch& b) {
  TapeLoss out;
  const int64_t vocab = logits.size(2);
  torch::Tensor per = torch::nn::functional::cross_entropy(
      logits.reshape({-1, vocab}), b.target.reshape({-1}),
      torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
  torch::Tensor right = logits.argmax(2).eq(b.target);  // [B, n]
  if (b.mask.defined()) {
    torch::Tensor m = b.mask.reshape({-1});
    out.loss = (per * m).sum() / m.sum();
    torch::Tensor real = b.mask.to(torch::kBool);
    out.correct_symbols = (right & real).sum().item<int64_t>();
    out.symbols = real.sum().item<int64_t>();
    out.correct_tapes = (right | ~real).all(1).sum().item<int64_t>();
  } else {
    out.loss = per.mean();
    out.correct_symbols = right.sum().item<int64_t>();
    out.symbols = right.numel();
    out.correct_tapes = right.all(1).sum().item<int64_t>();
  }
  out.tapes = logits.size(0);
  return out;
}

}  // namespace

absl::Status ValidateNeuralGpuConfig(const NeuralGpuConfig& c) {
  if (c.maps < 1 || c.maps > 4096) return absl::InvalidArgumentError("maps must be in [1, 4096]");
  if (c.height < 1 || c.height > 64) return absl::InvalidArgumentError("height must be in [1, 64]");
  if (c.layers < 1 || c.layers > 16) return absl::InvalidArgumentError("layers must be in [1, 16]");
  if (c.relax_sets < 1 || c.relax_sets > 64) {
    return absl::InvalidArgumentError("relax_sets must be in [1, 64]");
  }
  if (!(c.cutoff >= 1.0 && c.cutoff <= 10.0)) return absl::InvalidArgumentError("cutoff must be in [1, 10]");
  if (c.max_chars < 1 || c.max_chars > 4096) {
    return absl::InvalidArgumentError("max_chars must be in [1, 4096]");
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// NeuralGpuModel.

NeuralGpuModel::NeuralGpuModel(std::unique_ptr<NeuralGpuState> state) : state_(std::move(state)) {}
NeuralGpuModel::~NeuralGpuModel() = default;

absl::StatusOr<std::unique_ptr<NeuralGpuModel>> NeuralGpuModel::Create(const NeuralGpuConfig& config,
                                                                      uint64_t seed) {
  FS_RETURN_IF_ERROR(ValidateNeuralGpuConfig(config));
  auto state = std::make_unique<NeuralGpuState>();
  state->config = config;
  try {
    torch::manual_seed(seed);
    state->net = internal::NeuralGpuNet(config);
  } catch (const c10::Error& e) {
    return TorchError("creating the model", e);
  }
  return std::unique_ptr<NeuralGpuModel>(new NeuralGpuModel(std::move(state)));
}

absl::StatusOr<std::unique_ptr<NeuralGpuModel>> NeuralGpuModel::Load(std::string_view bytes,
                                                                    std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(internal::Container c, internal::ReadModelContainer(bytes, source_name));
  int active = 1;
  FS_ASSIGN_OR_RETURN(NeuralGpuConfig config, ReadConfigFields(c, source_name, &active));
  FS_ASSIGN_OR_RETURN(std::unique_ptr<NeuralGpuModel> model, Create(config, /*seed=*/0));
  FS_RETURN_IF_ERROR(internal::ReadModelWeights(c, *model->state_->net, source_name));
  model->state_->net->set_active_sets(active);
  return model;
}

absl::StatusOr<std::string> NeuralGpuModel::Save() const {
  std::map<std::string, std::string> fields;
  WriteConfigFields(state_->config, state_->net->active_sets(), &fields);
  return internal::WriteModelFile(*state_->net, std::move(fields));
}

const NeuralGpuConfig& NeuralGpuModel::config() const { return state_->config; }
int NeuralGpuModel::active_sets() const { return state_->net->active_sets(); }
int64_t NeuralGpuModel::num_parameters() const { return state_->net->CountActiveParameters(); }

absl::StatusOr<DeviceKind> NeuralGpuModel::MoveTo(DeviceKind device) {
  return internal::MoveModule(*state_->net, device, &state_->device);
}

DeviceKind NeuralGpuModel::device() const {
  return state_->device.is_cuda() ? DeviceKind::kCuda : DeviceKind::kCpu;
}

absl::StatusOr<std::vector<std::vector<int>>> NeuralGpuModel::Run(absl::Span<const Tape> tapes,
                                                                  int batch_size) const {
  if (batch_size < 1) return absl::InvalidArgumentError("batch_size must be >= 1");
  for (const Tape& t : tapes) FS_RETURN_IF_ERROR(CheckTape(t, state_->config));
  // Tapes of one length together, so that none waits on a longer one's steps.
  std::vector<size_t> order(tapes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return tapes[a].length < tapes[b].length; });
  std::vector<std::vector<int>> out(tapes.size());
  std::lock_guard<std::mutex> lock(state_->mu);
  try {
    torch::NoGradGuard no_grad;
    state_->net->eval();
    for (size_t i = 0; i < order.size();) {
      std::vector<const Tape*> batch;
      const int length = tapes[order[i]].length;
      size_t j = i;
      while (j < order.size() && tapes[order[j]].length == length &&
             static_cast<int>(batch.size()) < batch_size) {
        batch.push_back(&tapes[order[j++]]);
      }
      TapeBatch b = MakeTapeBatch(batch, state_->device);
      torch::Tensor best = state_->net->forward(b.symbols, b.mask, 0.0).argmax(2).to(torch::kCPU);
      for (size_t k = 0; k < batch.size(); ++k) {
        torch::Tensor row = best[static_cast<int64_t>(k)].contiguous();
        const int64_t* p = row.data_ptr<int64_t>();
        out[order[i + k]].assign(p, p + length);
      }
      i = j;
    }
  } catch (const c10::Error& e) {
    return TorchError("running the Neural GPU", e);
  }
  return out;
}

std::string NeuralGpuModel::Describe() const {
  const NeuralGpuConfig& c = state_->config;
  return absl::StrFormat("neural-gpu %s m=%d rows=%d layers=%d sets=%d/%d: %d parameters on %s",
                         NeuralGpuTaskName(c.task), c.maps, c.height, c.layers, active_sets(),
                         c.relax_sets, num_parameters(), DeviceKindName(device()));
}

absl::StatusOr<std::vector<std::string>> NeuralGpuModel::PredictOutputs(
    const IoExamples& observed, absl::Span<const dsl::Row> queries) {
  const NeuralGpuConfig& c = state_->config;
  if (c.task != NeuralGpuTask::kStrings) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this Neural GPU was trained on ", ToAbsl(NeuralGpuTaskName(c.task)), ", not on string tasks"));
  }
  if (static_cast<int>(observed.inputs.size()) > c.height - 1) {
    return absl::InvalidArgumentError(absl::StrCat("this Neural GPU reads at most ", c.height - 1,
                                                   " observed examples, not ",
                                                   observed.inputs.size()));
  }
  std::vector<Tape> tapes;
  for (const dsl::Row& q : queries) {
    FS_ASSIGN_OR_RETURN(Tape t, MakeStringTape(observed, q, nullptr, c.max_chars, c.height));
    tapes.push_back(std::move(t));
  }
  FS_ASSIGN_OR_RETURN(std::vector<std::vector<int>> rows, Run(tapes));
  std::vector<std::string> out;
  for (const std::vector<int>& r : rows) out.push_back(ReadStringAnswer(r));
  return out;
}

absl::StatusOr<SequenceAccuracy> EvaluateBinary(const NeuralGpuModel& model, int bits, int count,
                                                uint64_t seed, int batch_size) {
  const auto start = std::chrono::steady_clock::now();
  if (model.config().task == NeuralGpuTask::kStrings) {
    return absl::FailedPreconditionError("EvaluateBinary needs a model of a binary task");
  }
  if (bits < 1 || count < 0) return absl::InvalidArgumentError("need bits >= 1 and count >= 0");
  std::mt19937_64 rng(MixSeed(seed ^ static_cast<uint64_t>(bits)));
  std::vector<Tape> tapes;
  for (int i = 0; i < count; ++i) {
    tapes.push_back(MakeBinaryTape(model.config().task, bits, rng, model.config().height));
  }
  FS_ASSIGN_OR_RETURN(std::vector<std::vector<int>> rows, model.Run(tapes, batch_size));
  SequenceAccuracy acc;
  acc.bits = bits;
  acc.examples = count;
  for (size_t i = 0; i < tapes.size(); ++i) acc.correct += TapeCorrect(tapes[i], rows[i]);
  acc.seconds = SecondsSince(start);
  return acc;
}

// ---------------------------------------------------------------------------
// Training.

absl::Status ValidateNeuralGpuTrainOptions(const NeuralGpuTrainOptions& o) {
  FS_RETURN_IF_ERROR(ValidateNeuralGpuConfig(o.model));
  if (o.batch_size < 1) return absl::InvalidArgumentError("batch_size must be >= 1");
  FS_RETURN_IF_ERROR(ValidateOptimizerOptions(o.optimizer));
  if (o.max_bits < 1) return absl::InvalidArgumentError("max_bits must be >= 1");
  if (o.curriculum_start < 1) return absl::InvalidArgumentError("curriculum_start must be >= 1");
  if (o.curriculum_every < 1) return absl::InvalidArgumentError("curriculum_every must be >= 1");
  if (!(o.dropout >= 0 && o.dropout < 1)) return absl::InvalidArgumentError("dropout must be in [0, 1)");
  if (!(o.grad_noise >= 0)) return absl::InvalidArgumentError("grad_noise must be >= 0");
  if (!(o.lr_decay > 0 && o.lr_decay <= 1)) return absl::InvalidArgumentError("lr_decay must be in (0, 1]");
  if (!(o.hard_share >= 0 && o.hard_share <= 1)) {
    return absl::InvalidArgumentError("hard_share must be in [0, 1]");
  }
  if (o.hard_share > 0 && o.model.task != NeuralGpuTask::kBinaryAddition) {
    return absl::InvalidArgumentError("hard_share (carry-heavy tapes) is for badd only");
  }
  if (!(o.pull >= 0) || !(o.pull_factor >= 1)) {
    return absl::InvalidArgumentError("need pull >= 0 and pull_factor >= 1");
  }
  if (o.eval_examples < 0) return absl::InvalidArgumentError("eval_examples must be >= 0");
  for (int b : o.eval_bits) {
    if (b < 1) return absl::InvalidArgumentError("eval_bits must be >= 1");
  }
  if (o.model.task == NeuralGpuTask::kStrings && o.model.height != o.observed + 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "string tasks need height = observed + 1 (", o.observed + 1, "), not ", o.model.height));
  }
  if (o.observed < 1) return absl::InvalidArgumentError("observed must be >= 1");
  return absl::OkStatus();
}

namespace {

// Where the curriculum and the relaxation stand; saved in checkpoints.
struct Schedule {
  int bits = 3;          // the curriculum's current length
  double pull = 0;       // the relaxation pull now
  double last_error = 1; // share of wrong tapes in the last batch
  double lr_scale = 1;   // the learning rate's decay so far
  std::vector<double> probes;  // after the curriculum: the last 3 probes' wrong shares
};

// The Neural GPU's training job: its tapes, loss, curriculum, relaxation,
// gradient noise and learning-rate decay; internal::TorchTrainingJob does
// the update, checkpoints and resuming.
class NeuralGpuJob : public internal::TorchTrainingJob {
 public:
  static absl::StatusOr<std::unique_ptr<NeuralGpuJob>> Make(const NeuralGpuTrainOptions& options) {
    FS_RETURN_IF_ERROR(ValidateNeuralGpuTrainOptions(options));
    auto job = std::unique_ptr<NeuralGpuJob>(new NeuralGpuJob(options));
    FS_ASSIGN_OR_RETURN(job->model_, NeuralGpuModel::Create(options.model, options.seed));
    FS_ASSIGN_OR_RETURN(DeviceKind device, job->model_->MoveTo(options.device));
    job->options_.device = device;
    job->schedule_.bits = std::min(options.curriculum_start, options.max_bits);
    job->schedule_.pull = options.pull;
    FS_RETURN_IF_ERROR(job->MakeEvalSets());
    FS_RETURN_IF_ERROR(job->StartTraining(*job->net(), options.optimizer, options.seed));
    return job;
  }

  std::string Describe() const override { return model_->Describe(); }
  std::string ItemName() const override { return "examples"; }
  absl::StatusOr<JobEvalStats> Evaluate() override;
  absl::StatusOr<std::string> SaveModel() const override { return model_->Save(); }

  // Continues from checkpoint `c` (of this job's configuration): the
  // schedule, then RestoreCheckpoint(), then the active parameter sets.
  absl::Status Restore(const internal::Container& c, int active_sets, std::string_view source);

 private:
  explicit NeuralGpuJob(const NeuralGpuTrainOptions& options) : options_(options) {}

  absl::StatusOr<internal::BatchLoss> TrainingLoss(uint64_t seed) override;
  void BeforeClip() override { AddGradientNoise(); }
  absl::Status AfterUpdate(JobStepStats* stats) override;
  void WriteCheckpointFields(std::map<std::string, std::string>* fields) const override;
  double LearningRateScale() const override { return schedule_.lr_scale; }

  internal::NeuralGpuNet& net() { return model_->state().net; }
  const internal::NeuralGpuNet& net() const { return model_->state().net; }
  bool binary() const { return options_.model.task != NeuralGpuTask::kStrings; }
  int DrawBits(std::mt19937_64& rng) const;
  // `hard_share` of binary tapes from MakeCarryHeavyTape() (training only;
  // 0 draws exactly what earlier versions drew).
  absl::StatusOr<std::vector<Tape>> DrawTapes(uint64_t seed, int count, int bits,
                                              double hard_share = 0) const;
  absl::Status MakeEvalSets();
  absl::StatusOr<double> WrongShare(const std::vector<Tape>& tapes);
  absl::Status AdvanceCurriculum();
  absl::Status DecayLearningRate();
  absl::Status ReadSchedule(const internal::Container& c, std::string_view source);
  void AddGradientNoise();

  NeuralGpuTrainOptions options_;
  std::unique_ptr<NeuralGpuModel> model_;
  Schedule schedule_;
  std::vector<std::pair<std::string, std::vector<Tape>>> eval_sets_;
  int last_bits_ = 0;          // the length of the last training batch (binary tasks)
  double last_batch_error_ = 1; // its share of wrong tapes
};

int NeuralGpuJob::DrawBits(std::mt19937_64& rng) const {
  auto uniform = [&rng](int hi) { return 1 + static_cast<int>(rng() % static_cast<uint64_t>(hi)); };
  std::uniform_real_distribution<double> coin(0, 1);
  if (coin(rng) < 0.2) return uniform(options_.max_bits);
  int d = uniform(schedule_.bits);
  if (coin(rng) < 0.6) d = std::max(d, uniform(schedule_.bits));
  return d;
}

absl::StatusOr<std::vector<Tape>> NeuralGpuJob::DrawTapes(uint64_t seed, int count, int bits,
                                                          double hard_share) const {
  std::mt19937_64 rng(MixSeed(seed));
  std::vector<Tape> tapes;
  if (binary()) {
    std::uniform_real_distribution<double> coin(0, 1);
    for (int i = 0; i < count; ++i) {
      if (hard_share > 0 && coin(rng) < hard_share) {
        tapes.push_back(MakeCarryHeavyTape(bits, rng, options_.model.height));
      } else {
        tapes.push_back(MakeBinaryTape(options_.model.task, bits, rng, options_.model.height));
      }
    }
    return tapes;
  }
  dsl::SamplerOptions sampler = options_.sampler;
  sampler.num_examples = options_.observed + 1;
  dsl::Sampler draw(sampler, seed);
  int misses = 0;
  while (static_cast<int>(tapes.size()) < count) {
    dsl::SampledTask t = draw.Next();
    IoExamples observed{{t.inputs.begin(), t.inputs.end() - 1}, {t.outputs.begin(), t.outputs.end() - 1}};
    FS_ASSIGN_OR_RETURN(Tape tape, MakeStringTape(observed, t.inputs.back(), &t.outputs.back(),
                                                  options_.model.max_chars));
    // The answer and its end symbol must fit, uncut.
    const std::string answer = ReadStringAnswer(tape.target);
    const bool fits = answer == t.outputs.back() &&
                      std::find(tape.target.begin(), tape.target.end(), kStringEnd) != tape.target.end();
    if (!fits) {
      if (++misses > 100 * count) {
        return absl::InvalidArgumentError("string tasks: nearly every answer is past max_chars");
      }
      continue;
    }
    tapes.push_back(std::move(tape));
  }
  return tapes;
}

absl::Status NeuralGpuJob::MakeEvalSets() {
  if (options_.eval_examples == 0) return absl::OkStatus();
  if (binary()) {
    for (int bits : options_.eval_bits) {
      FS_ASSIGN_OR_RETURN(std::vector<Tape> tapes,
                          DrawTapes(options_.eval_seed ^ static_cast<uint64_t>(bits),
                                    options_.eval_examples, bits));
      eval_sets_.push_back({absl::StrCat("seq-acc@", bits), std::move(tapes)});
    }
    for (const HardCase& h : HardCases(options_.model.task, options_.max_bits, options_.model.height)) {
      eval_sets_.push_back({absl::StrCat(h.name, "@", options_.max_bits), {h.tape}});
    }
    return absl::OkStatus();
  }
  FS_ASSIGN_OR_RETURN(std::vector<Tape> tapes, DrawTapes(options_.eval_seed, options_.eval_examples, 0));
  eval_sets_.push_back({"exact", std::move(tapes)});
  return absl::OkStatus();
}

absl::StatusOr<double> NeuralGpuJob::WrongShare(const std::vector<Tape>& tapes) {
  if (tapes.empty()) return 0.0;
  FS_ASSIGN_OR_RETURN(std::vector<std::vector<int>> rows, model_->Run(tapes, 64));
  int wrong = 0;
  for (size_t i = 0; i < tapes.size(); ++i) wrong += !TapeCorrect(tapes[i], rows[i]);
  return static_cast<double>(wrong) / static_cast<double>(tapes.size());
}

absl::Status NeuralGpuJob::AdvanceCurriculum() {
  if (!binary() || step() % options_.curriculum_every != 0) return absl::OkStatus();
  if (schedule_.bits > options_.max_bits) return DecayLearningRate();
  FS_ASSIGN_OR_RETURN(std::vector<Tape> probe,
                      DrawTapes(StepSeed(options_.seed, -step()), options_.batch_size, schedule_.bits));
  FS_ASSIGN_OR_RETURN(double wrong, WrongShare(probe));
  if (wrong >= options_.curriculum_bound) return absl::OkStatus();
  ++schedule_.bits;
  schedule_.pull *= options_.pull_factor;
  // Past the longest length: one parameter set from now on (section 3.3).
  if (schedule_.bits > options_.max_bits) net()->AverageSets();
  return absl::OkStatus();
}

// After the curriculum, as the authors' code does with its checkpoints'
// perplexity: when a probe at twice the longest length does worse than
// each of the 3 before it, the learning rate shrinks by lr_decay.
absl::Status NeuralGpuJob::DecayLearningRate() {
  if (options_.lr_decay >= 1) return absl::OkStatus();
  FS_ASSIGN_OR_RETURN(std::vector<Tape> probe, DrawTapes(StepSeed(options_.seed, -step()),
                                                         options_.batch_size, 2 * options_.max_bits));
  FS_ASSIGN_OR_RETURN(double wrong, WrongShare(probe));
  std::vector<double>& last = schedule_.probes;
  if (last.size() == 3 && wrong > *std::max_element(last.begin(), last.end())) {
    schedule_.lr_scale *= options_.lr_decay;
    ApplyLearningRate();
  }
  last.push_back(wrong);
  if (last.size() > 3) last.erase(last.begin());
  return absl::OkStatus();
}

void NeuralGpuJob::AddGradientNoise() {
  const double error = std::max(0.0, schedule_.last_error - 0.02);
  const double sigma =
      options_.grad_noise * std::sqrt(std::pow(static_cast<double>(step() + 1), -0.55) * error);
  if (sigma <= 0) return;
  torch::NoGradGuard no_grad;
  for (torch::Tensor& p : net()->parameters()) {
    if (p.grad().defined()) p.grad().add_(torch::randn_like(p.grad()) * sigma);
  }
}

absl::StatusOr<internal::BatchLoss> NeuralGpuJob::TrainingLoss(uint64_t seed) {
  std::mt19937_64 rng(seed);
  last_bits_ = binary() ? DrawBits(rng) : 0;
  FS_ASSIGN_OR_RETURN(std::vector<Tape> tapes,
                      DrawTapes(seed, options_.batch_size, last_bits_, options_.hard_share));
  std::vector<const Tape*> pointers;
  for (const Tape& t : tapes) pointers.push_back(&t);
  torch::manual_seed(seed);  // dropout and noise: resumed runs repeat them
  TapeBatch b = MakeTapeBatch(pointers, model_->state().device);
  net()->train();
  // The authors' code scales by 8 / bucket length, its buckets starting at 8.
  const double dropout =
      options_.dropout * 8.0 / static_cast<double>(std::max<int64_t>(8, b.length));
  TapeLoss loss = ScoreBatch(net()->forward(b.symbols, b.mask, dropout), b);
  internal::BatchLoss out{loss.loss, loss.loss, loss.correct_symbols, loss.symbols,
                          static_cast<int>(tapes.size())};
  if (net()->active_sets() > 1 && schedule_.pull > 0) {
    out.objective = loss.loss + schedule_.pull * net()->RelaxDistance();
  }
  last_batch_error_ = 1.0 - static_cast<double>(loss.correct_tapes) / std::max<int64_t>(1, loss.tapes);
  return out;
}

absl::Status NeuralGpuJob::AfterUpdate(JobStepStats* stats) {
  schedule_.last_error = last_batch_error_;
  FS_RETURN_IF_ERROR(AdvanceCurriculum());
  if (binary()) {
    stats->note = absl::StrFormat("d=%d curriculum=%d pull=%.2g sets=%d lr=%.2g", last_bits_,
                                  std::min(schedule_.bits, options_.max_bits), schedule_.pull,
                                  net()->active_sets(),
                                  options_.optimizer.learning_rate * schedule_.lr_scale);
  }
  return absl::OkStatus();
}

absl::StatusOr<JobEvalStats> NeuralGpuJob::Evaluate() {
  const auto start = std::chrono::steady_clock::now();
  JobEvalStats out;
  for (const auto& [name, tapes] : eval_sets_) {
    FS_ASSIGN_OR_RETURN(double wrong, WrongShare(tapes));
    out.metrics.push_back({name, 1.0 - wrong});
    absl::StrAppendFormat(&out.summary, "%s%s %.3f", out.summary.empty() ? "" : "  ", name, 1.0 - wrong);
  }
  if (binary()) {
    absl::StrAppendFormat(&out.summary, "  (curriculum %d/%d bits, %d set(s))",
                          std::min(schedule_.bits, options_.max_bits), options_.max_bits,
                          net()->active_sets());
  }
  out.seconds = SecondsSince(start);
  return out;
}

void NeuralGpuJob::WriteCheckpointFields(std::map<std::string, std::string>* fields) const {
  WriteConfigFields(options_.model, model_->active_sets(), fields);
  (*fields)["curriculum_bits"] = absl::StrCat(schedule_.bits);
  (*fields)["pull"] = absl::StrCat(schedule_.pull);
  (*fields)["last_error"] = absl::StrCat(schedule_.last_error);
  (*fields)["lr_scale"] = absl::StrCat(schedule_.lr_scale);
  (*fields)["probes"] = absl::StrJoin(schedule_.probes, ",");
}

absl::Status NeuralGpuJob::ReadSchedule(const internal::Container& c, std::string_view source) {
  FS_ASSIGN_OR_RETURN(int64_t bits, internal::IntField(c, "curriculum_bits", source));
  FS_ASSIGN_OR_RETURN(std::string pull, internal::StringField(c, "pull", source));
  FS_ASSIGN_OR_RETURN(std::string last_error, internal::StringField(c, "last_error", source));
  if (bits < 1 || !absl::SimpleAtod(pull, &schedule_.pull) ||
      !absl::SimpleAtod(last_error, &schedule_.last_error)) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source), ": bad training state"));
  }
  schedule_.bits = static_cast<int>(bits);
  // Checkpoints from before the decay have neither field: no decay yet.
  if (auto it = c.fields.find("lr_scale"); it != c.fields.end()) {
    if (!absl::SimpleAtod(it->second, &schedule_.lr_scale) || !(schedule_.lr_scale > 0)) {
      return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source), ": bad lr_scale"));
    }
  }
  if (auto it = c.fields.find("probes"); it != c.fields.end() && !it->second.empty()) {
    for (absl::string_view part : absl::StrSplit(it->second, ',')) {
      double v = 0;
      if (!absl::SimpleAtod(part, &v)) {
        return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source), ": bad probes"));
      }
      schedule_.probes.push_back(v);
    }
  }
  return absl::OkStatus();
}

absl::Status NeuralGpuJob::Restore(const internal::Container& c, int active_sets,
                                   std::string_view source) {
  FS_RETURN_IF_ERROR(ReadSchedule(c, source));  // first: the learning rate's scale
  FS_RETURN_IF_ERROR(RestoreCheckpoint(c, source));
  net()->set_active_sets(active_sets);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<TrainingJob>> CreateNeuralGpuJob(const NeuralGpuTrainOptions& options) {
  FS_ASSIGN_OR_RETURN(std::unique_ptr<NeuralGpuJob> job, NeuralGpuJob::Make(options));
  return std::unique_ptr<TrainingJob>(std::move(job));
}

absl::StatusOr<std::unique_ptr<TrainingJob>> ResumeNeuralGpuJob(const NeuralGpuTrainOptions& options,
                                                               std::string_view checkpoint,
                                                               std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(internal::Container c, internal::ReadCheckpoint(checkpoint, source_name));
  NeuralGpuTrainOptions resumed = options;
  int active = 1;
  FS_ASSIGN_OR_RETURN(resumed.model, ReadConfigFields(c, source_name, &active));
  FS_ASSIGN_OR_RETURN(resumed.seed, internal::CheckpointSeed(c, source_name));
  FS_ASSIGN_OR_RETURN(std::unique_ptr<NeuralGpuJob> job, NeuralGpuJob::Make(resumed));
  FS_RETURN_IF_ERROR(job->Restore(c, active, source_name));
  return std::unique_ptr<TrainingJob>(std::move(job));
}

}  // namespace flashsynth::neural
