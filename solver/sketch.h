// solver/sketch.h: sketch completion. A sketch is a program whose some
// arguments are holes; FillHoles() asks Z3 for values of every hole such that
// the program reproduces every example, or proves that none exist.
//
// Holes may stand for any argument of a Concat or Switch body: positions,
// indices (and GetFirst counts), constant strings (ConstStr, the replacement
// of Substitute/SubstituteAll), cases, token types, regexes, boundaries and
// delimiters. Switch conditions are not holes.
//
// Encoding: the example inputs are known, so token matches are computed by
// constant folding; every hole is a Z3 variable over its finite domain (a
// constant string: a length and that many characters from the task's
// alphabet), and each example's output is an `ite` circuit over the holes.
//
// Example:
//   dsl::Program p = *dsl::Parse(R"(Concat(SubStr(1, 1), ConstStr("x")))");
//   Sketch s = BlankArguments(p, {dsl::ArgKind::kPosition, dsl::ArgKind::kString});
//   auto filled = FillHoles(s, {{"Ada"}}, {"Ad."}, SolverOptions());
//   // filled.ok() && *filled: e.g. Concat(SubStr(1, 2), ConstStr("."))
#ifndef FLASHSYNTH_SOLVER_SKETCH_H_
#define FLASHSYNTH_SOLVER_SKETCH_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "dsl/interpreter.h"
#include "dsl/program.h"
#include "solver/options.h"

namespace flashsynth::solver {

// Where an argument sits in a program.
struct ArgPath {
  int branch = 0;  // Switch case (0 for a Concat)
  int expr = 0;    // expression in that case's body
  int depth = 0;   // 0: the expression itself, 1: its inner expression, ...
  int slot = 0;    // argument index, as in dsl::GetOpInfo(op).args
  friend bool operator<(const ArgPath& a, const ArgPath& b) {
    return std::tie(a.branch, a.expr, a.depth, a.slot) < std::tie(b.branch, b.expr, b.depth, b.slot);
  }
  friend bool operator==(const ArgPath& a, const ArgPath& b) {
    return !(a < b) && !(b < a);
  }
};

struct Sketch {
  dsl::Program program;        // the values at hole paths are ignored
  std::vector<ArgPath> holes;  // each must name an existing argument
};

// The sketch of `program` with every argument whose kind is in `kinds` a hole.
Sketch BlankArguments(const dsl::Program& program, const std::set<dsl::ArgKind>& kinds);

// `program` with the arguments at the given paths replaced.
dsl::Program WithArguments(const dsl::Program& program, const std::map<ArgPath, dsl::Arg>& args);

// FillHoles()
//
// Returns a completion of `sketch` (the program with every hole filled,
// checked by the interpreter) that maps inputs[i] to outputs[i] for every i;
// nullopt when Z3 proves that no completion exists (within the constant
// length bound of `options`). kInvalidArgument for a malformed sketch or
// mismatched examples, kOutOfRange for an input cell longer than
// options.max_length, kUnimplemented for characters whose case mapping
// depends on context, kDeadlineExceeded when the budget runs out.
// Constant-string holes are tried at one character first, then (only if
// none fits) at the full bound. Thread-safe (one z3::context per call).
absl::StatusOr<std::optional<dsl::Program>> FillHoles(const Sketch& sketch,
                                                      const std::vector<dsl::Row>& inputs,
                                                      const std::vector<std::string>& outputs,
                                                      const SolverOptions& options);

}  // namespace flashsynth::solver

#endif  // FLASHSYNTH_SOLVER_SKETCH_H_
