// neural/eval_set.h: a fixed synthetic test set with RobustFill's protocol
// (../shared/reference/robustfill.md, section 1), and the reading of
// labelled tasks for the evaluation tools.
//
// Each task is a program drawn by dsl::Sampler with 4 + 6 example rows: a
// synthesizer sees the first 4 ("observed") and its program must reproduce
// all 6 others ("held out") exactly to count as generalizing. Task i depends
// only on (options, seed, i): the first 100 tasks of a 1000-task set are the
// 100-task set of the same seed, on every platform.
//
// A task is written as the CSV that flashsynth-bench reads (header
// in1..inK,output, one row per example, observed rows first), so that
// `flashsynth-bench --mode generalize --k 4 DIR` runs the symbolic
// synthesizer on the same set, and beside it a JSON sidecar with the sampled
// program. Torch-free; no file I/O (the tools write and read the files).
//
// Example:
//   EvalSetOptions options;                      // RobustFill DSL, 4 + 6 rows
//   absl::StatusOr<EvalTask> t = MakeEvalTask(options, /*seed=*/7, /*index=*/0);
//   std::string csv = FormatEvalTaskCsv(*t);     // "in1,output\n..." (10 rows)
//   absl::StatusOr<LabeledTask> back = ParseLabeledTaskCsv(csv, "0000", 4);
//   // back->observed has 4 examples, back->held_out 6
#ifndef FLASHSYNTH_NEURAL_EVAL_SET_H_
#define FLASHSYNTH_NEURAL_EVAL_SET_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dsl/interpreter.h"
#include "dsl/program.h"
#include "dsl/sampler.h"
#include "neural/decoder.h"

namespace flashsynth::neural {

struct EvalSetOptions {
  // The programs and inputs; num_examples is replaced by observed + held_out.
  dsl::SamplerOptions sampler = dsl::SamplerOptions::RobustFill();
  int observed = 4;            // rows a synthesizer learns from (RobustFill: 4)
  int held_out = 6;            // rows that judge its program (RobustFill: 6)
  int max_output_chars = 100;  // tasks with a longer output are redrawn (RobustFill: 100)
};

// OK, or kInvalidArgument naming the first option out of range.
absl::Status ValidateEvalSetOptions(const EvalSetOptions& options);

struct EvalTask {
  int index = 0;
  dsl::Program program;              // the sampled program; others may fit too
  std::vector<dsl::Row> inputs;      // observed rows first, then held-out rows
  std::vector<std::string> outputs;  // Evaluate(program, inputs[i])
};

// MakeEvalTask()
//
// Task `index` (>= 0) of the set drawn with `seed`. Sampled tasks with an
// output past max_output_chars are redrawn (from the same per-task stream).
// kInvalidArgument for bad options or index; kInternal if 1000 draws in a
// row fail (the options cannot be met).
absl::StatusOr<EvalTask> MakeEvalTask(const EvalSetOptions& options, uint64_t seed, int index);

// "0042": the file stem of task `index` (at least 4 digits).
std::string EvalTaskName(int index);

// The task as CSV: header in1..inK,output (K = the widest row), then one
// record per example in order; dsl::ParseTaskCsv() with
// empty_output_means_fill = false reads it back.
std::string FormatEvalTaskCsv(const EvalTask& task);

// The sidecar NAME.json: index, seed, observed, held_out, program (text
// form), num_expressions, num_columns. One object, pretty-printed.
std::string FormatEvalTaskJson(const EvalTask& task, const EvalSetOptions& options,
                               uint64_t seed);

// A task split for evaluation.
struct LabeledTask {
  std::string name;
  IoExamples observed;  // what the synthesizer sees
  IoExamples held_out;  // what its program must reproduce; may be empty
};

// ParseLabeledTaskCsv()
//
// Reads a benchmark CSV (header in1..inK,output; every row an example, an
// empty output cell an empty output). The first `observed` rows are
// observed, the rest held out; a task with fewer rows observes them all.
// kInvalidArgument, with `name` and the CSV error's position, for malformed
// CSV or a table without rows; cells are kept as written (non-ASCII and long
// cells included: the models read what they can of them).
absl::StatusOr<LabeledTask> ParseLabeledTaskCsv(std::string_view text, std::string_view name,
                                                int observed);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_EVAL_SET_H_
