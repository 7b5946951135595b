// flashsynth: fills a spreadsheet column.
//
// Until the synthesizer lands (issue 3), flashsynth runs a program that the
// user gives (--program or --program-file) over the table: it checks the
// program against the rows that have an output and fills the rows that don't.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "dsl/interpreter.h"
#include "dsl/json.h"
#include "dsl/parser.h"
#include "dsl/status_macros.h"
#include "dsl/task.h"
#include "nlohmann/json.hpp"
#include "synth/cli/files.h"

namespace flashsynth::cli {
namespace {

constexpr size_t kMaxInputBytes = size_t{512} << 20;  // 512 MiB of CSV
constexpr int kExitOk = 0;
constexpr int kExitMismatch = 1;
constexpr int kExitBadInput = 2;

struct Flags {
  std::string input;
  std::string program_text;
  std::string program_file;
  std::string output_column;
  std::string output_file;
  bool json = false;
};

// A program from --program (text form) or --program-file (text or JSON).
absl::StatusOr<dsl::Program> LoadProgram(const Flags& flags) {
  if (!flags.program_text.empty()) {
    absl::StatusOr<dsl::Program> p = dsl::Parse(flags.program_text);
    if (!p.ok()) return absl::InvalidArgumentError(absl::StrCat("--program: ", p.status().message()));
    return p;
  }
  FS_ASSIGN_OR_RETURN(std::string text, ReadFile(flags.program_file, size_t{1} << 20));
  const size_t first = text.find_first_not_of(" \t\r\n");
  absl::StatusOr<dsl::Program> p;
  if (first != std::string::npos && text[first] == '{') {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return absl::InvalidArgumentError(flags.program_file + ": not valid JSON");
    p = dsl::ProgramFromJson(j);
  } else {
    p = dsl::Parse(text);
  }
  if (!p.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(flags.program_file, ": ", p.status().message()));
  }
  return p;
}

struct RunResult {
  std::vector<std::optional<std::string>> outputs;  // per row; nullopt: unchanged
  std::vector<std::string> mismatches;              // examples the program gets wrong
  std::vector<int> no_output_lines;                 // rows to fill with no output
  int examples = 0;
  int filled = 0;
};

RunResult RunOverTask(const dsl::Program& program, const dsl::Task& task) {
  RunResult r;
  for (const dsl::TaskRow& row : task.rows) {
    std::optional<std::string> out = dsl::Evaluate(program, row.inputs);
    if (row.output) {
      ++r.examples;
      if (out != row.output) {
        r.mismatches.push_back(absl::StrCat("line ", row.line, ": the example says \"", *row.output,
                                            "\", the program gives ",
                                            out ? "\"" + *out + "\"" : "no output"));
      }
      r.outputs.push_back(std::nullopt);
      continue;
    }
    if (out) {
      ++r.filled;
    } else {
      r.no_output_lines.push_back(row.line);
    }
    r.outputs.push_back(std::move(out));
  }
  return r;
}

nlohmann::json ResultJson(const dsl::Program& program, const dsl::Task& task, const RunResult& r) {
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < task.rows.size(); ++i) {
    const dsl::TaskRow& row = task.rows[i];
    nlohmann::json j = {{"line", row.line}, {"inputs", row.inputs}};
    if (row.output) {
      j["example"] = *row.output;
    } else {
      j["output"] = r.outputs[i] ? nlohmann::json(*r.outputs[i]) : nlohmann::json(nullptr);
    }
    rows.push_back(std::move(j));
  }
  return {{"program", program.ToString()},
          {"ast", dsl::ProgramToJson(program)},
          {"examples", r.examples},
          {"filled", r.filled},
          {"no_output_lines", r.no_output_lines},
          {"mismatches", r.mismatches},
          {"rows", std::move(rows)}};
}

int Fail(const absl::Status& status) {
  std::cerr << "flashsynth: " << status.message() << "\n";
  return kExitBadInput;
}

int Run(const Flags& flags) {
  if (flags.program_text.empty() == flags.program_file.empty()) {
    return Fail(absl::InvalidArgumentError(
        "give exactly one of --program or --program-file: learning a program from the "
        "examples is not built yet (issue 3); for now flashsynth runs a given program"));
  }
  if (!flags.output_file.empty() && flags.input != "-" && SameFile(flags.input, flags.output_file)) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat("-o ", flags.output_file, " is the input file; refusing to overwrite it")));
  }
  absl::StatusOr<dsl::Program> program = LoadProgram(flags);
  if (!program.ok()) return Fail(program.status());
  absl::StatusOr<std::string> csv = ReadFile(flags.input, kMaxInputBytes);
  if (!csv.ok()) return Fail(csv.status());
  dsl::TaskCsvOptions options;
  options.output_column = flags.output_column;
  absl::StatusOr<dsl::Task> task = dsl::ParseTaskCsv(*csv, options);
  if (!task.ok()) return Fail(absl::InvalidArgumentError(absl::StrCat(flags.input, ": ", task.status().message())));
  if (program->NumColumnsUsed() > task->num_inputs()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "the program reads x", program->NumColumnsUsed(), " but ", flags.input, " has ",
        task->num_inputs(), " input column(s)")));
  }

  const RunResult r = RunOverTask(*program, *task);
  std::cerr << "program: " << program->ToString() << "\n";
  for (const std::string& m : r.mismatches) std::cerr << "flashsynth: " << flags.input << ": " << m << "\n";
  std::cerr << r.examples << " example(s), " << r.examples - static_cast<int>(r.mismatches.size())
            << " reproduced; " << r.filled << " row(s) filled; " << r.no_output_lines.size()
            << " row(s) with no output\n";
  if (!r.mismatches.empty()) {
    std::cerr << "flashsynth: the program does not fit the examples; nothing written\n";
    if (flags.json) std::cout << ResultJson(*program, *task, r).dump(2) << "\n";
    return kExitMismatch;
  }
  const std::string out = flags.json ? ResultJson(*program, *task, r).dump(2) + "\n"
                                     : dsl::FormatTaskCsv(*task, r.outputs);
  if (flags.output_file.empty()) {
    std::cout << out;
    return kExitOk;
  }
  absl::Status written = WriteFileAtomically(flags.output_file, out);
  return written.ok() ? kExitOk : Fail(written);
}

}  // namespace
}  // namespace flashsynth::cli

int main(int argc, char** argv) {
  flashsynth::cli::Flags flags;
  CLI::App app{
      "flashsynth: fills a spreadsheet column from examples.\n"
      "Reads a CSV with a header row; the output column is the last unless named.\n"
      "Rows with an empty output cell are filled; the others are examples.\n"
      "The synthesizer is not built yet: flashsynth now runs the program you give\n"
      "(--program or --program-file), checks it on the examples and fills the rest.\n"
      "Exit status: 0 success, 1 the program does not fit the examples, 2 bad input or usage."};
  app.add_option("FILE.csv", flags.input, "the table to fill ('-' for standard input)")->required();
  app.add_option("--program", flags.program_text, "a program in the DSL's text form (docs/dsl.md)");
  app.add_option("--program-file", flags.program_file, "a file holding a program (text or JSON form)");
  app.add_option("--output-column", flags.output_column, "the output column: a header name or a 1-based number");
  app.add_option("-o,--output", flags.output_file, "write the result here (atomically) instead of stdout");
  app.add_flag("--json", flags.json, "print one JSON object instead of the CSV");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  return flashsynth::cli::Run(flags);
}
