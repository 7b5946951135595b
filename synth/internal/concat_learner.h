// synth/internal/concat_learner.h: the deductive search for one Concat program
// (internal to synth/; the public API is synthesizer.h).
//
// The search walks the intersected version space lazily: a state is a tuple
// of positions, one per example, in the examples' outputs; an edge carries
// the atoms (constants, substrings located by absolute or token positions,
// case changes of substrings, modifications of whole columns, numbers read,
// transformed and formatted: number_atoms.h) that produce
// the next piece of every output at once. Any path from the start tuple to
// the end tuple is a consistent program; the Ranker's scores are added along
// paths and the k best paths are extracted by dynamic programming over the
// DAG (positions only grow along edges).
//
// Bounds (documented in docs/synthesis.md): token indices +-1..5 and
// absolute positions +-100 as in the DSL; constants are pieces of at most
// kMaxConstPiece characters that every remaining output starts with (longer
// constants are chains of pieces, merged when the program is built); a
// modification is either a case change of a substring or one of a fixed
// pool of modifications (and a case change of them) applied to a whole
// column; atoms are generated from one example (the first one not yet
// finished) and checked on all the others.
#ifndef FLASHSYNTH_SYNTH_INTERNAL_CONCAT_LEARNER_H_
#define FLASHSYNTH_SYNTH_INTERNAL_CONCAT_LEARNER_H_

#include <atomic>
#include <cstdint>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "synth/ranker.h"
#include "synth/synthesizer.h"

namespace flashsynth::synth::internal {

inline constexpr int kMaxConstPiece = 64;

struct SearchLimits {
  absl::Time deadline = absl::InfiniteFuture();
  const std::atomic<bool>* cancel = nullptr;
  int64_t max_states = 100'000;
  int alternatives_per_edge = 4;  // atoms kept per (state, next state)
  int k_best = 24;                // paths kept per state
};

struct ConcatResult {
  // Programs consistent with every example (checked with dsl::Evaluate),
  // best first, distinct as text. Empty when none was found.
  std::vector<Candidate> programs;
  bool timed_out = false;   // the deadline or the state bound cut the search
  bool cancelled = false;
  int64_t states = 0;
};

// LearnConcat()
//
// Searches Concat programs that map each example's inputs to its output.
// Requires at least one example, every cell valid UTF-8 and every row of the
// same width. Thread-safe (no shared state).
ConcatResult LearnConcat(absl::Span<const Example> examples, const Ranker& ranker,
                         const SearchLimits& limits);

}  // namespace flashsynth::synth::internal

#endif  // FLASHSYNTH_SYNTH_INTERNAL_CONCAT_LEARNER_H_
