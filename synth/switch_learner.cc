#include "synth/switch_learner.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>

#include "dsl/interpreter.h"
#include "dsl/match.h"
#include "dsl/text.h"
#include "synth/regex_slots.h"

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

std::optional<std::vector<dsl::MatchLiteral>> LearnCondition(absl::Span<const Example> examples,
                                                             const std::vector<int>& accept,
                                                             const std::vector<int>& reject,
                                                             const std::vector<int>& column_order) {
  if (accept.empty()) return std::nullopt;
  const Counts counts = CountMatches(examples);
  const int columns = static_cast<int>(examples.front().inputs.size());
  // Candidate literals that hold on every accepted example: for each column
  // and regex, "at least min" and "fewer than max + 1".
  struct Literal {
    dsl::MatchLiteral lit;
    int r;
  };
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
  std::vector<int> left = reject;
  std::vector<dsl::MatchLiteral> condition;
  while (!left.empty()) {
    // Most rejected examples excluded first, then literals on the columns
    // the case reads, then delimiters before token classes before Char (a
    // length rarely means anything to the user), then the widest margin
    // between the counts accepted and those excluded, then the earlier
    // candidate.
    int best = -1;
    std::tuple<size_t, int, int, int> best_key{0, 0, 0, 0};
    for (int i = 0; i < static_cast<int>(candidates.size()); ++i) {
      const Literal& cand = candidates[i];
      size_t excluded = 0;
      int margin = dsl::kMaxMatchCount;
      for (int k : left) {
        const int count = counts[k][cand.lit.column][cand.r];
        if (Holds(cand.lit, count)) continue;
        ++excluded;
        margin = std::min(margin, cand.lit.negated ? count - (cand.lit.count - 1) : cand.lit.count - count);
      }
      if (excluded == 0) continue;
      const bool preferred =
          std::find(column_order.begin(), column_order.end(), cand.lit.column) != column_order.end();
      // Punctuation is the most telling structure, Char counts the least.
      const int kind = cand.r >= dsl::kNumTokenTypes                      ? 2
                       : cand.r == static_cast<int>(dsl::TokenType::kChar) ? 0
                                                                           : 1;
      const std::tuple<size_t, int, int, int> key{excluded, preferred ? 1 : 0, kind, margin};
      if (best < 0 || key > best_key) {
        best = i;
        best_key = key;
      }
    }
    if (best < 0) return std::nullopt;
    const Literal chosen = candidates[best];
    condition.push_back(chosen.lit);
    left.erase(std::remove_if(left.begin(), left.end(),
                              [&](int k) {
                                return !Holds(chosen.lit, counts[k][chosen.lit.column][chosen.r]);
                              }),
               left.end());
  }
  return condition;
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
std::optional<std::vector<Part>> Partition(absl::Span<const Example> examples,
                                           const ConcatOracle& learn_concat, double max_loss,
                                           bool* stopped) {
  std::vector<Part> parts;
  std::vector<int> remaining(examples.size());
  for (size_t i = 0; i < remaining.size(); ++i) remaining[i] = static_cast<int>(i);
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
  for (size_t g = 0; g < parts.size(); ++g) {
    dsl::Branch branch;
    branch.body = parts[g].programs.front().program.exprs();
    if (g + 1 < parts.size()) {
      std::vector<int> later;
      for (size_t h = g + 1; h < parts.size(); ++h) {
        later.insert(later.end(), parts[h].members.begin(), parts[h].members.end());
      }
      // Conditions on the columns the case reads come first among equals.
      std::vector<int> read;
      for (const dsl::Expr& e : branch.body) {
        const dsl::Expr* x = &e;
        while (x->inner() != nullptr) x = x->inner();
        if (x->op() != dsl::Op::kConstStr &&
            std::find(read.begin(), read.end(), x->column()) == read.end()) {
          read.push_back(x->column());
        }
      }
      std::optional<std::vector<dsl::MatchLiteral>> condition =
          LearnCondition(examples, parts[g].members, later, read);
      if (!condition) return;
      branch.condition = std::move(*condition);
    }
    branches.push_back(std::move(branch));
  }
  // The best Switch, and variants that swap one case's body for its next
  // best program (they tell the caller where the cases are unsure).
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
  }
  std::stable_sort(result.programs.begin(), result.programs.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
}

}  // namespace

SwitchResult LearnSwitch(absl::Span<const Example> examples, const Ranker& ranker,
                         const ConcatOracle& learn_concat) {
  SwitchResult result;
  for (double max_loss : {kMaxMergeLoss, std::numeric_limits<double>::infinity()}) {
    std::optional<std::vector<Part>> parts =
        Partition(examples, learn_concat, max_loss, &result.stopped);
    if (result.stopped) return result;
    if (!parts) continue;
    BuildSwitch(examples, ranker, std::move(*parts), &result);
    if (!result.programs.empty()) break;
  }
  return result;
}

}  // namespace flashsynth::synth::internal
