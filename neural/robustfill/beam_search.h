// neural/robustfill/beam_search.h: programs from a decoder, best first (RobustFill
// section 5, ../shared/reference/robustfill.md section 6).
//
// Keeps the `beam_size` most likely prefixes. Only tokens the grammar allows
// are considered (PrefixParser), and their log-probabilities are
// renormalized over those tokens. With execution guidance (the paper's
// DP-Beam) every top-level expression of a Concat program is run on the
// examples as soon as it is complete, and a hypothesis is dropped when the
// concatenated outputs so far stop being a prefix of every example output;
// a Concat then ends only where they equal the outputs (and a top-level
// ConstStr's bytes are checked as they are written). Switch programs are
// checked when they are finished. Finished programs leave the beam; the
// search stops when no live prefix can beat the beam_size-th finished one.
//
// Example:
//   BeamSearchOptions options;
//   options.beam_size = 100;
//   absl::StatusOr<std::vector<Candidate>> found = BeamSearch(*model, task, options);
//   // (*found)[0].program reproduces every example of `task`
#ifndef FLASHSYNTH_NEURAL_ROBUSTFILL_BEAM_SEARCH_H_
#define FLASHSYNTH_NEURAL_ROBUSTFILL_BEAM_SEARCH_H_

#include <atomic>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dsl/program.h"
#include "neural/decoder.h"
#include "neural/robustfill/robustfill_model.h"
#include "neural/tokens.h"

namespace flashsynth::neural {

struct BeamSearchOptions {
  int beam_size = 10;            // live prefixes kept, and finished programs returned
  int max_tokens = 100;          // longer programs (EOS included) are abandoned
  bool execution_guided = true;  // DP-Beam pruning, see above
  bool only_consistent = true;   // return only programs reproducing every example
  // Checked before every decoder step. Past the deadline the search stops and
  // returns the programs finished so far (BeamSearchStats::timed_out says
  // so); when *cancel becomes true it returns kCancelled. cancel may be null.
  absl::Time deadline = absl::InfiniteFuture();
  const std::atomic<bool>* cancel = nullptr;
};

// What one search did, for latency reports.
struct BeamSearchStats {
  int steps = 0;             // decoder steps (batched over the live prefixes)
  int finished = 0;          // programs that reached EOS (consistent or not)
  int pruned = 0;            // prefixes dropped by execution guidance
  bool timed_out = false;    // stopped at options.deadline
};

struct Candidate {
  dsl::Program program;
  double log_prob = 0;      // sum of the renormalized token log-probabilities
  bool consistent = false;  // reproduces every example output (by dsl::Evaluate)
};

// The log of the probability mass that `log_probs` gives the tokens marked
// in `allowed` (same length): subtracting it renormalizes a token's
// log-probability over the grammar's choices, as BeamSearch() scores.
// -infinity when no token is allowed.
double AllowedLogMass(absl::Span<const float> log_probs, const std::vector<bool>& allowed);

// BeamSearch()
//
// Up to options.beam_size finished programs for `task`, by decreasing
// log_prob; empty when none survives. `decoder` must be fresh (one
// hypothesis, the empty prefix) and use `vocab`'s ids. kInvalidArgument for
// bad options, a bad task or a used decoder; the decoder's errors pass
// through; kCancelled when options.cancel is set. `stats`, when not null,
// receives what the search did.
absl::StatusOr<std::vector<Candidate>> BeamSearch(Decoder& decoder, const ProgramVocab& vocab,
                                                  const IoExamples& task,
                                                  const BeamSearchOptions& options,
                                                  BeamSearchStats* stats = nullptr);

// The same with model.StartDecoding(task).
absl::StatusOr<std::vector<Candidate>> BeamSearch(const RobustFillModel& model,
                                                  const IoExamples& task,
                                                  const BeamSearchOptions& options,
                                                  BeamSearchStats* stats = nullptr);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_ROBUSTFILL_BEAM_SEARCH_H_
