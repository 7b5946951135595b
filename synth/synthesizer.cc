#include "synth/synthesizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dsl/json.h"
#include "dsl/parser.h"
#include "dsl/text.h"
#include "nlohmann/json.hpp"
#include "solver/distinguish.h"
#include "synth/internal/concat_learner.h"
#include "synth/internal/evidence.h"
#include "synth/internal/switch_learner.h"

namespace flashsynth::synth {
namespace {

using internal::ConcatResult;
using internal::SearchLimits;

// A Concat scoring below this is contrived enough to try a Switch beside it
// (when there are at most kMaxExamplesForRivalSwitch distinct examples; the
// partition costs a search per example).
constexpr double kContrivedScore = -9.0;
constexpr size_t kMaxExamplesForRivalSwitch = 20;

absl::Status CheckRow(absl::Span<const std::string> cells, size_t width, absl::string_view what) {
  if (cells.size() != width) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " has ", cells.size(), " input cells; the first example has ", width));
  }
  for (size_t c = 0; c < cells.size(); ++c) {
    if (!dsl::IsValidUtf8(cells[c])) {
      return absl::InvalidArgumentError(absl::StrCat(what, ", input x", c + 1, ": not valid UTF-8"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckInputs(absl::Span<const Example> examples, absl::Span<const dsl::Row> rows) {
  if (examples.empty()) return absl::InvalidArgumentError("no examples: nothing to learn from");
  const size_t width = examples.front().inputs.size();
  for (size_t i = 0; i < examples.size(); ++i) {
    const std::string what = absl::StrCat("example ", i);
    if (absl::Status s = CheckRow(examples[i].inputs, width, what); !s.ok()) return s;
    if (!dsl::IsValidUtf8(examples[i].output)) {
      return absl::InvalidArgumentError(absl::StrCat(what, ", output: not valid UTF-8"));
    }
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (absl::Status s = CheckRow(rows[i], width, absl::StrCat("row to fill ", i)); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// Edit distance between `a` and `b` (code points), or limit + 1 if larger.
int BoundedEditDistance(const std::string& a, const std::string& b, int limit) {
  auto chars = [](const std::string& s) {
    std::u32string out;
    for (size_t pos = 0; pos < s.size();) out.push_back(dsl::DecodeUtf8(s, &pos));
    return out;
  };
  const std::u32string x = chars(a), y = chars(b);
  const int n = static_cast<int>(x.size()), m = static_cast<int>(y.size());
  if (std::abs(n - m) > limit) return limit + 1;
  const int inf = limit + 1;
  std::vector<int> prev(m + 1, inf), cur(m + 1, inf);
  for (int j = 0; j <= std::min(m, limit); ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    std::fill(cur.begin(), cur.end(), inf);
    if (i <= limit) cur[0] = i;
    for (int j = std::max(1, i - limit); j <= std::min(m, i + limit); ++j) {
      const int sub = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
      cur[j] = std::min({inf, sub, prev[j] + 1, cur[j - 1] + 1});
    }
    std::swap(prev, cur);
  }
  return std::min(prev[m], inf);
}

// The learner's working set: distinct examples, each with the indices of the
// caller's examples it stands for.
struct Distinct {
  std::vector<Example> examples;
  std::vector<int> first_index;  // into the caller's examples
};

class Session {
 public:
  Session(absl::Span<const Example> examples, absl::Span<const dsl::Row> rows,
          const LearnOptions& options)
      : caller_examples_(examples), rows_(rows), options_(options),
        ranker_(options.ranker != nullptr ? *options.ranker : DefaultRanker()) {
    end_ = absl::Now() + options.time_budget;
    limits_.deadline = end_;
    // The proposer's share comes off the symbolic search's.
    if (options.engine == LearnOptions::Engine::kHybrid) {
      limits_.deadline -= std::min(options.neural_budget, options.time_budget / 2);
    }
    limits_.cancel = options.cancel;
    limits_.max_states = options.max_states;
    solver_budget_left_ = options.solver_budget;
  }

  absl::StatusOr<LearnResult> Run();

 private:
  bool FindConflict();
  ConcatResult Concat(const std::vector<int>& subset);
  std::vector<int> All() const {
    std::vector<int> all(distinct_.examples.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    return all;
  }
  // Length of the longest prefix of the examples that one Concat fits.
  int LongestFittingPrefix();
  bool TryNoise();
  void Explain();
  void Finish(std::vector<Candidate> pool);
  std::optional<Difference> RowToFillDifference(const std::vector<std::optional<std::string>>& best,
                                                const std::vector<std::optional<std::string>>& outputs) const;
  bool TellApart(Candidate* c);
  // The proposer's programs that fit every example, scored by `prior`
  // (the Ranker's) or by log-likelihood.
  std::vector<Candidate> Proposals(bool prior);
  // Adds the proposer's log-likelihood to each score (kHybrid).
  void AddLogLikelihoods(std::vector<Candidate>* pool);
  // Whether two candidates of `pool` give different outputs on some row to fill.
  bool CandidatesDisagree(const std::vector<Candidate>& pool) const;
  bool hybrid() const { return options_.engine == LearnOptions::Engine::kHybrid; }
  bool neural_only() const { return options_.engine == LearnOptions::Engine::kNeural; }
  absl::StatusOr<LearnResult> RunNeural();
  bool Stopped() {
    if (options_.cancel != nullptr && options_.cancel->load()) cancelled_ = true;
    if (absl::Now() > limits_.deadline) result_.timed_out = true;
    return cancelled_ || result_.timed_out;
  }

  absl::Span<const Example> caller_examples_;
  absl::Span<const dsl::Row> rows_;
  const LearnOptions& options_;
  const Ranker& ranker_;
  SearchLimits limits_;
  Distinct distinct_;
  LearnResult result_;
  bool cancelled_ = false;
  absl::Duration solver_budget_left_;
  absl::Status proposer_status_;  // the first error of the proposer
  bool proposer_called_ = false;  // once per Learn()
  absl::Time end_;                // of the whole call
};

bool Session::FindConflict() {
  std::map<dsl::Row, int> by_inputs;
  std::map<std::pair<dsl::Row, std::string>, bool> seen;
  for (int i = 0; i < static_cast<int>(caller_examples_.size()); ++i) {
    const Example& e = caller_examples_[i];
    auto [it, fresh] = by_inputs.try_emplace(e.inputs, i);
    if (!fresh && caller_examples_[it->second].output != e.output) {
      result_.failure = Failure::kConflictingExamples;
      result_.conflicting_examples = {it->second, i};
      result_.failure_message = absl::StrCat(
          "examples ", it->second, " and ", i, " have the same inputs but different outputs (\"",
          caller_examples_[it->second].output, "\" and \"", e.output, "\"): no program can fit both");
      return true;
    }
    if (seen.emplace(std::make_pair(e.inputs, e.output), true).second) {
      distinct_.examples.push_back(e);
      distinct_.first_index.push_back(i);
    }
  }
  return false;
}

ConcatResult Session::Concat(const std::vector<int>& subset) {
  std::vector<Example> chosen;
  chosen.reserve(subset.size());
  for (int i : subset) chosen.push_back(distinct_.examples[i]);
  ConcatResult r = internal::LearnConcat(chosen, ranker_, limits_);
  result_.states_explored += r.states;
  if (r.cancelled) cancelled_ = true;
  // The search returns what it found when the budget runs out; say so.
  if (r.timed_out && absl::Now() > limits_.deadline) result_.timed_out = true;
  return r;
}

int Session::LongestFittingPrefix() {
  int lo = 1, hi = static_cast<int>(distinct_.examples.size()) - 1;  // the whole set fails
  while (lo < hi && !Stopped()) {
    const int mid = (lo + hi + 1) / 2;
    std::vector<int> prefix(mid);
    for (int i = 0; i < mid; ++i) prefix[i] = i;
    if (Concat(prefix).programs.empty()) hi = mid - 1; else lo = mid;
  }
  return lo;
}

// RobustFill's noise setting: one example may be a typo. It is set aside
// only when a program fits all the others and its output on that example is
// at most two edits (and a fifth of the text) away from what was given.
bool Session::TryNoise() {
  const int n = static_cast<int>(distinct_.examples.size());
  if (!options_.tolerate_noise || n < kMinExamplesForNoise) return false;
  const int first_failing = LongestFittingPrefix();
  std::vector<int> suspects = {first_failing};
  for (int i = first_failing - 1; i >= 0; --i) suspects.push_back(i);
  for (int suspect : suspects) {
    if (Stopped()) return false;
    std::vector<int> others;
    for (int i = 0; i < n; ++i) {
      if (i != suspect) others.push_back(i);
    }
    ConcatResult r = Concat(others);
    if (r.programs.empty()) continue;
    const Example& e = distinct_.examples[suspect];
    std::optional<std::string> got = dsl::Evaluate(r.programs.front().program, e.inputs);
    if (!got) continue;
    const int limit = std::max(1, std::min<int>(2, static_cast<int>(dsl::CountChars(e.output)) / 5));
    if (BoundedEditDistance(*got, e.output, limit) > limit) continue;
    result_.suspected_typo = distinct_.first_index[suspect];
    result_.examples_used = n - 1;
    Finish(std::move(r.programs));
    return true;
  }
  return false;
}

// Names a smallest set of examples found that no single Concat fits.
void Session::Explain() {
  result_.failure = result_.timed_out ? Failure::kTimedOut : Failure::kNoProgram;
  if (result_.timed_out) {
    result_.failure_message = "the time budget ran out before any program fitting the examples was found";
    return;
  }
  const int j = LongestFittingPrefix();
  std::vector<int> culprits;
  for (int i = 0; i < j && !Stopped(); ++i) {
    if (Concat({i, j}).programs.empty()) {
      culprits = {i, j};
      break;
    }
  }
  if (culprits.empty()) {
    for (int i = 0; i <= j; ++i) culprits.push_back(i);
  }
  std::vector<int> named;
  for (int i : culprits) named.push_back(distinct_.first_index[i]);
  result_.conflicting_examples = named;
  result_.failure_message = absl::StrCat(
      "no program in the DSL fits examples ", absl::StrJoin(named, ", "), " together",
      options_.allow_switch ? ", and no Switch of at most 4 cases separates the examples" : "");
}

// Keeps the best program per distinct behaviour on the rows to fill, best
// first, at most max_programs; with no rows to fill the solver tells
// candidates apart (TellApart()).
void Session::Finish(std::vector<Candidate> pool) {
  if (!neural_only()) {
    for (Candidate& c : pool) {
      c.score -= internal::SeamPenalty(c.program, caller_examples_, rows_) +
                 internal::ShapePenalty(c.program, caller_examples_, rows_);
    }
  }
  // The model only reorders; where every candidate fills the rows alike, the
  // order changes nothing the user sees, and the model is not loaded.
  if (hybrid() && CandidatesDisagree(pool)) AddLogLikelihoods(&pool);
  std::stable_sort(pool.begin(), pool.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  std::map<std::vector<std::optional<std::string>>, bool> behaviours;
  std::vector<std::vector<std::optional<std::string>>> kept_outputs;
  std::map<std::string, bool> texts;
  for (Candidate& c : pool) {
    if (static_cast<int>(result_.programs.size()) >= std::max(1, options_.max_programs)) break;
    if (!texts.emplace(c.program.ToString(), true).second) {
      // Found by both searches: say so on the one kept.
      for (Candidate& kept : result_.programs) {
        if (c.proposed && kept.program == c.program) kept.proposed = true;
      }
      continue;
    }
    if (!rows_.empty()) {
      std::vector<std::optional<std::string>> outputs;
      outputs.reserve(rows_.size());
      for (const dsl::Row& row : rows_) outputs.push_back(dsl::Evaluate(c.program, row));
      if (!behaviours.emplace(outputs, true).second) continue;
      if (!kept_outputs.empty()) c.differs_from_best = RowToFillDifference(kept_outputs.front(), outputs);
      kept_outputs.push_back(std::move(outputs));
    } else if (!result_.programs.empty() && !TellApart(&c)) {
      ++result_.merged_equivalent;
      continue;
    }
    result_.programs.push_back(std::move(c));
  }
}

std::optional<Difference> Session::RowToFillDifference(
    const std::vector<std::optional<std::string>>& best,
    const std::vector<std::optional<std::string>>& outputs) const {
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (best[i] != outputs[i]) return Difference{rows_[i], best[i], outputs[i], static_cast<int>(i)};
  }
  return std::nullopt;
}

// Whether `c` may differ from every program kept so far: false when the
// solver proves it equivalent to one (within its bound). Records a row on
// which it differs from the best. Only candidates close enough to the best
// to make a row ambiguous are worth the solver's time.
bool Session::TellApart(Candidate* c) {
  if (!options_.use_solver || result_.programs.front().score - c->score > kAmbiguityLogOdds) return true;
  std::vector<dsl::Row> inputs;
  for (const Example& e : distinct_.examples) inputs.push_back(e.inputs);
  for (size_t k = 0; k < result_.programs.size(); ++k) {
    const absl::Duration left = std::min(limits_.deadline - absl::Now(), solver_budget_left_);
    if (left <= absl::ZeroDuration()) return true;
    solver::SolverOptions solver_options;
    solver_options.timeout = std::min(options_.solver_timeout, left);
    const absl::Time start = absl::Now();
    absl::StatusOr<solver::Distinction> d =
        solver::Distinguish(result_.programs[k].program, c->program, inputs, solver_options);
    solver_budget_left_ -= absl::Now() - start;
    if (!d.ok()) continue;  // cut short, or outside the encoding: keep both
    if (d->verdict == solver::Verdict::kEquivalentWithinBound) return false;
    if (k == 0) c->differs_from_best = Difference{d->input, d->output_a, d->output_b, std::nullopt};
  }
  return true;
}

std::vector<Candidate> Session::Proposals(bool prior) {
  std::vector<Candidate> out;
  if (options_.proposer == nullptr || proposer_called_ || cancelled_) return out;
  proposer_called_ = true;
  result_.proposer_consulted = true;
  // Alone, the proposer has the whole budget.
  const absl::Time deadline = neural_only() ? end_ : std::min(end_, absl::Now() + options_.neural_budget);
  absl::StatusOr<std::vector<ProposedProgram>> proposed =
      options_.proposer->Propose(distinct_.examples, deadline, options_.cancel);
  if (!proposed.ok()) {
    if (proposed.status().code() == absl::StatusCode::kCancelled) cancelled_ = true;
    if (proposer_status_.ok()) proposer_status_ = proposed.status();
    return out;
  }
  for (ProposedProgram& p : *proposed) {
    bool fits = true;  // the proposer's word is not enough
    for (const Example& e : distinct_.examples) fits = fits && dsl::Evaluate(p.program, e.inputs) == e.output;
    if (!fits) continue;
    Candidate c{std::move(p.program), prior ? 0.0 : p.log_likelihood};
    if (prior) c.score = ranker_.ScoreProgram(c.program);
    c.log_likelihood = p.log_likelihood;
    c.proposed = true;
    out.push_back(std::move(c));
  }
  result_.proposals += static_cast<int>(out.size());
  return out;
}

bool Session::CandidatesDisagree(const std::vector<Candidate>& pool) const {
  if (pool.size() < 2) return false;
  for (const dsl::Row& row : rows_) {
    const std::optional<std::string> first = dsl::Evaluate(pool.front().program, row);
    for (size_t i = 1; i < pool.size(); ++i) {
      if (dsl::Evaluate(pool[i].program, row) != first) return true;
    }
  }
  return false;
}

void Session::AddLogLikelihoods(std::vector<Candidate>* pool) {
  // Switch programs and programs with numbers keep their prior (below): not
  // worth scoring.
  auto wanted = [](const Candidate& c) {
    return !c.log_likelihood && !c.program.is_switch() && !dsl::ReadsNumbers(c.program);
  };
  std::vector<dsl::Program> unscored;
  for (const Candidate& c : *pool) {
    if (wanted(c)) unscored.push_back(c.program);
  }
  if (!unscored.empty()) {
    result_.proposer_consulted = true;
    absl::StatusOr<std::vector<double>> ll = options_.proposer->Score(distinct_.examples, unscored);
    if (!ll.ok()) {
      if (proposer_status_.ok()) proposer_status_ = ll.status();
      return;  // the prior alone ranks
    }
    size_t k = 0;
    for (Candidate& c : *pool) {
      if (wanted(c)) c.log_likelihood = (*ll)[k++];
    }
  }
  // The model ranks the Concats among themselves; a Switch keeps its place
  // (RobustFill's sampler has no Switch, so the model finds any unlikely:
  // on SyGuS's univ_2 it preferred an overfitted Concat to the right
  // Switch). Concats move down from the most likely one, and one the model
  // cannot express ranks as the least likely. A program with number
  // operators is not judged either (the shipped model was trained on
  // RobustFill's sampler, which has none): it moves as the prior's best
  // Concat without numbers moves, so the model neither lifts it over that
  // one nor sinks it below.
  const auto judged = [](const Candidate& c) {
    return !c.program.is_switch() && !dsl::ReadsNumbers(c.program);
  };
  double best = -std::numeric_limits<double>::infinity(), lowest = 0;
  for (const Candidate& c : *pool) {
    if (!judged(c) || !std::isfinite(*c.log_likelihood)) continue;
    best = std::max(best, *c.log_likelihood);
    lowest = std::min(lowest, *c.log_likelihood);
  }
  if (!std::isfinite(best)) return;
  const Candidate* leader = nullptr;  // the prior's best judged Concat
  for (const Candidate& c : *pool) {
    if (judged(c) && (leader == nullptr || c.score > leader->score)) leader = &c;
  }
  const auto shift = [&](const Candidate& c) {
    const double ll = std::isfinite(*c.log_likelihood) ? *c.log_likelihood : lowest;
    return options_.neural_weight * (ll - best);
  };
  const double leader_shift = shift(*leader);
  for (Candidate& c : *pool) {
    if (judged(c)) {
      c.score += shift(c);
    } else if (!c.program.is_switch()) {
      c.score += leader_shift;
    }
  }
}

// kNeural: the proposer's programs alone, by log-likelihood.
absl::StatusOr<LearnResult> Session::RunNeural() {
  result_.examples_used = static_cast<int>(distinct_.examples.size());
  std::vector<Candidate> pool = Proposals(/*prior=*/false);
  if (!proposer_status_.ok()) return proposer_status_;
  if (!pool.empty()) {
    Finish(std::move(pool));
  } else {
    result_.failure = Failure::kNoProgram;
    result_.failure_message = "the neural proposer found no program fitting the examples";
  }
  return std::move(result_);
}

absl::StatusOr<LearnResult> Session::Run() {
  const absl::Time start = absl::Now();
  if (options_.engine != LearnOptions::Engine::kSymbolic && options_.proposer == nullptr) {
    return absl::FailedPreconditionError("the neural and hybrid engines need a proposer (a model)");
  }
  if (neural_only()) {
    if (FindConflict()) return std::move(result_);
    absl::StatusOr<LearnResult> r = RunNeural();
    if (cancelled_) return absl::CancelledError("Learn() was cancelled");
    if (r.ok()) r->elapsed = absl::Now() - start;
    return r;
  }
  if (!FindConflict()) {
    result_.examples_used = static_cast<int>(distinct_.examples.size());
    ConcatResult all = Concat(All());
    if (!all.programs.empty()) {
      std::vector<Candidate> pool = std::move(all.programs);
      // A contrived Concat (many parts, odd constants) may be a Switch in
      // disguise: with few examples, let the two compete on score.
      if (options_.allow_switch && pool.front().score < kContrivedScore &&
          distinct_.examples.size() <= kMaxExamplesForRivalSwitch && !Stopped()) {
        // One partition only: a rival costs a search per example, and most
        // long Concats are not Switches in disguise.
        internal::SwitchResult sw = internal::LearnSwitch(
            distinct_.examples, ranker_, [this](const std::vector<int>& subset) { return Concat(subset); },
            /*max_seeds=*/1);
        pool.insert(pool.end(), sw.programs.begin(), sw.programs.end());
      }
      Finish(std::move(pool));
    } else if (!Stopped() && !TryNoise() && !Stopped()) {
      internal::SwitchResult sw;
      if (options_.allow_switch && distinct_.examples.size() >= 2) {
        sw = internal::LearnSwitch(distinct_.examples, ranker_,
                                   [this](const std::vector<int>& subset) { return Concat(subset); });
      }
      if (!sw.programs.empty()) {
        Finish(std::move(sw.programs));
      } else if (!Stopped()) {
        Explain();
      }
    }
    if (!result_.ok() && hybrid() && !cancelled_) {
      // The symbolic engine found nothing; the proposer may have.
      std::vector<Candidate> proposed = Proposals(/*prior=*/true);
      if (!proposed.empty()) {
        result_.failure = Failure::kNone;
        result_.failure_message.clear();
        result_.conflicting_examples.clear();
        Finish(std::move(proposed));
      }
    }
    if (!result_.ok() && result_.failure == Failure::kNone) Explain();
  }
  if (!proposer_status_.ok()) result_.proposer_error = std::string(proposer_status_.message());
  if (cancelled_) return absl::CancelledError("Learn() was cancelled");
  result_.elapsed = absl::Now() - start;
  return std::move(result_);
}

}  // namespace

absl::StatusOr<LearnResult> Learn(absl::Span<const Example> examples,
                                  absl::Span<const dsl::Row> rows_to_fill,
                                  const LearnOptions& options) {
  if (absl::Status s = CheckInputs(examples, rows_to_fill); !s.ok()) return s;
  Session session(examples, rows_to_fill, options);
  return session.Run();
}

std::vector<FilledRow> Fill(const LearnResult& result, absl::Span<const dsl::Row> rows) {
  std::vector<FilledRow> filled;
  filled.reserve(rows.size());
  const double best = result.programs.empty() ? 0 : result.programs.front().score;
  for (const dsl::Row& row : rows) {
    FilledRow f;
    // Outputs with their probability mass, in rank order of first appearance.
    std::vector<std::pair<std::optional<std::string>, double>> mass;
    double total = 0;
    bool top_disagree = false;
    for (const Candidate& c : result.programs) {
      std::optional<std::string> out = dsl::Evaluate(c.program, row);
      const double w = std::exp(c.score - best);
      total += w;
      auto it = std::find_if(mass.begin(), mass.end(), [&](const auto& m) { return m.first == out; });
      if (it == mass.end()) {
        if (!mass.empty() && best - c.score <= kAmbiguityLogOdds) top_disagree = true;
        mass.emplace_back(std::move(out), w);
      } else {
        it->second += w;
      }
    }
    if (!mass.empty()) {
      f.output = mass.front().first;
      f.confidence = total > 0 ? mass.front().second / total : 0;
      f.ambiguous = top_disagree;
      for (size_t i = 1; i < mass.size(); ++i) {
        if (mass[i].first) f.alternatives.push_back(*mass[i].first);
      }
    }
    filled.push_back(std::move(f));
  }
  return filled;
}

std::string SaveProgram(const dsl::Program& program, ProgramFormat format) {
  if (format == ProgramFormat::kJson) return dsl::ProgramToJson(program).dump(2);
  return program.ToString();
}

absl::StatusOr<dsl::Program> LoadProgram(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return absl::InvalidArgumentError("not valid JSON");
    return dsl::ProgramFromJson(j);
  }
  return dsl::Parse(text);
}

}  // namespace flashsynth::synth
