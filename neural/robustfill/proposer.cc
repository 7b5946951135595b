#include "neural/robustfill/proposer.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <mutex>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "dsl/interpreter.h"
#include "dsl/status_macros.h"
#include "neural/robustfill/beam_search.h"
#include "neural/program_grammar.h"
#include "neural/robustfill/robustfill_model.h"

namespace flashsynth::neural {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr int kMaxBeam = 100000;

absl::Status CheckOptions(const ProposeOptions& o) {
  if (o.max_programs < 1 || o.beam_size < 1 || o.beam_size > kMaxBeam || o.max_tokens < 1 ||
      o.model_examples < 0 || o.near_misses < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "propose: need max_programs >= 1, 1 <= beam_size <= ", kMaxBeam,
        ", max_tokens >= 1, model_examples >= 0 and near_misses >= 0"));
  }
  return absl::OkStatus();
}

// The first `n` examples of `task` (all when n is 0 or more than there are).
IoExamples FirstExamples(const IoExamples& task, int n) {
  if (n == 0 || n >= static_cast<int>(task.inputs.size())) return task;
  return IoExamples{{task.inputs.begin(), task.inputs.begin() + n},
                    {task.outputs.begin(), task.outputs.begin() + n}};
}

bool Consistent(const dsl::Program& p, const IoExamples& task) {
  for (size_t j = 0; j < task.inputs.size(); ++j) {
    if (dsl::Evaluate(p, task.inputs[j]) != task.outputs[j]) return false;
  }
  return true;
}

// Teacher-forces every token sequence in `tokens` through `decoder` (fresh),
// all in one batch, and returns each one's grammar-renormalized
// log-likelihood; an empty sequence, or one the grammar refuses, scores
// -infinity.
absl::StatusOr<std::vector<double>> ScoreTokens(Decoder& decoder, const ProgramVocab& vocab,
                                                const std::vector<std::vector<int>>& tokens) {
  const size_t n = tokens.size();
  std::vector<double> score(n, 0.0);
  std::vector<PrefixParser> parsers(n, PrefixParser(vocab));
  std::vector<int> hypothesis(n, 0);  // every sequence starts at the empty prefix
  std::vector<size_t> active;
  for (size_t i = 0; i < n; ++i) {
    if (tokens[i].empty()) {
      score[i] = kNegInf;
    } else {
      active.push_back(i);
    }
  }
  std::vector<bool> allowed;
  for (size_t t = 0; !active.empty(); ++t) {
    std::vector<size_t> next;
    std::vector<int> parents, next_tokens;
    for (size_t i : active) {
      const int token = tokens[i][t];
      absl::Span<const float> lp = decoder.log_probs(hypothesis[i]);
      parsers[i].AllowedTokens(&allowed);
      if (token < 0 || token >= vocab.size() || !allowed[static_cast<size_t>(token)]) {
        score[i] = kNegInf;
        continue;
      }
      score[i] += lp[static_cast<size_t>(token)] - AllowedLogMass(lp, allowed);
      parsers[i].Push(token);
      if (t + 1 < tokens[i].size()) {
        next.push_back(i);
        parents.push_back(hypothesis[i]);
        next_tokens.push_back(token);
      }
    }
    if (next.empty()) break;
    FS_RETURN_IF_ERROR(decoder.Advance(parents, next_tokens));
    for (size_t k = 0; k < next.size(); ++k) hypothesis[next[k]] = static_cast<int>(k);
    active = std::move(next);
  }
  return score;
}

}  // namespace

struct NeuralProposer::Impl {
  std::unique_ptr<RobustFillModel> model;
  std::string source_name;
  mutable std::mutex mu;  // one call at a time on `model`
};

NeuralProposer::NeuralProposer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NeuralProposer::~NeuralProposer() = default;

absl::StatusOr<std::unique_ptr<NeuralProposer>> NeuralProposer::FromBytes(
    std::string_view bytes, std::string_view source_name, const LoadOptions& options) {
  if (options.num_threads < 0) {
    return absl::InvalidArgumentError("LoadOptions::num_threads must be >= 0");
  }
  if (options.num_threads > 0) SetNumThreads(options.num_threads);
  auto impl = std::make_unique<Impl>();
  impl->source_name = std::string(source_name);
  FS_ASSIGN_OR_RETURN(impl->model, RobustFillModel::Load(bytes, source_name));
  absl::StatusOr<DeviceKind> device = impl->model->MoveTo(options.device);
  if (!device.ok()) {
    return absl::Status(device.status().code(),
                        absl::StrCat(ToAbsl(source_name), ": ", device.status().message()));
  }
  return std::unique_ptr<NeuralProposer>(new NeuralProposer(std::move(impl)));
}

