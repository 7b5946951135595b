#include "neural/robustfill/robustfill_model.h"

#include <torch/utils.h>

#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dsl/status_macros.h"
#include "neural/internal/container.h"
#include "neural/internal/module_weights.h"
#include "neural/robustfill/internal/robustfill_net.h"
#include "neural/internal/torch_error.h"

namespace flashsynth::neural {

namespace {

using internal::TorchError;

using internal::Batch;
using internal::Encoding;
using internal::ModelState;
using internal::RecurrentState;
using internal::RobustFillNet;

constexpr int kMaxEmbedding = 4096;
constexpr int kMaxHidden = 8192;
constexpr int kMaxLayers = 8;
constexpr int kMaxChars = 10000;

std::unique_ptr<ModelState> NewState(const ModelConfig& config) {
  auto state = std::make_unique<ModelState>(
      ModelState{config, ProgramVocab(config.max_columns), RobustFillNet(nullptr)});
  state->net = RobustFillNet(config, state->vocab.size());
  return state;
}

// Decodes one task for a changing set of hypotheses. Row r of every tensor
// is example r % N of hypothesis r / N.
class SessionDecoder : public Decoder {
 public:
  SessionDecoder(RobustFillNet net, int vocab_size, Encoding base, int64_t examples,
                 torch::Device device)
      : net_(std::move(net)), weights_(net_->MakeDecodingWeights()), vocab_size_(vocab_size),
        base_(std::move(base)), examples_(examples), device_(device) {}

  int vocab_size() const override { return vocab_size_; }
  int num_hypotheses() const override { return hypotheses_; }
  absl::Span<const float> log_probs(int k) const override {
    return absl::MakeConstSpan(log_probs_).subspan(static_cast<size_t>(k) * vocab_size_,
                                                   static_cast<size_t>(vocab_size_));
  }

  // Feeds BOS to the empty prefix.
  void Start() {
    example_mask_ = base_.example_mask;
    state_ = base_.initial;
    RunStep(torch::full({examples_}, ProgramVocab::kBos, torch::kInt64).to(device_), 1);
  }

  absl::Status Advance(absl::Span<const int> parents, absl::Span<const int> tokens) override;

 private:
  void RunStep(const torch::Tensor& row_tokens, int hypotheses);
  torch::Tensor RowIndex(absl::Span<const int> parents) const;

  RobustFillNet net_;
  internal::RobustFillNetImpl::DecodingWeights weights_;
  int vocab_size_;
  Encoding base_;               // the task's, shared by every hypothesis
  torch::Tensor example_mask_;  // [hypotheses_, N], all true
  int64_t examples_;
  torch::Device device_;
  RecurrentState state_;
  int hypotheses_ = 0;
  std::vector<float> log_probs_;  // hypotheses_ rows of vocab_size_
};

// Rows p*N + j of the previous step for each parent p and example j.
torch::Tensor SessionDecoder::RowIndex(absl::Span<const int> parents) const {
  std::vector<int64_t> rows;
  for (int p : parents) {
    for (int64_t j = 0; j < examples_; ++j) rows.push_back(p * examples_ + j);
  }
  return torch::tensor(rows, torch::kInt64).to(device_);
}

void SessionDecoder::RunStep(const torch::Tensor& row_tokens, int hypotheses) {
  torch::NoGradGuard no_grad;
  if (example_mask_.size(0) != hypotheses) {
    example_mask_ = torch::ones({hypotheses, examples_}, torch::kBool).to(device_);
  }
  torch::Tensor top;
  std::tie(top, state_) = net_->DecodeStep(base_, state_, weights_, row_tokens);
  torch::Tensor lp = torch::log_softmax(net_->Logits(top, example_mask_), /*dim=*/1)
                         .to(torch::kCPU, torch::kFloat)
                         .contiguous();
  log_probs_.assign(lp.data_ptr<float>(), lp.data_ptr<float>() + lp.numel());
  hypotheses_ = hypotheses;
}

absl::Status SessionDecoder::Advance(absl::Span<const int> parents, absl::Span<const int> tokens) {
  if (parents.empty() || parents.size() != tokens.size()) {
    return absl::InvalidArgumentError("Advance: parents and tokens must be non-empty and equal");
  }
  for (size_t i = 0; i < parents.size(); ++i) {
    if (parents[i] < 0 || parents[i] >= hypotheses_ || tokens[i] < 0 ||
        tokens[i] >= vocab_size_) {
      return absl::InvalidArgumentError(
          absl::StrCat("Advance: bad parent ", parents[i], " or token ", tokens[i]));
    }
  }
  try {
    torch::NoGradGuard no_grad;
    const torch::Tensor rows = RowIndex(parents);
    state_ = RecurrentState{state_.h.index_select(1, rows), state_.c.index_select(1, rows)};
    std::vector<int64_t> row_tokens;
    for (int t : tokens) row_tokens.insert(row_tokens.end(), static_cast<size_t>(examples_), t);
    RunStep(torch::tensor(row_tokens, torch::kInt64).to(device_), static_cast<int>(parents.size()));
  } catch (const c10::Error& e) {
    return TorchError("decoder step", e);
  }
  return absl::OkStatus();
}

std::string Hex(uint64_t v) { return absl::StrFormat("%016x", v); }

}  // namespace

// ---------------------------------------------------------------------------
// Configuration.

std::string_view VariantName(Variant v) {
  switch (v) {
    case Variant::kBasic: return "basic";
    case Variant::kAttentionA: return "attention-a";
    case Variant::kAttentionC: return "attention-c";
  }
  return "?";
}

std::optional<Variant> VariantByName(std::string_view name) {
  for (Variant v : {Variant::kBasic, Variant::kAttentionA, Variant::kAttentionC}) {
    if (VariantName(v) == name) return v;
  }
  return std::nullopt;
}

absl::Status ValidateConfig(const ModelConfig& c) {
  auto out_of_range = [](std::string_view field, int value, int lo, int hi) {
    return absl::InvalidArgumentError(absl::StrCat("model config: ", ToAbsl(field), " is ", value,
                                                   ", expected ", lo, "..", hi));
  };
  if (c.embedding_size < 1 || c.embedding_size > kMaxEmbedding) {
    return out_of_range("embedding_size", c.embedding_size, 1, kMaxEmbedding);
  }
  if (c.hidden_size < 2 || c.hidden_size > kMaxHidden) {
    return out_of_range("hidden_size", c.hidden_size, 2, kMaxHidden);
  }
  if (c.variant == Variant::kAttentionC && c.hidden_size % 2 != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "model config: hidden_size ", c.hidden_size, " must be even for attention-c"));
  }
  if (c.num_layers < 1 || c.num_layers > kMaxLayers) {
    return out_of_range("num_layers", c.num_layers, 1, kMaxLayers);
  }
  if (c.max_columns < 1 || c.max_columns > dsl::kMaxColumns) {
    return out_of_range("max_columns", c.max_columns, 1, dsl::kMaxColumns);
  }
  if (c.max_chars < 1 || c.max_chars > kMaxChars) {
    return out_of_range("max_chars", c.max_chars, 1, kMaxChars);
  }
  if (!VariantByName(VariantName(c.variant))) {
    return absl::InvalidArgumentError("model config: unknown variant");
  }
  return absl::OkStatus();
}

