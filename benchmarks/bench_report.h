// benchmarks/bench_report.h: the figures and reports of a benchmark run.
//
// flashsynth-bench runs the synthesizer over task suites and records one
// TaskRecord per task; this library turns the records into the summary
// figures (solve rate, time and size statistics) and into the JSON and
// Markdown reports. No I/O: callers write the returned text.
//
// Example:
//   std::vector<TaskRecord> records = ...;  // one per task, in suite order
//   Summary s = Summarize(records);
//   // s.rate == solved / attempted
//   std::string md = ReportToMarkdown(config, s, records);
#ifndef FLASHSYNTH_BENCHMARKS_BENCH_REPORT_H_
#define FLASHSYNTH_BENCHMARKS_BENCH_REPORT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "nlohmann/json.hpp"

namespace flashsynth::bench {

// How a run judges a task.
enum class Mode {
  // Learn from every example; solved when the program reproduces them all.
  kConsistent,
  // generalize@k: learn from the first k examples; solved when the program
  // reproduces every other (held-out) example exactly.
  kGeneralize,
};

// The outcome of one task.
enum class TaskStatus {
  kSolved,       // a program was found and checked independently
  kConflicting,  // the learner proved the examples contradictory
  kNoProgram,    // the learner found no program in the DSL
  kTimeout,      // the budget ran out (or the watchdog cancelled the search)
  kWrong,        // a program was found, but it misses an example or a held-out row
  kSkipped,      // not attempted: non-string signature, too few examples
  kError,        // not attempted: unreadable or malformed file, or the learner refused it
};

// "consistent", "generalize".
std::string_view ModeName(Mode mode);
// "solved", "conflicting", "no_program", "timeout", "wrong", "skipped", "error".
std::string_view StatusName(TaskStatus status);

struct TaskRecord {
  std::string name;  // the file's stem, or the subset list's `name`
  std::string file;  // as found (path given or listed)
  Mode mode = Mode::kConsistent;
  TaskStatus status = TaskStatus::kError;
  std::string reason;  // why, for every status but solved (may be empty)
  double seconds = 0;  // wall-clock time of the Learn() call
  std::optional<std::string> program;  // best program's text, when one was learned
  std::optional<int> program_size;     // Program::size() of it
  int examples = 0;       // rows in the task
  int examples_used = 0;  // rows given to the learner (all, or k)
  int held_out = 0;       // generalize: rows checked but not learned from
  int held_out_correct = 0;
  // 1-based row (among the examples given) that the learner set aside as a
  // suspected typo.
  std::optional<int> suspected_typo_row;
  // For conflicting and no_program: the 1-based rows the learner named as
  // unfittable together (its own message counts from 0).
  std::vector<int> failure_rows;
  // Whether the learner asked the model (neural and hybrid engines: the
  // hybrid one asks only where the symbolic candidates disagree on a held-out
  // row, or where it finds nothing).
  bool model_consulted = false;
};

// What a run was asked to do, echoed in the reports.
struct RunConfig {
  Mode mode = Mode::kConsistent;
  int k = 3;
  int min_examples = 6;
  double timeout_seconds = 10;
  int jobs = 1;
  int host_cores = 0;
  bool strict = false;
  bool tolerate_noise = false;  // as passed to the learner
  std::string format;           // "auto", "sl" or "csv"
  std::vector<std::string> paths;
  std::string list;    // --list file, or empty
  std::string commit;  // $FLASHSYNTH_COMMIT, or empty
  // LearnOptions::engine: "symbolic", "neural" or "hybrid"; for the last
  // two, the model file, beam size and neural_weight.
  std::string engine = "symbolic";
  std::string model;
  int beam = 0;
  double neural_weight = 0;
};

struct Summary {
  int tasks = 0;
  // Tasks given to the learner: every task but the skipped and error ones.
  int attempted = 0;
  int solved = 0;
  int conflicting = 0;
  int timeout = 0;
  int no_program = 0;
  int wrong = 0;
  int skipped = 0;
  int error = 0;
  int model_consulted = 0;  // tasks whose learner asked the model
  // Over the solved tasks; nullopt when none was solved.
  std::optional<double> median_seconds_solved;
  std::optional<double> p90_seconds_solved;
  std::optional<double> median_program_size;
  double rate = 0;  // solved / attempted; 0 when nothing was attempted
};

// Percentile()
//
// The p-th percentile (0 <= p <= 100) of `values` by linear interpolation
// between closest ranks (NumPy's default): rank p/100 * (n - 1), 0-based.
// nullopt for no values. Percentile(v, 50) is the median.
//
// Example:
//   Percentile({1, 2, 3, 4}, 50)  // == 2.5
//   Percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90)  // == 9.1
std::optional<double> Percentile(std::vector<double> values, double p);

// Counts the statuses and computes the statistics.
Summary Summarize(absl::Span<const TaskRecord> records);

// {"config": {...}, "summary": {...}, "tasks": [...]}; statistics that do not
// exist (no solved task) and absent programs are null.
nlohmann::json ReportToJson(const RunConfig& config, const Summary& summary,
                            absl::Span<const TaskRecord> records);

// A Markdown document: the configuration line, a summary table, then one
// table row per task (name | status | time s | size | program) in the order
// given. Cells are escaped so that a `|` or a line break in a program or a
// reason cannot break the table.
std::string ReportToMarkdown(const RunConfig& config, const Summary& summary,
                             absl::Span<const TaskRecord> records);

// One line for the terminal: "108 tasks, 104 attempted, 80 solved (76.9%), ...".
std::string SummaryLine(const Summary& summary);

}  // namespace flashsynth::bench

#endif  // FLASHSYNTH_BENCHMARKS_BENCH_REPORT_H_
