// examples/fill_column.cc: fills a column of an in-memory table through
// flashsynth's C++ API (synth/synthesizer.h), as a spreadsheet tool would.
//
// The table's last column is the output: rows that have one are examples,
// the others are filled by the learned program. The program is then saved
// in both forms (text and JSON) and loaded back, as a tool would keep it
// with the sheet. Exits 0 when the column is filled and both forms round
// trip; 1 otherwise.
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "synth/synthesizer.h"

namespace {

using ::flashsynth::synth::Example;
using ::flashsynth::synth::FilledRow;
using ::flashsynth::synth::LearnResult;
using ::flashsynth::synth::ProgramFormat;

// A sheet: input cells, then the output cell ("" = to fill).
struct SheetRow {
  std::vector<std::string> inputs;
  std::string output;
};

// Whether `program` survives SaveProgram() then LoadProgram() in `format`.
bool RoundTrips(const flashsynth::dsl::Program& program, ProgramFormat format) {
  const std::string saved = flashsynth::synth::SaveProgram(program, format);
  absl::StatusOr<flashsynth::dsl::Program> loaded = flashsynth::synth::LoadProgram(saved);
  std::cout << (format == ProgramFormat::kText ? "saved as text:\n" : "saved as JSON:\n")
            << saved << "\n";
  if (!loaded.ok()) {
    std::cout << "  loading it back failed: " << loaded.status() << "\n";
    return false;
  }
  std::cout << "  loads back to the same program: " << (*loaded == program ? "yes" : "NO") << "\n";
  return *loaded == program;
}

}  // namespace

int main() {
  // Columns: order date, day/month/year.
  std::vector<SheetRow> sheet = {
      {{"2024-03-15"}, "15/03/2024"},
      {{"2023-11-02"}, "02/11/2023"},
      {{"2025-07-30"}, ""},
      {{"1999-12-31"}, ""},
      {{"2000-01-01"}, ""},
  };

  std::vector<Example> examples;
  std::vector<flashsynth::dsl::Row> to_fill;
  std::vector<size_t> fill_index;  // sheet row of each row to fill
  for (size_t i = 0; i < sheet.size(); ++i) {
    if (sheet[i].output.empty()) {
      to_fill.push_back(sheet[i].inputs);
      fill_index.push_back(i);
    } else {
      examples.push_back({sheet[i].inputs, sheet[i].output});
    }
  }

  flashsynth::synth::LearnOptions options;
  options.time_budget = absl::Seconds(5);
  absl::StatusOr<LearnResult> result = flashsynth::synth::Learn(examples, to_fill, options);
  if (!result.ok()) {
    std::cout << "Learn failed: " << result.status() << "\n";
    return 1;
  }
  if (!result->ok()) {
    std::cout << "no program fits the examples: " << result->failure_message << "\n";
    return 1;
  }
  std::cout << "program: " << result->best().ToString() << "\n";
  for (size_t i = 1; i < result->programs.size(); ++i) {
    std::cout << "  alternative (score " << result->programs[i].score
              << "): " << result->programs[i].program.ToString() << "\n";
  }

  const std::vector<FilledRow> filled = flashsynth::synth::Fill(*result, to_fill);
  bool all_filled = true;
  for (size_t k = 0; k < filled.size(); ++k) {
    SheetRow& row = sheet[fill_index[k]];
    row.output = filled[k].output.value_or("");
    all_filled = all_filled && filled[k].output.has_value();
    std::cout << "row " << fill_index[k] + 1 << ": " << row.inputs[0] << " -> "
              << (filled[k].output ? *filled[k].output : "(no output)") << "  confidence "
              << std::fixed << std::setprecision(2) << filled[k].confidence
              << (filled[k].ambiguous ? "  AMBIGUOUS" : "") << "\n";
    for (const std::string& alt : filled[k].alternatives) std::cout << "    or: " << alt << "\n";
  }

  const bool text_ok = RoundTrips(result->best(), ProgramFormat::kText);
  const bool json_ok = RoundTrips(result->best(), ProgramFormat::kJson);
  return all_filled && text_ok && json_ok ? 0 : 1;
}
