// synth/proposer.h: whole programs proposed beside the symbolic search.
//
// The hybrid search (LearnOptions::engine) pools the symbolic engine's
// candidates with those of a ProgramProposer, typically the RobustFill model
// of neural/ (synth/hybrid/neural_proposer.h loads it through its plugin), and lets the proposer's
// log-likelihood join the ranking. The interface keeps synth/ free of
// LibTorch: a tool built without it simply has no proposer.
#ifndef FLASHSYNTH_SYNTH_PROPOSER_H_
#define FLASHSYNTH_SYNTH_PROPOSER_H_

#include <atomic>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dsl/program.h"

namespace flashsynth::synth {

struct Example;  // synthesizer.h

struct ProposedProgram {
  dsl::Program program;
  double log_likelihood = 0;  // log p(program | examples), <= 0
};

class ProgramProposer {
 public:
  virtual ~ProgramProposer() = default;

  // Programs that reproduce every example (the caller checks again), best
  // first; none is not an error. Returns by `deadline` with what it has;
  // kCancelled when *cancel (may be null) becomes true.
  virtual absl::StatusOr<std::vector<ProposedProgram>> Propose(absl::Span<const Example> examples,
                                                               absl::Time deadline,
                                                               const std::atomic<bool>* cancel) const = 0;

  // log p(program | examples) of each program, on Propose()'s scale;
  // -infinity for a program the proposer cannot express.
  virtual absl::StatusOr<std::vector<double>> Score(absl::Span<const Example> examples,
                                                    absl::Span<const dsl::Program> programs) const = 0;
};

}  // namespace flashsynth::synth

#endif  // FLASHSYNTH_SYNTH_PROPOSER_H_
