// solver/options.h: the budget and bounds shared by every solver call.
#ifndef FLASHSYNTH_SOLVER_OPTIONS_H_
#define FLASHSYNTH_SOLVER_OPTIONS_H_

#include "absl/time/time.h"

namespace flashsynth::solver {

struct SolverOptions {
  // Wall-clock budget of one call, encoding and every Z3 check included;
  // past it the call returns kDeadlineExceeded (Z3's own "timeout" is set to
  // what is left before each check).
  absl::Duration timeout = absl::Seconds(10);
  // The length bound: the most characters of a symbolic input cell
  // (Distinguish), and the longest concrete cell EvaluateWithZ3 and
  // FillHoles accept (kOutOfRange beyond it). Encodings are exact for every
  // input within the bound.
  int max_length = 24;
  // The most characters a constant-string hole may take (FillHoles); 0 means
  // the longest example output.
  int max_constant_length = 0;
};

}  // namespace flashsynth::solver

#endif  // FLASHSYNTH_SOLVER_OPTIONS_H_
