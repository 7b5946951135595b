#include "neural/robustfill/beam_search.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/match.h"
#include "dsl/interpreter.h"
#include "dsl/status_macros.h"
#include "neural/program_grammar.h"

namespace flashsynth::neural {

double AllowedLogMass(absl::Span<const float> log_probs, const std::vector<bool>& allowed) {
  double max = -std::numeric_limits<double>::infinity();
  for (size_t t = 0; t < log_probs.size(); ++t) {
    if (allowed[t]) max = std::max(max, static_cast<double>(log_probs[t]));
  }
  if (max == -std::numeric_limits<double>::infinity()) return max;
  double sum = 0;
  for (size_t t = 0; t < log_probs.size(); ++t) {
    if (allowed[t]) sum += std::exp(log_probs[t] - max);
  }
  return max + std::log(sum);
}

namespace {

struct Hypothesis {
  PrefixParser parser;
  double log_prob = 0;
  // Per example: the outputs of the complete top-level expressions, joined
  // (kept with execution guidance, for Concat programs).
  std::vector<std::string> partial;
};

struct Extension {
  int parent;
  int token;
  double log_prob;  // of the extended prefix
};

// Every allowed extension of `h` (hypothesis `k`), scored.
void Extend(const Hypothesis& h, int k, absl::Span<const float> log_probs,
            std::vector<bool>* allowed, std::vector<Extension>* out) {
  h.parser.AllowedTokens(allowed);
  const double norm = AllowedLogMass(log_probs, *allowed);
  for (size_t t = 0; t < log_probs.size(); ++t) {
    if ((*allowed)[t]) {
      out->push_back({k, static_cast<int>(t), h.log_prob + log_probs[t] - norm});
    }
  }
}

// DP-Beam: runs the expression that the last token completed, if any.
// False when an output stops being a prefix of its example's output, or a
// finished Concat does not produce it all, or the bytes of a top-level
// ConstStr being written stop continuing every output.
bool SurvivesExecution(const IoExamples& task, size_t exprs_before, Hypothesis* h) {
  if (h->parser.is_switch()) return true;
  const std::vector<dsl::Expr>& body = h->parser.body();
  if (body.size() > exprs_before) {
    for (size_t j = 0; j < task.inputs.size(); ++j) {
      std::optional<std::string> out = dsl::EvaluateExpr(body.back(), task.inputs[j]);
      if (!out) return false;
      h->partial[j] += *out;
      if (!absl::StartsWith(task.outputs[j], h->partial[j])) return false;
    }
  }
  if (h->parser.finished()) return h->partial == task.outputs;
  // Inside a top-level ConstStr: its bytes so far must continue every output.
  if (const std::string* text = h->parser.open_constant(); text != nullptr && !text->empty()) {
    for (size_t j = 0; j < task.inputs.size(); ++j) {
      const std::string& out = task.outputs[j];
      const size_t at = h->partial[j].size();
      if (out.size() < at + text->size() || out.compare(at, text->size(), *text) != 0) return false;
    }
  }
  return true;
}

bool Consistent(const dsl::Program& p, const IoExamples& task) {
  for (size_t j = 0; j < task.inputs.size(); ++j) {
    if (dsl::Evaluate(p, task.inputs[j]) != task.outputs[j]) return false;
  }
  return true;
}

// Finished programs, best first, at most `limit`.
class Results {
 public:
  explicit Results(size_t limit) : limit_(limit) {}
  // Whether a prefix scoring `log_prob` can still place.
  bool CanPlace(double log_prob) const {
    return found_.size() < limit_ || log_prob > found_.back().log_prob;
  }
  void Add(Candidate c) {
    auto at = std::upper_bound(found_.begin(), found_.end(), c.log_prob,
                               [](double lp, const Candidate& x) { return lp > x.log_prob; });
    found_.insert(at, std::move(c));
    if (found_.size() > limit_) found_.pop_back();
  }
  std::vector<Candidate> Take() { return std::move(found_); }

