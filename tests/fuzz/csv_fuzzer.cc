// tests/fuzz/csv_fuzzer.cc: libFuzzer target for ParseCsv() and ParseTaskCsv().
//
// Any input must parse or fail cleanly (ASan and UBSan watch the rest). A
// successful parse must survive a write and a re-read unchanged: the records'
// cells through FormatCsvRecord(), the task through FormatTaskCsv(). Each
// input is read with the default options and with a second set picked by its
// last byte, so small limits and every output-column form get exercised while
// plain CSV seeds stay meaningful.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/csv.h"
#include "dsl/task.h"

namespace {

using flashsynth::dsl::CsvOptions;
using flashsynth::dsl::CsvRecord;
using flashsynth::dsl::Task;
using flashsynth::dsl::TaskCsvOptions;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

CsvOptions PickCsvOptions(uint8_t knob) {
  CsvOptions options;
  if (knob & 1) options.max_cell_chars = knob >> 4;  // 0..15
  if (knob & 2) options.max_records = (knob >> 2) & 7;  // 0..7
  return options;
}

TaskCsvOptions PickTaskOptions(uint8_t knob) {
  static const char* const kColumns[] = {"", "1", "2", "3", "out", "a"};
  TaskCsvOptions options;
  options.csv = PickCsvOptions(knob);
  options.output_column = kColumns[(knob >> 2) % 6];
  options.empty_output_means_fill = (knob & 0x40) == 0;
  return options;
}

std::vector<std::vector<std::string>> CellsOf(
    const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> cells;
  for (const CsvRecord& r : records) cells.push_back(r.cells);
  return cells;
}

void CheckCsvRoundTrip(std::string_view text, const CsvOptions& options) {
  auto records = flashsynth::dsl::ParseCsv(text, options);
  if (!records.ok()) return;
  std::string written;
  for (const CsvRecord& r : *records) {
    Check(r.line >= 1 && r.cells.size() == records->front().cells.size());
    written += flashsynth::dsl::FormatCsvRecord(r.cells);
  }
  auto again = flashsynth::dsl::ParseCsv(written, options);
  Check(again.ok());
  Check(CellsOf(*again) == CellsOf(*records));
}

bool SameTask(const Task& a, const Task& b) {
  if (a.input_names != b.input_names || a.output_name != b.output_name ||
      a.output_column != b.output_column || a.rows.size() != b.rows.size()) {
    return false;
  }
  for (size_t i = 0; i < a.rows.size(); ++i) {
    if (a.rows[i].inputs != b.rows[i].inputs ||
        a.rows[i].output != b.rows[i].output) {
      return false;
    }
  }
  return true;
}

void CheckTaskRoundTrip(std::string_view text, const TaskCsvOptions& options) {
  auto task = flashsynth::dsl::ParseTaskCsv(text, options);
  if (!task.ok()) return;
  Check(task->num_inputs() >= 1);
  Check(task->Examples().size() + task->RowsToFill().size() == task->rows.size());
  auto again = flashsynth::dsl::ParseTaskCsv(FormatTaskCsv(*task, {}), options);
  Check(again.ok() && SameTask(*task, *again));
  // Filling every row with a one-character output leaves nothing to fill.
  if (options.csv.max_cell_chars == 0) return;
  std::vector<std::optional<std::string>> outputs(task->rows.size(), "x");
  auto filled = flashsynth::dsl::ParseTaskCsv(FormatTaskCsv(*task, outputs),
                                              options);
  Check(filled.ok() && filled->RowsToFill().empty() &&
        filled->rows.size() == task->rows.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const uint8_t knob = size > 0 ? data[size - 1] : 0;
  CheckCsvRoundTrip(text, {});
  CheckCsvRoundTrip(text, PickCsvOptions(knob));
  CheckTaskRoundTrip(text, {});
  CheckTaskRoundTrip(text, PickTaskOptions(knob));
  return 0;
}