absl::Status ValidateExamples(const IoExamples& task) {
  if (task.inputs.empty()) return absl::InvalidArgumentError("a task needs at least one example");
  if (task.inputs.size() != task.outputs.size()) {
    return absl::InvalidArgumentError(absl::StrCat("a task has ", task.inputs.size(),
                                                   " input rows but ", task.outputs.size(),
                                                   " outputs"));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Files.

namespace internal {

void WriteModelFields(const ModelState& state, std::map<std::string, std::string>* fields) {
  const ModelConfig& c = state.config;
  (*fields)["variant"] = std::string(VariantName(c.variant));
  (*fields)["embedding_size"] = absl::StrCat(c.embedding_size);
  (*fields)["hidden_size"] = absl::StrCat(c.hidden_size);
  (*fields)["num_layers"] = absl::StrCat(c.num_layers);
  (*fields)["max_columns"] = absl::StrCat(c.max_columns);
  (*fields)["max_chars"] = absl::StrCat(c.max_chars);
  (*fields)["program_vocab_size"] = absl::StrCat(state.vocab.size());
  (*fields)["program_vocab_fingerprint"] = Hex(state.vocab.fingerprint());
}

absl::StatusOr<ModelConfig> ReadModelConfig(const std::map<std::string, std::string>& fields,
                                            std::string_view source_name) {
  Container c{"", fields, ""};
  ModelConfig config;
  FS_ASSIGN_OR_RETURN(std::string variant, StringField(c, "variant", source_name));
  if (!VariantByName(variant)) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(source_name), ": unknown model variant \"", variant, "\""));
  }
  config.variant = *VariantByName(variant);
  const std::pair<const char*, int*> ints[] = {{"embedding_size", &config.embedding_size},
                                               {"hidden_size", &config.hidden_size},
                                               {"num_layers", &config.num_layers},
                                               {"max_columns", &config.max_columns},
                                               {"max_chars", &config.max_chars}};
  for (const auto& [key, field] : ints) {
    FS_ASSIGN_OR_RETURN(int64_t v, IntField(c, key, source_name));
    *field = static_cast<int>(std::clamp<int64_t>(v, INT32_MIN, INT32_MAX));
  }
  if (absl::Status s = ValidateConfig(config); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source_name), ": ", s.message()));
  }
  FS_ASSIGN_OR_RETURN(std::string fingerprint,
                      StringField(c, "program_vocab_fingerprint", source_name));
  if (fingerprint != Hex(ProgramVocab(config.max_columns).fingerprint())) {
    return absl::FailedPreconditionError(absl::StrCat(
        ToAbsl(source_name), ": the model was trained on a different program vocabulary "
                             "(the DSL changed since); retrain it with this build"));
  }
  return config;
}

}  // namespace internal