 private:
  size_t limit_;
  std::vector<Candidate> found_;
};

absl::Status CheckArguments(const Decoder& decoder, const ProgramVocab& vocab,
                            const IoExamples& task, const BeamSearchOptions& options) {
  if (options.beam_size < 1 || options.max_tokens < 1) {
    return absl::InvalidArgumentError("beam search: beam_size and max_tokens must be >= 1");
  }
  if (decoder.num_hypotheses() != 1 || decoder.vocab_size() != vocab.size()) {
    return absl::InvalidArgumentError(
        "beam search: the decoder must be fresh and use the vocabulary's ids");
  }
  return ValidateExamples(task);
}

}  // namespace

absl::StatusOr<std::vector<Candidate>> BeamSearch(Decoder& decoder, const ProgramVocab& vocab,
                                                  const IoExamples& task,
                                                  const BeamSearchOptions& options,
                                                  BeamSearchStats* stats) {
  FS_RETURN_IF_ERROR(CheckArguments(decoder, vocab, task, options));
  BeamSearchStats ignored;
  if (stats == nullptr) stats = &ignored;
  *stats = BeamSearchStats();
  const bool has_deadline = options.deadline != absl::InfiniteFuture();
  std::vector<Hypothesis> beam;
  beam.push_back({PrefixParser(vocab), 0.0, std::vector<std::string>(task.inputs.size())});
  Results results(static_cast<size_t>(options.beam_size));
  std::vector<bool> allowed;
  std::vector<Extension> extensions;
  for (int step = 0; step < options.max_tokens && !beam.empty(); ++step) {
    if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
      return absl::CancelledError("beam search cancelled");
    }
    if (has_deadline && absl::Now() >= options.deadline) {
      stats->timed_out = true;
      break;
    }
    stats->steps = step + 1;
    extensions.clear();
    for (size_t k = 0; k < beam.size(); ++k) {
      Extend(beam[k], static_cast<int>(k), decoder.log_probs(static_cast<int>(k)), &allowed,
             &extensions);
    }
    // Best first. Sorting all beam x vocabulary extensions cost 5% of a
    // search, and the loop below stops after a few beam_size of them, so
    // they are sorted a chunk at a time, as far as the loop goes.
    const size_t chunk = 2 * static_cast<size_t>(options.beam_size);
    size_t sorted = 0;
    std::vector<Hypothesis> next;
    std::vector<int> parents, tokens;
    for (size_t i = 0; i < extensions.size(); ++i) {
      if (i == sorted) {
        sorted = std::min(extensions.size(), sorted + chunk);
        const auto from = extensions.begin() + static_cast<ptrdiff_t>(i);
        const auto to = extensions.begin() + static_cast<ptrdiff_t>(sorted);
        const auto better = [](const Extension& a, const Extension& b) {
          return a.log_prob > b.log_prob;
        };
        std::nth_element(from, to, extensions.end(), better);  // linear; partial_sort's heap was not
        std::sort(from, to, better);
      }
      const Extension& e = extensions[i];
      if (static_cast<int>(next.size()) == options.beam_size || !results.CanPlace(e.log_prob)) {
        break;
      }
      Hypothesis h = beam[static_cast<size_t>(e.parent)];
      const size_t exprs_before = h.parser.body().size();
      h.parser.Push(e.token);
      h.log_prob = e.log_prob;
      if (options.execution_guided && !SurvivesExecution(task, exprs_before, &h)) {
        ++stats->pruned;
        continue;
      }
      if (!h.parser.finished()) {
        next.push_back(std::move(h));
        parents.push_back(e.parent);
        tokens.push_back(e.token);
        continue;
      }
      ++stats->finished;
      absl::StatusOr<dsl::Program> program = h.parser.program();
      if (!program.ok()) return program.status();  // a grammar bug: kFailedPrecondition
      const bool consistent = Consistent(*program, task);
      if (consistent || !options.only_consistent) {
        results.Add(Candidate{std::move(*program), h.log_prob, consistent});
      }
    }
    beam = std::move(next);
    if (!beam.empty()) FS_RETURN_IF_ERROR(decoder.Advance(parents, tokens));
  }
  return results.Take();
}

absl::StatusOr<std::vector<Candidate>> BeamSearch(const RobustFillModel& model,
                                                  const IoExamples& task,
                                                  const BeamSearchOptions& options,
                                                  BeamSearchStats* stats) {
  FS_ASSIGN_OR_RETURN(std::unique_ptr<Decoder> decoder, model.StartDecoding(task));
  return BeamSearch(*decoder, model.vocab(), task, options, stats);
}

}  // namespace flashsynth::neural