// The beam of the unguided search for near misses.
constexpr int kNearMissBeam = 32;

absl::StatusOr<Proposals> NeuralProposer::Propose(const IoExamples& task,
                                                  const ProposeOptions& options) const {
  const auto start = std::chrono::steady_clock::now();
  FS_RETURN_IF_ERROR(CheckOptions(options));
  FS_RETURN_IF_ERROR(ValidateExamples(task));
  BeamSearchOptions search;
  search.beam_size = options.beam_size;
  search.max_tokens = options.max_tokens;
  search.execution_guided = options.execution_guided;
  search.only_consistent = true;
  search.deadline = options.deadline;
  search.cancel = options.cancel;
  BeamSearchStats stats;
  std::vector<Candidate> found;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    FS_ASSIGN_OR_RETURN(std::unique_ptr<Decoder> decoder,
                        impl_->model->StartDecoding(FirstExamples(task, options.model_examples)));
    FS_ASSIGN_OR_RETURN(found, BeamSearch(*decoder, impl_->model->vocab(), task, search, &stats));
  }
  Proposals result;
  result.timed_out = stats.timed_out;
  result.decoder_steps = stats.steps;
  absl::flat_hash_set<dsl::Program> seen;
  for (Candidate& c : found) {
    if (static_cast<int>(result.programs.size()) == options.max_programs) break;
    // The search checked consistency already; the interpreter has the last word.
    if (!Consistent(c.program, task) || !seen.insert(c.program).second) continue;
    result.programs.push_back(Proposal{std::move(c.program), c.log_prob});
  }
  if (options.near_misses > 0 && static_cast<int>(result.programs.size()) < options.max_programs &&
      absl::Now() < options.deadline) {
    search.beam_size = std::min(options.beam_size, kNearMissBeam);
    search.execution_guided = false;
    search.only_consistent = false;
    std::vector<Candidate> unguided;
    {
      std::lock_guard<std::mutex> lock(impl_->mu);
      FS_ASSIGN_OR_RETURN(std::unique_ptr<Decoder> decoder,
                          impl_->model->StartDecoding(FirstExamples(task, options.model_examples)));
      FS_ASSIGN_OR_RETURN(unguided, BeamSearch(*decoder, impl_->model->vocab(), task, search, &stats));
    }
    result.decoder_steps += stats.steps;
    result.timed_out = result.timed_out || stats.timed_out;
    for (Candidate& c : unguided) {
      if (static_cast<int>(result.near_misses.size()) == options.near_misses) break;
      if (Consistent(c.program, task) || !seen.insert(c.program).second) continue;
      result.near_misses.push_back(Proposal{std::move(c.program), c.log_prob});
    }
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

absl::StatusOr<double> NeuralProposer::ScoreProgram(const IoExamples& task,
                                                    const dsl::Program& program,
                                                    int model_examples) const {
  FS_ASSIGN_OR_RETURN(std::vector<double> scores, ScorePrograms(task, {program}, model_examples));
  return scores[0];
}

absl::StatusOr<std::vector<double>> NeuralProposer::ScorePrograms(
    const IoExamples& task, absl::Span<const dsl::Program> programs, int model_examples) const {
  FS_RETURN_IF_ERROR(ValidateExamples(task));
  if (model_examples < 0) return absl::InvalidArgumentError("score: model_examples must be >= 0");
  const ProgramVocab& vocab = impl_->model->vocab();
  std::vector<std::vector<int>> tokens;
  for (const dsl::Program& p : programs) {
    absl::StatusOr<std::vector<int>> t = TokenizeProgram(p, vocab);
    tokens.push_back(t.ok() ? *std::move(t) : std::vector<int>());
  }
  if (programs.empty()) return std::vector<double>();
  std::lock_guard<std::mutex> lock(impl_->mu);
  FS_ASSIGN_OR_RETURN(std::unique_ptr<Decoder> decoder,
                      impl_->model->StartDecoding(FirstExamples(task, model_examples)));
  return ScoreTokens(*decoder, vocab, tokens);
}

std::string NeuralProposer::Describe() const {
  const ModelConfig& c = impl_->model->config();
  return absl::StrFormat("%s E=%d H=%d layers=%d max_columns=%d max_chars=%d, %d parameters, on %s",
                         VariantName(c.variant), c.embedding_size, c.hidden_size, c.num_layers,
                         c.max_columns, c.max_chars, impl_->model->num_parameters(),
                         DeviceKindName(impl_->model->device()));
}

const std::string& NeuralProposer::source_name() const { return impl_->source_name; }
int NeuralProposer::max_columns() const { return impl_->model->config().max_columns; }
DeviceKind NeuralProposer::device() const { return impl_->model->device(); }

}  // namespace flashsynth::neural