// ---------------------------------------------------------------------------
// RobustFillModel.

RobustFillModel::RobustFillModel(std::unique_ptr<ModelState> state) : state_(std::move(state)) {}
RobustFillModel::~RobustFillModel() = default;

absl::StatusOr<std::unique_ptr<RobustFillModel>> RobustFillModel::Create(
    const ModelConfig& config, uint64_t seed) {
  FS_RETURN_IF_ERROR(ValidateConfig(config));
  try {
    torch::manual_seed(seed);
    return std::unique_ptr<RobustFillModel>(new RobustFillModel(NewState(config)));
  } catch (const c10::Error& e) {
    return TorchError("creating the model", e);
  }
}

absl::StatusOr<std::unique_ptr<RobustFillModel>> RobustFillModel::Load(
    std::string_view bytes, std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(internal::Container c, internal::ReadModelContainer(bytes, source_name));
  FS_ASSIGN_OR_RETURN(ModelConfig config, internal::ReadModelConfig(c.fields, source_name));
  std::unique_ptr<RobustFillModel> model;
  try {
    model.reset(new RobustFillModel(NewState(config)));
  } catch (const c10::Error& e) {
    return TorchError("creating the model", e);
  }
  FS_RETURN_IF_ERROR(internal::ReadModelWeights(c, *model->state_->net, source_name));
  return model;
}

absl::StatusOr<std::string> RobustFillModel::Save() const {
  std::map<std::string, std::string> fields;
  internal::WriteModelFields(*state_, &fields);
  return internal::WriteModelFile(*state_->net, std::move(fields));
}

const ModelConfig& RobustFillModel::config() const { return state_->config; }
const ProgramVocab& RobustFillModel::vocab() const { return state_->vocab; }

int64_t RobustFillModel::num_parameters() const {
  return internal::CountParameters(*state_->net);
}

DeviceKind RobustFillModel::device() const {
  return state_->device.is_cuda() ? DeviceKind::kCuda : DeviceKind::kCpu;
}

absl::StatusOr<DeviceKind> RobustFillModel::MoveTo(DeviceKind device) {
  return internal::MoveModule(*state_->net, device, &state_->device);
}

absl::StatusOr<std::vector<double>> RobustFillModel::LogLikelihoods(
    absl::Span<const IoExamples> tasks, absl::Span<const dsl::Program> programs) const {
  if (tasks.size() != programs.size()) {
    return absl::InvalidArgumentError("LogLikelihoods: one program per task");
  }
  if (tasks.empty()) return std::vector<double>();
  std::vector<std::vector<int>> ids;
  std::vector<const IoExamples*> task_ptrs;
  for (size_t i = 0; i < tasks.size(); ++i) {
    FS_RETURN_IF_ERROR(ValidateExamples(tasks[i]));
    FS_ASSIGN_OR_RETURN(std::vector<int> t, TokenizeProgram(programs[i], state_->vocab));
    ids.push_back(std::move(t));
    task_ptrs.push_back(&tasks[i]);
  }
  std::vector<const std::vector<int>*> id_ptrs;
  for (const auto& t : ids) id_ptrs.push_back(&t);
  try {
    torch::NoGradGuard no_grad;
    Batch batch = internal::MakeBatch(task_ptrs, id_ptrs, state_->config.max_chars, state_->device);
    torch::Tensor lp = torch::log_softmax(state_->net->forward(batch), /*dim=*/-1);
    torch::Tensor picked = lp.gather(/*dim=*/2, batch.program_out.unsqueeze(2)).squeeze(2);
    picked = picked.masked_fill(batch.program_out.eq(ProgramVocab::kPad), 0.0);
    torch::Tensor sums = picked.sum(/*dim=*/1).to(torch::kCPU, torch::kDouble).contiguous();
    return std::vector<double>(sums.data_ptr<double>(), sums.data_ptr<double>() + sums.numel());
  } catch (const c10::Error& e) {
    return TorchError("LogLikelihoods", e);
  }
}

absl::StatusOr<std::unique_ptr<Decoder>> RobustFillModel::StartDecoding(
    const IoExamples& task) const {
  FS_RETURN_IF_ERROR(ValidateExamples(task));
  try {
    torch::NoGradGuard no_grad;
    const IoExamples* tasks[] = {&task};
    Batch batch = internal::MakeBatch(tasks, {}, state_->config.max_chars, state_->device);
    RobustFillNet net = state_->net;
    Encoding encoding = net->Encode(batch);
    auto decoder = std::make_unique<SessionDecoder>(net, state_->vocab.size(), std::move(encoding),
                                                    batch.num_examples, state_->device);
    decoder->Start();
    return std::unique_ptr<Decoder>(std::move(decoder));
  } catch (const c10::Error& e) {
    return TorchError("StartDecoding", e);
  }
}

}  // namespace flashsynth::neural
