// dsl/task.cc: reading and writing a task's CSV table.
#include "dsl/task.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "dsl/csv.h"
#include "dsl/status_macros.h"

namespace flashsynth::dsl {
namespace {

bool IsAllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string QuotedNames(const std::vector<std::string>& header) {
  return absl::StrJoin(header, ", ", [](std::string* out, const std::string& s) {
    absl::StrAppend(out, "\"", s, "\"");
  });
}

// The 0-based index of the output column `wanted` (a header name, else a
// 1-based number; empty: the last column).
absl::StatusOr<int> FindOutputColumn(const std::vector<std::string>& header,
                                     const std::string& wanted) {
  const int num_columns = static_cast<int>(header.size());
  if (wanted.empty()) return num_columns - 1;
  for (int i = 0; i < num_columns; ++i) {
    if (header[i] == wanted) return i;
  }
  int number = 0;
  if (IsAllDigits(wanted) && absl::SimpleAtoi(ToAbsl(wanted), &number) &&
      number >= 1 && number <= num_columns) {
    return number - 1;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "output column \"%s\" is neither a header name nor a number from 1 to "
      "%d; the header has %s",
      wanted, num_columns, QuotedNames(header)));
}

TaskRow MakeRow(CsvRecord& record, int output_column,
                bool empty_output_means_fill) {
  TaskRow row;
  row.line = record.line;
  std::string& output = record.cells[output_column];
  if (!output.empty() || !empty_output_means_fill) row.output = std::move(output);
  for (int i = 0; i < static_cast<int>(record.cells.size()); ++i) {
    if (i != output_column) row.inputs.push_back(std::move(record.cells[i]));
  }
  return row;
}

std::vector<const TaskRow*> RowsWhere(const std::vector<TaskRow>& rows,
                                      bool has_output) {
  std::vector<const TaskRow*> out;
  for (const TaskRow& row : rows) {
    if (row.output.has_value() == has_output) out.push_back(&row);
  }
  return out;
}

// Puts `output` back among `inputs` at `output_column`.
std::vector<std::string> Cells(const std::vector<std::string>& inputs,
                               const std::string& output, int output_column) {
  std::vector<std::string> cells = inputs;
  const size_t at = std::min(static_cast<size_t>(output_column), cells.size());
  cells.insert(cells.begin() + at, output);
  return cells;
}

}  // namespace

std::vector<const TaskRow*> Task::Examples() const {
  return RowsWhere(rows, /*has_output=*/true);
}

std::vector<const TaskRow*> Task::RowsToFill() const {
  return RowsWhere(rows, /*has_output=*/false);
}

absl::StatusOr<Task> ParseTaskCsv(std::string_view text,
                                  const TaskCsvOptions& options) {
  FS_ASSIGN_OR_RETURN(std::vector<CsvRecord> records,
                      ParseCsv(text, options.csv));
  if (records.empty()) {
    return absl::InvalidArgumentError("empty input: no header row");
  }
  std::vector<std::string>& header = records[0].cells;
  if (header.size() < 2) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "line %d, column 1: the header has 1 column; a task needs at least 2 "
        "(one or more inputs and an output)",
        records[0].line));
  }
  Task task;
  FS_ASSIGN_OR_RETURN(task.output_column,
                      FindOutputColumn(header, options.output_column));
  task.output_name = header[task.output_column];
  for (int i = 0; i < static_cast<int>(header.size()); ++i) {
    if (i != task.output_column) task.input_names.push_back(header[i]);
  }
  for (size_t r = 1; r < records.size(); ++r) {
    task.rows.push_back(MakeRow(records[r], task.output_column,
                                options.empty_output_means_fill));
  }
  return task;
}

std::string FormatTaskCsv(
    const Task& task, const std::vector<std::optional<std::string>>& outputs) {
  std::string out = FormatCsvRecord(
      Cells(task.input_names, task.output_name, task.output_column));
  for (size_t r = 0; r < task.rows.size(); ++r) {
    const TaskRow& row = task.rows[r];
    std::string output = row.output.value_or("");
    if (r < outputs.size() && outputs[r].has_value()) output = *outputs[r];
    absl::StrAppend(&out, FormatCsvRecord(
                              Cells(row.inputs, output, task.output_column)));
  }
  return out;
}

}  // namespace flashsynth::dsl
