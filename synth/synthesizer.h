// synth/synthesizer.h: learn a program from examples, fill a column with it.
//
// The public C++ API for spreadsheet tools. Learn() searches the DSL
// (../shared/DSL.md) deductively, FlashFill-style: for each example every way
// its output can be built from its inputs is kept as a version space (a DAG
// of output positions whose edges carry the atoms that produce that piece),
// the spaces are intersected across examples, and the best programs are
// extracted by a Ranker. When no single Concat fits, the examples are
// partitioned and a Switch is learned; with enough examples one that fits no
// program can be set aside as a suspected typo (RobustFill's noise setting).
//
// Everything here is thread-safe: concurrent Learn() calls on different (or
// the same) tasks share no mutable state.
//
// Example:
//   std::vector<Example> examples = {{{"Ada Lovelace"}, "Lovelace, A."},
//                                    {{"Grace Hopper"}, "Hopper, G."}};
//   std::vector<dsl::Row> rest = {{"Alan Turing"}};
//   absl::StatusOr<LearnResult> r = Learn(examples, rest);
//   // r->ok(), r->best().ToString() == R"(Concat(GetToken(Word, -1),
//   //     ConstStr(", "), GetToken(AllCaps, 1), ConstStr(".")))"
//   std::vector<FilledRow> filled = Fill(*r, rest);
//   // *filled[0].output == "Turing, A."
#ifndef FLASHSYNTH_SYNTH_SYNTHESIZER_H_
#define FLASHSYNTH_SYNTH_SYNTHESIZER_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dsl/interpreter.h"
#include "dsl/program.h"
#include "synth/proposer.h"
#include "synth/ranker.h"

namespace flashsynth::synth {

// One example: the input cells x1..xN and the output the user wants.
struct Example {
  dsl::Row inputs;
  std::string output;
};

struct LearnOptions {
  // Wall-clock budget of the whole call. When it runs out, Learn() returns
  // the best it has found (LearnResult::timed_out says so).
  absl::Duration time_budget = absl::Seconds(10);
  // Polled during the search; when it becomes true Learn() returns
  // kCancelled. May be null.
  const std::atomic<bool>* cancel = nullptr;
  // How many semantically distinct programs to return, best first.
  int max_programs = 5;
  // Learn a Switch when no single Concat fits.
  bool allow_switch = true;
  // With at least kMinExamplesForNoise examples, no program fitting all of
  // them and one fitting all but one whose output on that one is a few edits
  // away from the given output, treat that example as a typo. The CLI's
  // --strict turns this off.
  bool tolerate_noise = true;
  // Scores candidate programs; null means DefaultRanker().
  const Ranker* ranker = nullptr;
  // Tell the candidates apart with the solver (solver::Distinguish, Z3)
  // when there are no rows to fill to do it: a candidate close to the best
  // (within kAmbiguityLogOdds) that agrees with a better one on every row
  // within the solver's bound is merged into it (not returned), and the
  // others get a row on which they differ from the best. Each comparison
  // gets at most `solver_timeout`, all of them together at most
  // `solver_budget`, all within `time_budget`; a comparison cut short keeps
  // the candidate, without a row. Off by default: it costs up to
  // `solver_budget` per call, and a tool that learns at every keystroke
  // wants the search alone; the CLI turns it on.
  bool use_solver = false;
  absl::Duration solver_timeout = absl::Milliseconds(500);
  absl::Duration solver_budget = absl::Seconds(2);
  // Memory bound: the most position tuples the intersected version space may
  // hold (about 6 KB each with their edges, so the default keeps one search
  // under ~0.6 GB). The search degrades (fewer alternatives, or no program
  // where one needs more tuples), never crashes, past it.
  int64_t max_states = 100'000;
  // Which search finds the candidates: the symbolic engine alone; the
  // proposer alone (its programs ranked by its log-likelihood); or both:
  // the symbolic engine's candidates scored by the Ranker's prior plus
  // `neural_weight` times the proposer's log-likelihood relative to the most
  // likely Concat (0.1: the smallest weight that gave the best
  // generalization on a validation set, benchmarks/results/neural/; Switch
  // programs, which the RobustFill model never saw, keep their prior), and
  // the proposer's programs when the symbolic search finds none. kHybrid
  // asks the proposer only when the symbolic candidates give different
  // outputs on some row to fill (its order then matters), or when the
  // symbolic search finds nothing: a proposer that loads its model lazily
  // (synth/hybrid/neural_proposer.h) is then never loaded on the rest.
  // kNeural and kHybrid need `proposer` (kFailedPrecondition without one).
  enum class Engine { kSymbolic, kNeural, kHybrid };
  Engine engine = Engine::kSymbolic;
  const ProgramProposer* proposer = nullptr;  // not owned; must outlive the call
  // The proposer's part of time_budget in a kHybrid search (kNeural gives
  // it all).
  absl::Duration neural_budget = absl::Seconds(2);
  double neural_weight = 0.1;
};

inline constexpr int kMinExamplesForNoise = 4;

// A row on which a candidate and the best program give different results:
// the evidence that the examples leave the choice open ("these programs fit
// the examples and differ on input X: one gives A, the other B").
struct Difference {
  dsl::Row input;
  std::optional<std::string> best_output;  // nullopt: no output
  std::optional<std::string> output;       // the candidate's
  // Which row to fill it is (index into rows_to_fill), or nullopt for a row
  // the solver built because the two agree on every row to fill.
  std::optional<int> row_to_fill;
};

// A learned program and its score (higher is better; the log of an
// unnormalized probability, so differences are log-odds).
struct Candidate {
  dsl::Program program;
  double score = 0;
  // For an alternative (LearnResult::programs[1..]): where it differs from
  // the best, when a row was found within the budget.
  std::optional<Difference> differs_from_best;
  // The proposer's log-likelihood of the program (kNeural, kHybrid).
  std::optional<double> log_likelihood;
  // Whether the proposer found it (kNeural, kHybrid); the symbolic engine
  // may have found it too.
  bool proposed = false;
};

// Why Learn() found no program.
enum class Failure {
  kNone,
  kConflictingExamples,  // two examples have the same inputs, different outputs
  kNoProgram,            // no program in the DSL (within its bounds) fits
  kTimedOut,             // the budget ran out before any program was found
};

struct LearnResult {
  // Ranked, semantically distinct programs (they differ on a row to fill,
  // or on a row the solver built, or could not be told apart within the
  // solver's budget); [0] is the answer. Empty when nothing fits: see
  // `failure`.
  std::vector<Candidate> programs;
  Failure failure = Failure::kNone;
  // For a failure: indices into the examples that cannot be fitted together
  // (the conflicting pair, or a smallest failing set found), and a sentence
  // naming them by index (callers map indices to their own row numbers).
  std::vector<int> conflicting_examples;
  std::string failure_message;
  // The example set aside as a suspected typo, if any (index into examples).
  std::optional<int> suspected_typo;
  bool timed_out = false;
  // Statistics of the search, for reports.
  int examples_used = 0;        // distinct examples the program was checked on
  int64_t states_explored = 0;  // position tuples visited
  int merged_equivalent = 0;    // candidates the solver proved equivalent to a better one
  int proposals = 0;            // programs the proposer returned that fit
  // Whether the proposer was asked at all (kNeural always; kHybrid only when
  // the symbolic candidates disagree on a row to fill, or none was found).
  bool proposer_consulted = false;
  // Why the proposer gave nothing in a kHybrid search (its error), if so.
  std::string proposer_error;
  absl::Duration elapsed;

