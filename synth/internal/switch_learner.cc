#include "synth/internal/switch_learner.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>

#include "dsl/interpreter.h"
#include "dsl/match.h"
#include "dsl/text.h"
#include "synth/internal/regex_slots.h"

namespace flashsynth::synth::internal {
namespace {


// Match counts, capped at the DSL's bound: counts[example][column][regex].
using Counts = std::vector<std::vector<std::vector<int>>>;

Counts CountMatches(absl::Span<const Example> examples) {
  Counts counts(examples.size());
  for (size_t k = 0; k < examples.size(); ++k) {
    for (const std::string& cell : examples[k].inputs) {
      const dsl::Utf8Text text(cell);
      std::vector<int> per_regex(kNumRegexes);
      for (int r = 0; r < kNumRegexes; ++r) {
        per_regex[r] = std::min<int>(dsl::kMaxMatchCount,
                                     static_cast<int>(dsl::FindMatches(text, RegexAt(r)).size()));
      }
      counts[k].push_back(std::move(per_regex));
    }
  }
  return counts;
}

bool Holds(const dsl::MatchLiteral& lit, int count) { return (count >= lit.count) != lit.negated; }

}  // namespace

namespace {

// A Match literal that holds on every accepted example, with its regex slot.
struct Literal {
  dsl::MatchLiteral lit;
  int r;
};

// Candidate literals: for each column and regex, "at least min" and "fewer
// than max + 1" over the accepted examples; columns in `column_order` first.
std::vector<Literal> CandidateLiterals(const Counts& counts, int columns, const std::vector<int>& accept,
                                       const std::vector<int>& column_order) {
  std::vector<Literal> candidates;
  std::vector<int> regex_order;
  for (int r = 0; r < kNumRegexes; ++r) {
    if (r != static_cast<int>(dsl::TokenType::kChar)) regex_order.push_back(r);
  }
  regex_order.push_back(static_cast<int>(dsl::TokenType::kChar));
  std::vector<int> order = column_order;
  for (int c = 0; c < columns; ++c) {
    if (std::find(order.begin(), order.end(), c) == order.end()) order.push_back(c);
  }
  for (int c : order) {
    for (int r : regex_order) {
      int lo = dsl::kMaxMatchCount, hi = 0;
      for (int k : accept) {
        lo = std::min(lo, counts[k][c][r]);
        hi = std::max(hi, counts[k][c][r]);
      }
      if (lo >= 1) candidates.push_back({{c, RegexAt(r), lo, false}, r});
      if (hi + 1 <= dsl::kMaxMatchCount) candidates.push_back({{c, RegexAt(r), hi + 1, true}, r});
    }
  }
  return candidates;
}

// How good a literal is against the rejected examples still `left`: most
// of them excluded first, then literals on the columns the case reads, then
// delimiters before token classes before Char (a length rarely means
// anything to the user), then the widest margin between the counts
// accepted and those excluded. Zero exclusions: not useful.
using LiteralKey = std::tuple<size_t, int, int, int>;

LiteralKey KeyOf(const Literal& cand, const Counts& counts, const std::vector<int>& left,
                 const std::vector<int>& column_order) {
  size_t excluded = 0;
  int margin = dsl::kMaxMatchCount;
  for (int k : left) {
    const int count = counts[k][cand.lit.column][cand.r];
    if (Holds(cand.lit, count)) continue;
    ++excluded;
    margin = std::min(margin, cand.lit.negated ? count - (cand.lit.count - 1) : cand.lit.count - count);
  }
  const bool preferred =
      std::find(column_order.begin(), column_order.end(), cand.lit.column) != column_order.end();
  // Punctuation is the most telling structure, Char counts the least.
  const int kind = cand.r >= dsl::kNumTokenTypes                      ? 2
                   : cand.r == static_cast<int>(dsl::TokenType::kChar) ? 0
                                                                       : 1;
  return {excluded, preferred ? 1 : 0, kind, margin};
}

// Greedy cover of `left` starting with `first`; nullopt when it stalls.
std::optional<std::vector<dsl::MatchLiteral>> CoverFrom(const Literal& first, const std::vector<Literal>& candidates,
                                                        const Counts& counts, std::vector<int> left,
                                                        const std::vector<int>& column_order) {
  std::vector<dsl::MatchLiteral> condition;
  const Literal* chosen = &first;
  while (true) {
    condition.push_back(chosen->lit);
    left.erase(std::remove_if(left.begin(), left.end(),
                              [&](int k) { return !Holds(chosen->lit, counts[k][chosen->lit.column][chosen->r]); }),
               left.end());
    if (left.empty()) return condition;
    chosen = nullptr;
    LiteralKey best_key{0, 0, 0, 0};
    for (const Literal& cand : candidates) {
      const LiteralKey key = KeyOf(cand, counts, left, column_order);
      if (std::get<0>(key) > 0 && (chosen == nullptr || key > best_key)) {
        chosen = &cand;
        best_key = key;
      }
    }
    if (chosen == nullptr) return std::nullopt;
  }
}

}  // namespace

std::vector<std::vector<dsl::MatchLiteral>> LearnConditions(absl::Span<const Example> examples,
                                                            const std::vector<int>& accept,
                                                            const std::vector<int>& reject,
                                                            const std::vector<int>& column_order,
                                                            int max_conditions) {
  std::vector<std::vector<dsl::MatchLiteral>> conditions;
  if (accept.empty() || max_conditions <= 0) return conditions;
  const Counts counts = CountMatches(examples);
  const int columns = static_cast<int>(examples.front().inputs.size());
  const std::vector<Literal> candidates = CandidateLiterals(counts, columns, accept, column_order);
  // The first literals that exclude the most rejected examples, best first
  // (stable: the earlier candidate among equals); each starts a cover.
  std::vector<std::pair<LiteralKey, int>> firsts;
  for (int i = 0; i < static_cast<int>(candidates.size()); ++i) {
    const LiteralKey key = KeyOf(candidates[i], counts, reject, column_order);
    if (std::get<0>(key) > 0) firsts.emplace_back(key, i);
  }
  std::stable_sort(firsts.begin(), firsts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [key, i] : firsts) {
    if (static_cast<int>(conditions.size()) >= max_conditions) break;
    if (std::get<0>(key) < std::get<0>(firsts.front().first)) break;
    std::optional<std::vector<dsl::MatchLiteral>> condition =
        CoverFrom(candidates[i], candidates, counts, reject, column_order);
    if (condition && std::find(conditions.begin(), conditions.end(), *condition) == conditions.end()) {
      conditions.push_back(std::move(*condition));
    }
  }
  // Fewer literals first; among equals the greedy order stands.
  std::stable_sort(conditions.begin(), conditions.end(),
                   [](const auto& a, const auto& b) { return a.size() < b.size(); });
  return conditions;
}

std::optional<std::vector<dsl::MatchLiteral>> LearnCondition(absl::Span<const Example> examples,
                                                             const std::vector<int>& accept,
                                                             const std::vector<int>& reject,
                                                             const std::vector<int>& column_order) {
  std::vector<std::vector<dsl::MatchLiteral>> conditions =
      LearnConditions(examples, accept, reject, column_order, 1);
  if (conditions.empty()) return std::nullopt;
  return std::move(conditions.front());
}

namespace {

// How much worse (in score) a part's program may get to take one more
// example; past it the example starts or joins another part.
constexpr double kMaxMergeLoss = 2.5;

struct Part {
  std::vector<int> members;
  std::vector<Candidate> programs;  // best first
};

bool Fits(const dsl::Program& p, const Example& e) { return dsl::Evaluate(p, e.inputs) == e.output; }

// Greedy partition. With `max_loss` finite, an example joins a part only if
// the part's best program stays within max_loss of its score (so a part
// does not swallow examples through a contrived program).
std::optional<std::vector<Part>> Partition(std::vector<int> remaining, const ConcatOracle& learn_concat,
                                           absl::Span<const Example> examples, double max_loss,
                                           bool* stopped) {
  std::vector<Part> parts;
  while (!remaining.empty()) {
    if (static_cast<int>(parts.size()) == kMaxSwitchCases) return std::nullopt;
    Part part;
    part.members = {remaining.front()};
    ConcatResult seed = learn_concat(part.members);
    if (seed.cancelled || seed.programs.empty()) {
      *stopped = seed.cancelled || seed.timed_out;
      return std::nullopt;
    }
    part.programs = std::move(seed.programs);
    std::vector<int> rest;
    for (size_t i = 1; i < remaining.size(); ++i) {
      const Example& e = examples[remaining[i]];
      // Cheap first: a program the part already has may fit the newcomer.
      std::vector<Candidate> kept;
      for (const Candidate& c : part.programs) {
        if (Fits(c.program, e)) kept.push_back(c);
      }
      if (!kept.empty() && kept.front().score >= part.programs.front().score - max_loss) {
        part.members.push_back(remaining[i]);
        part.programs = std::move(kept);
        continue;
      }
      std::vector<int> trial = part.members;
      trial.push_back(remaining[i]);
      ConcatResult r = learn_concat(trial);
      if (r.cancelled) {
        *stopped = true;
        return std::nullopt;
      }
      if (r.programs.empty() || r.programs.front().score < part.programs.front().score - max_loss) {
        rest.push_back(remaining[i]);
      } else {
        part.members = std::move(trial);
        part.programs = std::move(r.programs);
      }
    }
    parts.push_back(std::move(part));
    remaining = std::move(rest);
  }
  return parts;
}

// Partitions seeded by other examples are tried only when there are few
// examples and the searches so far visited few position tuples.
constexpr int kMaxExamplesForSeeds = 12;
constexpr int64_t kMaxStatesForMoreSeeds = 10'000;

// Conditions per case: the greedy one and alternatives for the rows to fill
// to judge.
constexpr int kConditionsPerCase = 3;

// The columns a case body reads, in order of first use: conditions on them
// come first among equals.
std::vector<int> ColumnsRead(const std::vector<dsl::Expr>& body) {
  std::vector<int> read;
  for (const dsl::Expr& e : body) {
    const dsl::Expr* x = &e;
    while (x->inner() != nullptr) x = x->inner();
    if (x->op() != dsl::Op::kConstStr && std::find(read.begin(), read.end(), x->column()) == read.end()) {
      read.push_back(x->column());
    }
  }
  return read;
}

// Orders the parts (largest last, as the default case), learns their
// conditions and adds the Switch and its variants to `out`.
void BuildSwitch(absl::Span<const Example> examples, const Ranker& ranker, std::vector<Part> parts,
                 SwitchResult* out) {
  SwitchResult& result = *out;
  if (parts.size() < 2) return;
  // The largest part is the default case; the others keep their order.
  const auto largest = std::max_element(parts.begin(), parts.end(), [](const Part& a, const Part& b) {
    return a.members.size() < b.members.size();
  });
  std::rotate(largest, largest + 1, parts.end());

  std::vector<dsl::Branch> branches;
  // Other conditions that separate each case equally well.
  std::vector<std::vector<std::vector<dsl::MatchLiteral>>> other_conditions(parts.size());
  for (size_t g = 0; g < parts.size(); ++g) {
    dsl::Branch branch;
    branch.body = parts[g].programs.front().program.exprs();
    if (g + 1 < parts.size()) {
      std::vector<int> later;
      for (size_t h = g + 1; h < parts.size(); ++h) {
        later.insert(later.end(), parts[h].members.begin(), parts[h].members.end());
      }
      std::vector<std::vector<dsl::MatchLiteral>> conditions =
          LearnConditions(examples, parts[g].members, later, ColumnsRead(branch.body), kConditionsPerCase);
      if (conditions.empty()) return;
      branch.condition = std::move(conditions.front());
      other_conditions[g].assign(std::make_move_iterator(conditions.begin() + 1),
                                 std::make_move_iterator(conditions.end()));
    }
    branches.push_back(std::move(branch));
  }
  // The best Switch, and variants that swap one case's body for its next
  // best program or its condition for another (they tell the caller where
  // the cases are unsure).
  auto add = [&](std::vector<dsl::Branch> bs) {
    dsl::Program p = dsl::Program::Switch(std::move(bs));
    for (const Example& e : examples) {
      if (dsl::Evaluate(p, e.inputs) != e.output) return;
    }
    result.programs.push_back({p, ranker.ScoreProgram(p)});
  };
  add(branches);
  for (size_t g = 0; g < parts.size(); ++g) {
    for (size_t alt = 1; alt < std::min<size_t>(3, parts[g].programs.size()); ++alt) {
      std::vector<dsl::Branch> variant = branches;
      variant[g].body = parts[g].programs[alt].program.exprs();
      add(std::move(variant));
    }
    for (const std::vector<dsl::MatchLiteral>& condition : other_conditions[g]) {
      std::vector<dsl::Branch> variant = branches;
      variant[g].condition = condition;
      add(std::move(variant));
    }
  }
  std::stable_sort(result.programs.begin(), result.programs.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
}

}  // namespace

SwitchResult LearnSwitch(absl::Span<const Example> examples, const Ranker& ranker,
                         const ConcatOracle& learn_concat, int max_seeds) {
  SwitchResult result;
  // Greedy partitions seeded by different examples: the first example may
  // be the odd one out, and a part seeded by it would take the wrong
  // companions. Few examples make each try cheap and the choice telling.
  const int n = static_cast<int>(examples.size());
  const int seeds = n <= kMaxExamplesForSeeds ? std::clamp(max_seeds, 1, n) : 1;
  // Another seed is tried only while the partitions have been cheap: long
  // outputs make every part's search costly, and there the first seed must do.
  int64_t states = 0;
  const ConcatOracle counted = [&](const std::vector<int>& subset) {
    ConcatResult r = learn_concat(subset);
    states += r.states;
    return r;
  };
  for (double max_loss : {kMaxMergeLoss, std::numeric_limits<double>::infinity()}) {
    for (int seed = 0; seed < seeds && (seed == 0 || states <= kMaxStatesForMoreSeeds); ++seed) {
      std::vector<int> order(n);
      for (int i = 0; i < n; ++i) order[i] = (seed + i) % n;
      std::optional<std::vector<Part>> parts = Partition(std::move(order), counted, examples, max_loss,
                                                         &result.stopped);
      if (result.stopped) break;
      if (parts) BuildSwitch(examples, ranker, std::move(*parts), &result);
    }
    if (result.stopped || !result.programs.empty()) break;
  }
  std::stable_sort(result.programs.begin(), result.programs.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  return result;
}

}  // namespace flashsynth::synth::internal
