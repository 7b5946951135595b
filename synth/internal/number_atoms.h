// synth/internal/number_atoms.h: the witness functions of the number
// operators, for the Concat search (internal to synth/).
//
// An output piece that reads as a number ("4,821", "0.05", "(1,234.50)",
// "+0044") is explained as Format(F, chain(ReadNumber(mark, i, column))),
// where chain is an optional Scale by a power of ten followed by an
// optional Round to a step or Bin edge. The witness runs backwards from the
// output: each example's piece says which display formats F can show it
// (its decimals, grouping, padding, sign and marks), intersected across the
// examples like the other atoms; an index of the value every (source, chain)
// pair gives on the pivot example, built once per pivot, finds the pairs
// that can give the pivot's piece, which are then checked on every other
// example by formatting.
//
// Bounds (docs/synthesis.md): sources are the first and last 5 numbers of
// every column read with '.' (and with ',' when a column holds one) that
// every example has; scales 10^k for k in {0, +-1, +-2, +-3, +-6}; steps and
// bin widths from a fixed list of what users round to (0.001 ... 10000:
// 1, 2, 2.5 and 5 times a power of ten; widths from 0.5); bin offsets 0 and
// 1; every rounding
// mode; of the pairs that give the same pieces, at most 4 per source and
// kind of chain (none, Round, Bin), the best by the prior, are kept.
#ifndef FLASHSYNTH_SYNTH_INTERNAL_NUMBER_ATOMS_H_
#define FLASHSYNTH_SYNTH_INTERNAL_NUMBER_ATOMS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "dsl/program.h"
#include "synth/ranker.h"
#include "synth/synthesizer.h"

namespace flashsynth::synth::internal {

// A number expression whose text is, on every example k, the output's
// characters [start[k], end[k]).
struct NumberAtom {
  dsl::Expr expr;
  double score;
  std::vector<int32_t> end;  // per example, in characters
};

class NumberAtoms {
 public:
  // Reads the numbers of every input cell. Cheap when no output holds a
  // digit or no input a number (active() is then false).
  NumberAtoms(absl::Span<const Example> examples, const Ranker& ranker);
  ~NumberAtoms();
  NumberAtoms(const NumberAtoms&) = delete;
  NumberAtoms& operator=(const NumberAtoms&) = delete;

  bool active() const;

  // The number atoms whose text starts at character start[k] of every
  // example's output, best first, at most `max_atoms` of them; generated
  // from example `pivot`'s output and checked on all.
  std::vector<NumberAtom> At(const std::vector<int32_t>& start, int pivot, int max_atoms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flashsynth::synth::internal

#endif  // FLASHSYNTH_SYNTH_INTERNAL_NUMBER_ATOMS_H_