  bool ok() const { return !programs.empty(); }
  const dsl::Program& best() const { return programs.front().program; }
};

// Learn()
//
// Learns programs consistent with `examples` (all of them, or all but a
// suspected typo). `rows_to_fill` are the inputs the programs will be run on;
// they are used to tell candidates apart, never to fit. Returns
// kInvalidArgument when there are no examples, rows differ in width, or a
// cell is not valid UTF-8 (the message names the example or row by index);
// kCancelled when `options.cancel` fired. A search that finds nothing is not
// an error: the result says why (`failure`).
absl::StatusOr<LearnResult> Learn(absl::Span<const Example> examples,
                                  absl::Span<const dsl::Row> rows_to_fill,
                                  const LearnOptions& options = {});

// One filled row.
struct FilledRow {
  // The best program's output; nullopt when it gives none (no Switch case
  // holds, or the row is malformed).
  std::optional<std::string> output;
  // The share of the candidates' probability mass (softmax of scores) that
  // agrees with `output`: 1 when every candidate agrees.
  double confidence = 0;
  // True when the top candidates (those within kAmbiguityLogOdds of the
  // best) do not all give the same output on this row.
  bool ambiguous = false;
  // Other outputs the top candidates give, most likely first.
  std::vector<std::string> alternatives;
};

// Score gap (natural log) inside which a candidate counts as a "top" one.
inline constexpr double kAmbiguityLogOdds = 3.0;

// Fill()
//
// Runs the learned programs on `rows`. Requires result.ok().
std::vector<FilledRow> Fill(const LearnResult& result, absl::Span<const dsl::Row> rows);

// Saving and loading programs: the text form (docs/dsl.md) or its JSON form.
enum class ProgramFormat { kText, kJson };
std::string SaveProgram(const dsl::Program& program, ProgramFormat format = ProgramFormat::kText);
// Reads either form (JSON when the text starts with '{'); kInvalidArgument
// with the position of the first fault.
absl::StatusOr<dsl::Program> LoadProgram(std::string_view text);

}  // namespace flashsynth::synth

#endif  // FLASHSYNTH_SYNTH_SYNTHESIZER_H_
