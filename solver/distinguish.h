// solver/distinguish.h: an input row on which two programs differ.
//
// Two programs that agree on every example of a task are both consistent
// with it; Distinguish() finds a row, shaped like the task's inputs, that
// tells them apart (a question to ask the user, or a test that one program
// generalizes differently), or proves with Z3 that no row within the length
// bound does.
//
// The search, cheapest first; the first row found is returned:
//   1. the examples themselves (the programs may not agree on them);
//   2. mutations of the examples, interpreter only: the characters of each
//      maximal run of digits, upper-case or lower-case letters are redrawn
//      from the same class at a similar length, keeping every other
//      character ("Ada 12" -> "Xo 907"); then one structural edit each: a
//      word or a separator dropped (dropping a separator joins two words),
//      a word doubled with its neighbour, a word split by a separator, a
//      class run dropped, a letter run's case swapped, a word gaining a run
//      of digits or letters, a character that either program mentions (a
//      Switch condition's delimiter, a GetUpto's, a constant's) inserted.
//      A fixed number of rounds per example, seeded, so reproducible;
//      Programs with number operators (which Z3 does not encode) then get
//      each digit run of the examples replaced by values that rounding,
//      bins and formats treat differently (12 -> 12.5, 12.25, -12, 10, 15,
//      120, 2, 0); when none separates them the search stops there with
//      kUnimplemented (nothing can prove them equivalent);
//   3. Z3, once per distinct shape of the examples: the cells that either
//      program reads become variables confined to the example's run
//      structure (each run: 1 to its length + kShapeSlack characters of its
//      class; other characters kept literally), and the two outputs are
//      asserted to differ. Each shape gets a share of the budget left and
//      is skipped when it runs out;
//   4. Z3 on any row: every cell read, any text of at most
//      SolverOptions::max_length characters, with the rest of the budget.
//      Unsatisfiable here is the proof behind kEquivalentWithinBound.
// Every row found by Z3 is run through dsl::Evaluate; the interpreter is the
// truth, and a Z3 row it does not separate is reported as kInternal.
//
// Example:
//   auto d = Distinguish(*dsl::Parse("Concat(GetToken(Word, -1))"),
//                        *dsl::Parse("Concat(GetToken(Word, 2))"),
//                        {{"Ada Lovelace"}, {"Alan Turing"}}, SolverOptions());
//   // d.ok(), d->verdict == Verdict::kDistinguished, d->found_by ==
//   // FoundBy::kMutation, d->input == {"VSSw Fpqc Ljmcm"} (a word doubled,
//   // the runs redrawn), d->output_a == "Ljmcm", d->output_b == "Fpqc"
#ifndef FLASHSYNTH_SOLVER_DISTINGUISH_H_
#define FLASHSYNTH_SOLVER_DISTINGUISH_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dsl/interpreter.h"
#include "dsl/program.h"
#include "solver/options.h"

namespace flashsynth::solver {

// Extra characters a run may gain over the example's run in step 3.
inline constexpr int kShapeSlack = 3;

enum class Verdict {
  // `input` separates the programs (dsl::Evaluate gives different results).
  kDistinguished,
  // Z3 proved that the programs agree on every row within the bound: same
  // text, or no output from both, on every row of `width` valid UTF-8 cells
  // (width: that of the examples; without examples, the most columns either
  // program reads), where each cell that either program reads holds at most
  // SolverOptions::max_length characters, each drawn from the encoding's
  // alphabet: printable ASCII, tab, LF, CR, and every character of the
  // examples and of both programs' constants, closed under case mapping.
  // Nothing is promised for longer cells or for other characters (e.g. a
  // 'ß' when no example has one: ToCase(Lower, ToCase(AllCaps, x)) and
  // ToCase(Lower, x) agree on ASCII but not on "ß").
  kEquivalentWithinBound,
};

// Which step of the search found the row (see the file comment).
enum class FoundBy { kNone, kExample, kMutation, kShape, kAnyRow };

struct Distinction {
  Verdict verdict = Verdict::kEquivalentWithinBound;
  FoundBy found_by = FoundBy::kNone;  // kNone for kEquivalentWithinBound
  // kDistinguished only: the row and what dsl::Evaluate gives for each
  // program on it (nullopt: no output). output_a != output_b.
  dsl::Row input;
  std::optional<std::string> output_a;
  std::optional<std::string> output_b;
};

// Distinguish()
//
// Looks for a row on which `a` and `b` give different results (text vs
// other text, or text vs no output), starting from the example rows
// `inputs` (see the file comment for the order of the search). Returns a
// kDistinguished result with that row, or kEquivalentWithinBound when Z3
// proves there is none within the bound (documented at Verdict).
// kInvalidArgument when a program fails dsl::Validate() or the rows differ
// in width; kUnimplemented for a character whose case mapping depends on
// context (the Z3 steps only), and for programs with number operators when
// the interpreter-based steps find no row; kDeadlineExceeded when options.timeout runs
// out before either answer; kInternal when Z3's row does not separate the
// programs in the interpreter (an encoding bug). Thread-safe (one
// z3::context per call); deterministic apart from where the budget runs out.
absl::StatusOr<Distinction> Distinguish(const dsl::Program& a, const dsl::Program& b,
                                        const std::vector<dsl::Row>& inputs,
                                        const SolverOptions& options);

}  // namespace flashsynth::solver

#endif  // FLASHSYNTH_SOLVER_DISTINGUISH_H_
