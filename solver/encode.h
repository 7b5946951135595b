// solver/encode.h: a program's value computed by Z3, for checking the
// encoding against the interpreter.
//
// The encoding (solver/internal/encoder.h, strings.h) represents a string
// of at most N characters as a length term and N Int terms (code points);
// each DSL operator, core and extensions, is an exact circuit over these,
// token matches included (per-position start/end flags of the maximal runs
// and prefix counts of them, so the i-th match from either end is a term).
// It is exact for every input of at most SolverOptions::max_length
// characters; the characters range over printable ASCII, tab, CR, LF and
// every character of the inputs and constants (closed under case mapping).
#ifndef FLASHSYNTH_SOLVER_ENCODE_H_
#define FLASHSYNTH_SOLVER_ENCODE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "dsl/interpreter.h"
#include "dsl/program.h"
#include "solver/options.h"

namespace flashsynth::solver {

// EvaluateWithZ3()
//
// Encodes `program` over fresh Z3 variables for the cells of `row`, asserts
// that they equal the row's characters, and returns the output string from
// Z3's model: the text, or nullopt for "no output" (as dsl::Evaluate: no
// Switch case holds, a missing column, a cell that is not UTF-8).
// kInvalidArgument for a program that fails dsl::Validate(), kOutOfRange for
// a cell longer than options.max_length characters, kUnimplemented for a
// character whose case mapping depends on context, kDeadlineExceeded past
// options.timeout. Thread-safe (one z3::context per call).
//
// Example:
//   auto out = EvaluateWithZ3(*dsl::Parse("Concat(GetToken(Word, -1))"),
//                             {"Ada Lovelace"}, SolverOptions());
//   // out.ok() && **out == "Lovelace"
absl::StatusOr<std::optional<std::string>> EvaluateWithZ3(const dsl::Program& program,
                                                          const dsl::Row& row,
                                                          const SolverOptions& options);

// How EvaluateWithZ3() hands the row's cells to the encoding.
enum class CellEncoding {
  // Fresh Int variables (a length and one per character) asserted equal to
  // the row's text: the whole circuit is built over variables, as for
  // unknown inputs, and Z3 computes every value. The three-argument
  // EvaluateWithZ3() does this; it is what the differential check checks.
  kSymbolic,
  // Numerals: the term builder folds the circuit while it builds it, as
  // FillHoles() does on its examples, and Z3 sees only what is left (for a
  // program without holes, constants). Checks the folding.
  kConcrete,
};

// EvaluateWithZ3() with the cells given as `cells` says; same results.
absl::StatusOr<std::optional<std::string>> EvaluateWithZ3(const dsl::Program& program,
                                                          const dsl::Row& row,
                                                          const SolverOptions& options,
                                                          CellEncoding cells);

}  // namespace flashsynth::solver

#endif  // FLASHSYNTH_SOLVER_ENCODE_H_
