#include "neural/induction/induction.h"

#include <torch/utils.h>

#include <algorithm>
#include <climits>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dsl/status_macros.h"
#include "neural/internal/container.h"
#include "neural/induction/internal/induction_net.h"
#include "neural/internal/module_weights.h"
#include "neural/tokens.h"
#include "neural/internal/torch_error.h"

namespace flashsynth::neural {

namespace {

using internal::TorchError;

using internal::InductionNet;
using internal::InductionState;

constexpr int kMaxEmbedding = 4096;
constexpr int kMaxHidden = 8192;
constexpr int kMaxLayers = 8;
constexpr int kMaxChars = 10000;
constexpr std::string_view kFamily = "induction";

std::unique_ptr<InductionState> NewState(const InductionConfig& config) {
  auto state = std::make_unique<InductionState>();
  state->config = config;
  state->net = InductionNet(config);
  return state;
}

// tokens.h has no fingerprint of the character ids: a digest of the
// special ids and every ASCII code point's id, so that a model trained on
// other ids is refused.
std::string CharVocabFingerprint() {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  auto mix = [&h](int64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= static_cast<uint64_t>(v >> (8 * i)) & 0xff;
      h *= 0x100000001b3ULL;
    }
  };
  for (int v : {kCharPad, kCharBos, kCharEos, kCharUnk, kCharSeparator, kCharVocabSize}) mix(v);
  for (char32_t c = 0; c < 0x80; ++c) mix(CharId(c));
  return absl::StrFormat("%016x", h);
}

absl::Status ValidateObserved(const IoExamples& observed) {
  if (observed.inputs.empty()) {
    return absl::InvalidArgumentError("PredictOutputs: no observed example");
  }
  if (observed.inputs.size() != observed.outputs.size()) {
    return absl::InvalidArgumentError(absl::StrCat("PredictOutputs: ", observed.inputs.size(),
                                                   " observed input rows but ",
                                                   observed.outputs.size(), " outputs"));
  }
  return absl::OkStatus();
}

}  // namespace

// ---------------------------------------------------------------------------
// Configuration.

std::string_view InductionArchitectureName(InductionArchitecture a) {
  switch (a) {
    case InductionArchitecture::kLstmAttention: return "lstm-attention";
    case InductionArchitecture::kPointer: return "pointer";
  }
  return "?";
}

std::optional<InductionArchitecture> InductionArchitectureByName(std::string_view name) {
  for (InductionArchitecture a :
       {InductionArchitecture::kLstmAttention, InductionArchitecture::kPointer}) {
    if (InductionArchitectureName(a) == name) return a;
  }
  return std::nullopt;
}

absl::Status ValidateInductionConfig(const InductionConfig& c) {
  auto out_of_range = [](std::string_view field, int value, int lo, int hi) {
    return absl::InvalidArgumentError(absl::StrCat("induction config: ", ToAbsl(field), " is ",
                                                   value, ", expected ", lo, "..", hi));
  };
  if (!InductionArchitectureByName(InductionArchitectureName(c.architecture))) {
    return absl::InvalidArgumentError("induction config: unknown architecture");
  }
  if (c.embedding_size < 1 || c.embedding_size > kMaxEmbedding) {
    return out_of_range("embedding_size", c.embedding_size, 1, kMaxEmbedding);
  }
  if (c.hidden_size < 1 || c.hidden_size > kMaxHidden) {
    return out_of_range("hidden_size", c.hidden_size, 1, kMaxHidden);
  }
  if (c.num_layers < 1 || c.num_layers > kMaxLayers) {
    return out_of_range("num_layers", c.num_layers, 1, kMaxLayers);
  }
  if (c.max_chars < 1 || c.max_chars > kMaxChars) {
    return out_of_range("max_chars", c.max_chars, 1, kMaxChars);
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Files.

namespace internal {

void WriteInductionFields(const InductionConfig& c, std::map<std::string, std::string>* fields) {
  (*fields)["family"] = std::string(kFamily);
  (*fields)["architecture"] = std::string(InductionArchitectureName(c.architecture));
  (*fields)["embedding_size"] = absl::StrCat(c.embedding_size);
  (*fields)["hidden_size"] = absl::StrCat(c.hidden_size);
  (*fields)["num_layers"] = absl::StrCat(c.num_layers);
  (*fields)["max_chars"] = absl::StrCat(c.max_chars);
  (*fields)["char_vocab_size"] = absl::StrCat(kCharVocabSize);
  (*fields)["char_vocab_fingerprint"] = CharVocabFingerprint();
}

absl::StatusOr<InductionConfig> ReadInductionConfig(
    const std::map<std::string, std::string>& fields, std::string_view source_name) {
  const Container c{"", fields, ""};
  const std::string source(source_name);
  auto family = fields.find("family");
  if (family == fields.end() || family->second != kFamily) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": not an induction model (",
        family == fields.end() ? std::string("a RobustFill proposer")
                               : absl::StrCat("family ", family->second),
        ")"));
  }
  InductionConfig config;
  FS_ASSIGN_OR_RETURN(std::string architecture, StringField(c, "architecture", source_name));
  if (!InductionArchitectureByName(architecture)) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": unknown induction architecture \"", architecture, "\""));
  }
  config.architecture = *InductionArchitectureByName(architecture);
  const std::pair<const char*, int*> ints[] = {{"embedding_size", &config.embedding_size},
                                               {"hidden_size", &config.hidden_size},
                                               {"num_layers", &config.num_layers},
                                               {"max_chars", &config.max_chars}};
  for (const auto& [key, field] : ints) {
    FS_ASSIGN_OR_RETURN(int64_t v, IntField(c, key, source_name));
    *field = static_cast<int>(std::clamp<int64_t>(v, INT32_MIN, INT32_MAX));
  }
  if (absl::Status s = ValidateInductionConfig(config); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", s.message()));
  }
  FS_ASSIGN_OR_RETURN(std::string fingerprint,
                      StringField(c, "char_vocab_fingerprint", source_name));
  if (fingerprint != CharVocabFingerprint()) {
    return absl::FailedPreconditionError(absl::StrCat(
        source, ": the model was trained on a different character vocabulary; retrain it"));
  }
  return config;
}

}  // namespace internal

