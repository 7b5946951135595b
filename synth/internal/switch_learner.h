// synth/internal/switch_learner.h: conditional programs (internal to synth/).
//
// When no single Concat fits, FlashFill partitions the examples so that each
// part has a Concat, then learns for each part a conjunction of Match
// predicates that holds on its examples and fails on every example of the
// parts after it; the last part is the default case.
#ifndef FLASHSYNTH_SYNTH_INTERNAL_SWITCH_LEARNER_H_
#define FLASHSYNTH_SYNTH_INTERNAL_SWITCH_LEARNER_H_

#include <functional>
#include <vector>

#include "absl/types/span.h"
#include "synth/internal/concat_learner.h"
#include "synth/synthesizer.h"

namespace flashsynth::synth::internal {

inline constexpr int kMaxSwitchCases = 4;

// Learns Concat programs for a subset of the examples (indices into them).
using ConcatOracle = std::function<ConcatResult(const std::vector<int>& subset)>;

struct SwitchResult {
  std::vector<Candidate> programs;  // best first; empty when none found
  bool stopped = false;             // time ran out or cancelled
};

// LearnSwitch()
//
// Greedy partition: each part starts from the first example not yet placed
// and takes every later one that still leaves the part a consistent Concat
// without making its program much worse. With at most 12 examples,
// partitions seeded by each of the first `max_seeds` examples compete (a
// part grown from an odd first example takes the wrong companions) while
// the searches stay small (10,000 position tuples in all). At most
// kMaxSwitchCases parts. The largest part becomes the default case.
inline constexpr int kMaxPartitionSeeds = 4;
SwitchResult LearnSwitch(absl::Span<const Example> examples, const Ranker& ranker,
                         const ConcatOracle& learn_concat, int max_seeds = kMaxPartitionSeeds);

// Up to `max_conditions` different conjunctions of Match literals, each
// true on every example in `accept` and false on every example in `reject`:
// greedy covers started from each of the literals that exclude the most
// rejected examples, fewer literals first. The examples alone rarely
// single out one condition (a comma count and a space count may both
// separate three rows); the rows to fill judge them later. Empty when the
// predicates cannot separate the two sets.
std::vector<std::vector<dsl::MatchLiteral>> LearnConditions(absl::Span<const Example> examples,
                                                            const std::vector<int>& accept,
                                                            const std::vector<int>& reject,
                                                            const std::vector<int>& column_order,
                                                            int max_conditions);

// The first of LearnConditions(): a conjunction of Match literals true on every example in `accept` and
// false on every example in `reject`, found by a greedy cover; literals on
// the columns in `column_order` are preferred, in that order. nullopt when
// the predicates cannot separate the two sets.
std::optional<std::vector<dsl::MatchLiteral>> LearnCondition(absl::Span<const Example> examples,
                                                             const std::vector<int>& accept,
                                                             const std::vector<int>& reject,
                                                             const std::vector<int>& column_order = {});

}  // namespace flashsynth::synth::internal

#endif  // FLASHSYNTH_SYNTH_INTERNAL_SWITCH_LEARNER_H_
