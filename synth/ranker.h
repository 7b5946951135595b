// synth/ranker.h: how the synthesizer prefers one consistent program to
// another.
//
// The version space usually holds many programs that fit the examples; the
// Ranker decides which one fills the column. Scores are log-probabilities up
// to a constant (higher is better). The search needs them additive over a
// Concat's expressions, so a Ranker scores expressions; ScoreProgram() may
// rescore whole candidates afterwards (the neural scorer of issue 5 does).
#ifndef FLASHSYNTH_SYNTH_RANKER_H_
#define FLASHSYNTH_SYNTH_RANKER_H_

#include "dsl/program.h"

namespace flashsynth::synth {

class Ranker {
 public:
  virtual ~Ranker() = default;
  // The log-prior of one expression of a Concat. Must be <= 0 so that a
  // longer Concat never scores higher by having more parts.
  virtual double ScoreExpr(const dsl::Expr& expr) const = 0;
  // The score of a whole program. The default adds ScoreExpr() over every
  // branch body and charges each Switch case and literal.
  virtual double ScoreProgram(const dsl::Program& program) const;
};

// The hand-made prior (FlashFill's preferences, ../shared/reference/
// flashfill_vsa.md): fewer parts; substrings over constants; token positions
// over absolute ones, small token indices over large; whole tokens
// (GetToken) over spans; a constant short and made of punctuation rather
// than letters or digits that vary between rows. Thread-safe.
const Ranker& DefaultRanker();

}  // namespace flashsynth::synth

#endif  // FLASHSYNTH_SYNTH_RANKER_H_