// ---------------------------------------------------------------------------
// InductionModel.

InductionModel::InductionModel(std::unique_ptr<InductionState> state) : state_(std::move(state)) {}
InductionModel::~InductionModel() = default;

absl::StatusOr<std::unique_ptr<InductionModel>> InductionModel::Create(
    const InductionConfig& config, uint64_t seed) {
  FS_RETURN_IF_ERROR(ValidateInductionConfig(config));
  try {
    torch::manual_seed(seed);
    return std::unique_ptr<InductionModel>(new InductionModel(NewState(config)));
  } catch (const c10::Error& e) {
    return TorchError("creating the induction model", e);
  }
}

absl::StatusOr<std::unique_ptr<InductionModel>> InductionModel::Load(
    std::string_view bytes, std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(internal::Container c, internal::ReadModelContainer(bytes, source_name));
  FS_ASSIGN_OR_RETURN(InductionConfig config, internal::ReadInductionConfig(c.fields, source_name));
  std::unique_ptr<InductionModel> model;
  try {
    model.reset(new InductionModel(NewState(config)));
  } catch (const c10::Error& e) {
    return TorchError("creating the induction model", e);
  }
  FS_RETURN_IF_ERROR(internal::ReadModelWeights(c, *model->state_->net, source_name));
  return model;
}

absl::StatusOr<std::string> InductionModel::Save() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, std::string> fields;
  internal::WriteInductionFields(state_->config, &fields);
  return internal::WriteModelFile(*state_->net, std::move(fields));
}

const InductionConfig& InductionModel::config() const { return state_->config; }

int64_t InductionModel::num_parameters() const {
  return internal::CountParameters(*state_->net);
}

DeviceKind InductionModel::device() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_->device.is_cuda() ? DeviceKind::kCuda : DeviceKind::kCpu;
}

absl::StatusOr<DeviceKind> InductionModel::MoveTo(DeviceKind device) {
  std::lock_guard<std::mutex> lock(mu_);
  return internal::MoveModule(*state_->net, device, &state_->device);
}

absl::Status InductionModel::SetDecodeOptions(const InductionDecodeOptions& options) {
  if (options.beam_size < 1 || options.max_output_chars < 0) {
    return absl::InvalidArgumentError(absl::StrCat("decode options: beam_size ", options.beam_size,
                                                   " must be >= 1, max_output_chars ",
                                                   options.max_output_chars, " >= 0"));
  }
  std::lock_guard<std::mutex> lock(mu_);
  decode_ = options;
  return absl::OkStatus();
}

InductionDecodeOptions InductionModel::decode_options() const {
  std::lock_guard<std::mutex> lock(mu_);
  return decode_;
}

std::string InductionModel::Describe() const {
  const InductionConfig& c = state_->config;
  return absl::StrCat("induction ", ToAbsl(InductionArchitectureName(c.architecture)),
                      " E=", c.embedding_size, " H=", c.hidden_size,
                      c.num_layers > 1 ? absl::StrCat(" L=", c.num_layers) : "", ": ",
                      num_parameters(), " parameters");
}

absl::StatusOr<std::vector<std::string>> InductionModel::PredictOutputs(
    const IoExamples& observed, absl::Span<const dsl::Row> queries) {
  FS_RETURN_IF_ERROR(ValidateObserved(observed));
  if (queries.empty()) return std::vector<std::string>();
  std::lock_guard<std::mutex> lock(mu_);
  const InductionConfig& c = state_->config;
  std::vector<internal::QueryRow> rows;
  for (const dsl::Row& q : queries) rows.push_back(internal::QueryRow{0, &q, nullptr});
  const IoExamples* tasks[] = {&observed};
  const int max_output = decode_.max_output_chars > 0 ? decode_.max_output_chars : c.max_chars;
  try {
    state_->net->eval();
    internal::InductionBatch batch = internal::MakeInductionBatch(
        tasks, rows, c.max_chars, c.architecture == InductionArchitecture::kPointer,
        state_->device);
    return internal::DecodeOutputs(state_->net, batch, decode_.beam_size, max_output);
  } catch (const c10::Error& e) {
    return TorchError("PredictOutputs", e);
  }
}

}  // namespace flashsynth::neural
