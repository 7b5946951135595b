// dsl/task.h: a programming-by-example task read from a CSV table.
//
// The table's header names the columns. One column is the output (the last
// unless named); the others are inputs x1..xN in order. A row whose output
// cell is empty is a row to fill; the others are examples.
#ifndef FLASHSYNTH_DSL_TASK_H_
#define FLASHSYNTH_DSL_TASK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "dsl/csv.h"

namespace flashsynth::dsl {

struct TaskRow {
  std::vector<std::string> inputs;    // one cell per input column
  std::optional<std::string> output;  // nullopt: to be filled
  int line = 0;                       // 1-based line in the source text
};

struct Task {
  std::vector<std::string> input_names;  // header cells of the inputs
  std::string output_name;
  int output_column = 0;                 // 0-based position in the header
  std::vector<TaskRow> rows;             // in file order

  int num_inputs() const { return static_cast<int>(input_names.size()); }
  // Rows with an output, in file order.
  std::vector<const TaskRow*> Examples() const;
  // Rows without an output, in file order.
  std::vector<const TaskRow*> RowsToFill() const;
};

struct TaskCsvOptions {
  // The output column: a header name or a 1-based number as text ("3"); a
  // name wins over a number, and the first of equal names wins. Empty: the
  // last column.
  std::string output_column;
  // When false, an empty output cell is an example whose output is "" (the
  // benchmark suites have such examples); when true it is a row to fill.
  bool empty_output_means_fill = true;
  CsvOptions csv;
};

// ParseTaskCsv()
//
// Reads a task from CSV text (see ParseCsv()). Returns kInvalidArgument, with
// the CSV error's "line L, column C: " prefix where there is one, for
// malformed CSV, an empty text ("empty input: no header row"), a header with
// fewer than two columns, or an output column that the header lacks.
//
// Example:
//   absl::StatusOr<Task> t = ParseTaskCsv("name,initials\nAda Lovelace,A.L.\nAlan Turing,\n");
//   // t->input_names == {"name"}, t->Examples().size() == 1, t->RowsToFill().size() == 1
absl::StatusOr<Task> ParseTaskCsv(std::string_view text,
                                  const TaskCsvOptions& options = {});

// The task as CSV text with the same header and row order, each output cell
// taken from `outputs` (one per row; nullopt, or no entry past the end of a
// shorter vector, leaves the cell as it was; a row to fill stays empty).
// Cells are written by FormatCsvRecord(), lines end in "\n", blank lines and
// a byte order mark are not kept. ParseTaskCsv() with the same options reads
// the text back to the same task, apart from TaskRow::line.
std::string FormatTaskCsv(const Task& task,
                          const std::vector<std::optional<std::string>>& outputs);

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_TASK_H_
