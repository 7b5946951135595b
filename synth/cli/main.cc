// flashsynth: fills a spreadsheet column by example.
//
// Reads a CSV table, learns a program from the rows whose output cell is set
// (synth::Learn) and fills the rows whose output cell is empty (synth::Fill).
// With --program or --program-file it runs the given program instead: it
// checks it on the examples and fills the other rows. The only code in the
// project that opens files and prints; the rest is in synth/ and dsl/.
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "dsl/interpreter.h"
#include "dsl/json.h"
#include "dsl/parser.h"
#include "dsl/status_macros.h"
#include "dsl/task.h"
#include "dsl/text.h"
#include "nlohmann/json.hpp"
#include "io/files.h"
#include "synth/hybrid/neural_proposer.h"
#include "synth/synthesizer.h"

namespace flashsynth::cli {
namespace {

// Keys in the order written, so that "program" comes first.
using Json = nlohmann::ordered_json;

constexpr size_t kMaxInputBytes = size_t{512} << 20;   // 512 MiB of CSV
constexpr size_t kMaxProgramBytes = size_t{1} << 20;   // 1 MiB program file
constexpr size_t kMaxModelBytes = size_t{1} << 30;     // 1 GiB model file
constexpr size_t kMaxQuotedChars = 60;  // a cell quoted in a message is cut here
constexpr size_t kMaxListedLines = 10;  // "lines 2, 3, ... and N more"
constexpr int kExitOk = 0;
constexpr int kExitNoProgram = 1;  // nothing fits the examples (or times out)
constexpr int kExitBadInput = 2;   // bad input or usage

struct Flags {
  std::string input;
  std::string program_text;
  std::string program_file;
  std::string output_column;
  std::string output_file;
  bool json = false;
  bool strict = false;
  double timeout_seconds = 10;
  int alternatives = 5;
  bool no_solver = false;
  std::string engine = "auto";  // symbolic, neural, hybrid; auto: hybrid when a model loads
  std::string model;            // the model file; empty: $FLASHSYNTH_MODEL or the shipped one
  int beam = 100;
};

// The search Learn() runs, and the proposer it may need (loaded on first use).
struct Engine {
  synth::LearnOptions::Engine kind = synth::LearnOptions::Engine::kSymbolic;
  std::unique_ptr<synth::NeuralProposer> proposer;
  std::string name = "symbolic";
  std::string model;   // the model file
  std::string plugin;  // the shared module that holds LibTorch and the model's code
};

// ---------------------------------------------------------------------------
// Messages.

int Fail(const absl::Status& status) {
  std::cerr << "flashsynth: " << status.message() << "\n";
  return kExitBadInput;
}

std::string InputName(const Flags& flags) {
  return flags.input == "-" ? "standard input" : flags.input;
}

// A cell as a message shows it: quoted, C-escaped, cut after kMaxQuotedChars
// characters (never inside one).
std::string Quote(std::string_view cell) {
  std::string out = "\"";
  size_t pos = 0;
  for (size_t chars = 0; pos < cell.size(); ++chars) {
    if (chars == kMaxQuotedChars) return absl::StrCat(out, "\"...");
    const char c = cell[pos];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      const size_t start = pos;
      dsl::DecodeUtf8(cell, &pos);
      out.append(cell.substr(start, pos - start));
      continue;
    }
    ++pos;
  }
  return out + "\"";
}

// `line 3: "Ada Lovelace" -> "Lovelace"` (inputs joined by ", ").
std::string DescribeExample(const dsl::TaskRow& row) {
  std::string out = absl::StrCat("line ", row.line, ": ");
  for (size_t i = 0; i < row.inputs.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ", ", Quote(row.inputs[i]));
  }
  return absl::StrCat(out, " -> ", row.output ? Quote(*row.output) : "(empty)");
}

// "line 4", or "lines 2, 5, 7, ... and 12 more".
std::string LineList(const std::vector<int>& lines) {
  std::string out = lines.size() == 1 ? "line " : "lines ";
  for (size_t i = 0; i < lines.size() && i < kMaxListedLines; ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ", ", lines[i]);
  }
  if (lines.size() > kMaxListedLines) {
    absl::StrAppend(&out, " and ", lines.size() - kMaxListedLines, " more");
  }
  return out;
}

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

// ---------------------------------------------------------------------------
// Input.

// The reader already rejects bad bytes (naming line and column); checked
// again here because Learn() would name the cell only by an index.
absl::Status CheckUtf8(const dsl::Task& task) {
  for (const dsl::TaskRow& row : task.rows) {
    for (size_t i = 0; i < row.inputs.size(); ++i) {
      if (!dsl::IsValidUtf8(row.inputs[i])) {
        return absl::InvalidArgumentError(absl::StrCat("line ", row.line, ": the ",
                                                       Quote(task.input_names[i]),
                                                       " cell is not valid UTF-8"));
      }
    }
    if (row.output && !dsl::IsValidUtf8(*row.output)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", row.line, ": the ", Quote(task.output_name), " cell is not valid UTF-8"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<dsl::Task> ReadTask(const Flags& flags) {
  FS_ASSIGN_OR_RETURN(std::string csv, io::ReadFile(flags.input, kMaxInputBytes));
  dsl::TaskCsvOptions options;
  options.output_column = flags.output_column;
  absl::StatusOr<dsl::Task> task = dsl::ParseTaskCsv(csv, options);
  absl::Status status = task.ok() ? CheckUtf8(*task) : task.status();
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(InputName(flags), ": ", status.message()));
  }
  return task;
}

// A program from --program (text form) or --program-file (text or JSON).
absl::StatusOr<dsl::Program> GivenProgram(const Flags& flags) {
  if (!flags.program_text.empty()) {
    absl::StatusOr<dsl::Program> p = dsl::Parse(flags.program_text);
    if (!p.ok()) return absl::InvalidArgumentError(absl::StrCat("--program: ", p.status().message()));
    return p;
  }
  FS_ASSIGN_OR_RETURN(std::string text, io::ReadFile(flags.program_file, kMaxProgramBytes));
  absl::StatusOr<dsl::Program> p = synth::LoadProgram(text);
  if (!p.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(flags.program_file, ": ", p.status().message()));
  }
  return p;
}

// ---------------------------------------------------------------------------
// Output.

// Writes the result to -o (atomically) or stdout ("-o -" too).
int Emit(const Flags& flags, const std::string& text) {
  if (flags.output_file.empty() || flags.output_file == "-") {
    std::cout << text << std::flush;
    return kExitOk;
  }
  absl::Status written = io::WriteFileAtomically(flags.output_file, text);
  return written.ok() ? kExitOk : Fail(written);
}

// What happened to each row of the table, whichever way the program came.
struct Outcome {
  dsl::Program program;
  // Per task row: the program's output on an example, or the filled row.
  std::vector<std::optional<std::string>> program_outputs;
  std::vector<std::optional<synth::FilledRow>> filled;  // rows to fill only
  std::vector<int> ambiguous_lines;
  std::vector<int> no_output_lines;
  std::vector<int> misfit_lines;  // examples the program does not reproduce
  int examples = 0;
  int filled_rows = 0;
};

// The CSV cells to write: filled outputs, examples untouched.
std::vector<std::optional<std::string>> CsvOutputs(const Outcome& o) {
  std::vector<std::optional<std::string>> out;
  for (const std::optional<synth::FilledRow>& f : o.filled) {
    out.push_back(f ? f->output : std::nullopt);
  }
  return out;
}

Json RowJson(const dsl::TaskRow& row, const Outcome& o, size_t i) {
  Json j = {{"line", row.line}, {"inputs", row.inputs}};
  if (row.output) {
    const bool fits = o.program_outputs[i] == row.output;
    j["example"] = *row.output;
    j["fits"] = fits;
    if (!fits) {
      j["program_output"] = o.program_outputs[i] ? Json(*o.program_outputs[i]) : nullptr;
    }
    return j;
  }
  const synth::FilledRow& f = *o.filled[i];
  j["output"] = f.output ? Json(*f.output) : Json(nullptr);
  j["confidence"] = f.confidence;
  j["ambiguous"] = f.ambiguous;
  j["alternatives"] = f.alternatives;
  return j;
}

Json OutcomeJson(const dsl::Task& task, const Outcome& o) {
  Json rows = Json::array();
  for (size_t i = 0; i < task.rows.size(); ++i) rows.push_back(RowJson(task.rows[i], o, i));
  return {{"program", o.program.ToString()},
          {"ast", dsl::ProgramToJson(o.program)},
          {"examples", o.examples},
          {"filled", o.filled_rows},
          {"ambiguous_lines", o.ambiguous_lines},
          {"no_output_lines", o.no_output_lines},
          {"rows", std::move(rows)}};
}

// Runs `program` on every example and pairs the rows to fill with `filled`
// (one FilledRow per row to fill, in file order).
Outcome Tally(const dsl::Task& task, dsl::Program program,
              const std::vector<synth::FilledRow>& filled) {
  Outcome o{std::move(program), {}, {}, {}, {}, {}, 0, 0};
  size_t next = 0;
  for (const dsl::TaskRow& row : task.rows) {
    if (row.output) {
      ++o.examples;
      o.program_outputs.push_back(dsl::Evaluate(o.program, row.inputs));
      if (o.program_outputs.back() != row.output) o.misfit_lines.push_back(row.line);
      o.filled.push_back(std::nullopt);
      continue;
    }
    const synth::FilledRow& f = filled[next++];
    if (f.output) ++o.filled_rows;
    if (!f.output) o.no_output_lines.push_back(row.line);
    if (f.ambiguous) o.ambiguous_lines.push_back(row.line);
    o.program_outputs.push_back(f.output);
    o.filled.push_back(f);
  }
  return o;
}

// Lists the ambiguous rows and the rows with no output on stderr.
void ReportRows(const Flags& flags, const Outcome& o) {
  const std::string where = absl::StrCat("flashsynth: ", InputName(flags), ": ");
  if (!o.ambiguous_lines.empty()) {
    std::cerr << where << "ambiguous (the top programs disagree; --json lists their outputs): "
              << LineList(o.ambiguous_lines) << "\n";
  }
  if (!o.no_output_lines.empty()) {
    std::cerr << where << "no output (left empty): " << LineList(o.no_output_lines) << "\n";
  }
}

// ---------------------------------------------------------------------------
// A given program (--program, --program-file).

int RunGiven(const Flags& flags, const dsl::Task& task) {
  absl::StatusOr<dsl::Program> program = GivenProgram(flags);
  if (!program.ok()) return Fail(program.status());
  if (program->NumColumnsUsed() > task.num_inputs()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "the program reads x", program->NumColumnsUsed(), " but ", InputName(flags), " has ",
        task.num_inputs(), " input column(s)")));
  }
  std::vector<synth::FilledRow> filled;
  for (const dsl::TaskRow* row : task.RowsToFill()) {
    synth::FilledRow f;
    f.output = dsl::Evaluate(*program, row->inputs);
    f.confidence = 1;
    filled.push_back(std::move(f));
  }
  const Outcome o = Tally(task, *std::move(program), filled);
  std::cerr << "program: " << o.program.ToString() << "\n";
  for (size_t i = 0; i < task.rows.size(); ++i) {
    const dsl::TaskRow& row = task.rows[i];
    if (!row.output || o.program_outputs[i] == row.output) continue;
    std::cerr << "flashsynth: " << InputName(flags) << ": line " << row.line
              << ": the example says " << Quote(*row.output) << ", the program gives "
              << (o.program_outputs[i] ? Quote(*o.program_outputs[i]) : "no output") << "\n";
  }
  ReportRows(flags, o);
  std::cerr << o.examples << " example(s), " << o.examples - static_cast<int>(o.misfit_lines.size())
            << " reproduced; " << o.filled_rows << " row(s) filled; " << o.no_output_lines.size()
            << " row(s) with no output\n";
  Json json = flags.json ? OutcomeJson(task, o) : Json();
  if (flags.json) json["mismatch_lines"] = o.misfit_lines;
  if (!o.misfit_lines.empty()) {
    std::cerr << "flashsynth: the program does not fit the examples; nothing written\n";
    if (flags.json) std::cout << json.dump(2) << "\n";
    return kExitNoProgram;
  }
  return Emit(flags, flags.json ? json.dump(2) + "\n" : dsl::FormatTaskCsv(task, CsvOutputs(o)));
}

// ---------------------------------------------------------------------------
// Learning (the default).

struct LearnInput {
  std::vector<const dsl::TaskRow*> example_rows;  // example i is example_rows[i]
  std::vector<synth::Example> examples;
  std::vector<dsl::Row> rows_to_fill;
  std::vector<int> fill_lines;  // the line of rows_to_fill[i]
};

LearnInput SplitTask(const dsl::Task& task) {
  LearnInput in;
  for (const dsl::TaskRow& row : task.rows) {
    if (row.output) {
      in.example_rows.push_back(&row);
      in.examples.push_back({row.inputs, *row.output});
    } else {
      in.rows_to_fill.push_back(row.inputs);
      in.fill_lines.push_back(row.line);
    }
  }
  return in;
}

Json SearchJson(const synth::LearnResult& r) {
  return {{"examples_used", r.examples_used},
          {"states_explored", r.states_explored},
          {"candidates", r.programs.size()},
          {"proposals", r.proposals},
          {"model_consulted", r.proposer_consulted},
          {"timed_out", r.timed_out}};
}

Json TimingJson(absl::Duration learn, absl::Time start) {
  return {{"learn_seconds", Seconds(learn)}, {"total_seconds", Seconds(absl::Now() - start)}};
}

std::vector<int> ExampleLines(const LearnInput& in) {
  std::vector<int> lines;
  for (const dsl::TaskRow* row : in.example_rows) lines.push_back(row->line);
  return lines;
}

// Exit 1: says why nothing fits, naming the examples by line.
int ReportFailure(const Flags& flags, const LearnInput& in, const synth::LearnResult& r,
                  absl::Time start) {
  std::vector<const dsl::TaskRow*> culprits;
  for (int i : r.conflicting_examples) {
    if (i >= 0 && i < static_cast<int>(in.example_rows.size())) culprits.push_back(in.example_rows[i]);
  }
  std::string why, kind;
  switch (r.failure) {
    case synth::Failure::kConflictingExamples:
      kind = "conflicting_examples";
      why = "no program fits the examples: these have the same input and different outputs";
      break;
    case synth::Failure::kTimedOut:
      kind = "timed_out";
      why = absl::StrFormat("timed out after %g s without finding a program (raise --timeout)",
                            flags.timeout_seconds);
      break;
    default:
      kind = "no_program";
      why = culprits.empty()
                ? absl::StrCat("no program in the DSL fits the examples (", LineList(ExampleLines(in)), ")")
                : "no program in the DSL fits the examples; these cannot be fitted together";
      if (flags.strict && in.examples.size() >= synth::kMinExamplesForNoise) {
        absl::StrAppend(&why, " (--strict: no example is set aside as a typo)");
      }
      break;
  }
  std::cerr << "flashsynth: " << InputName(flags) << ": " << why << (culprits.empty() ? "\n" : ":\n");
  Json lines = Json::array();
  for (const dsl::TaskRow* row : culprits) {
    std::cerr << "  " << DescribeExample(*row) << "\n";
    lines.push_back({{"line", row->line}, {"inputs", row->inputs}, {"example", *row->output}});
  }
  if (flags.json) {
    Json j = {{"error", kind},          {"message", why},
                        {"conflicting_examples", lines},
                        {"examples", in.examples.size()},
                        {"timing", TimingJson(r.elapsed, start)},
                        {"search", SearchJson(r)}};
    std::cout << j.dump(2) << "\n";
  }
  return kExitNoProgram;
}

// The suspected typo on stderr; returns its JSON (null when there is none).
Json ReportTypo(const Flags& flags, const LearnInput& in, const synth::LearnResult& r) {
  if (!r.suspected_typo) return nullptr;
  const dsl::TaskRow& row = *in.example_rows[*r.suspected_typo];
  const std::optional<std::string> got = dsl::Evaluate(r.best(), row.inputs);
  std::cerr << "flashsynth: " << InputName(flags) << ": line " << row.line
            << ": suspected typo: the example says " << Quote(*row.output)
            << ", the program gives " << (got ? Quote(*got) : "no output")
            << " (set aside; --strict fits every example or fails)\n";
  return {{"line", row.line},
          {"given", *row.output},
          {"program_output", got ? Json(*got) : Json(nullptr)}};
}

Json OptionalText(const std::optional<std::string>& text) { return text ? Json(*text) : Json(nullptr); }

// Where an alternative and the best program part: the inputs, both
// outputs, and the line when it is a row to fill (else the solver built it).
Json DifferenceJson(const LearnInput& in, const synth::Difference& d) {
  return {{"inputs", d.input},
          {"line", d.row_to_fill ? Json(in.fill_lines[*d.row_to_fill]) : Json(nullptr)},
          {"source", d.row_to_fill ? "row to fill" : "solver"},
          {"program_output", OptionalText(d.best_output)},
          {"alternative_output", OptionalText(d.output)}};
}

// Names, on stderr, an input on which a close alternative gives another
// output ("these programs fit the examples and differ on ...").
void ReportDifference(const LearnInput& in, const synth::LearnResult& r) {
  if (r.programs.size() < 2) return;
  const synth::Candidate& alt = r.programs[1];
  if (!alt.differs_from_best || r.programs[0].score - alt.score > synth::kAmbiguityLogOdds) return;
  const synth::Difference& d = *alt.differs_from_best;
  auto text = [](const std::optional<std::string>& t) { return t ? absl::StrCat("\"", *t, "\"") : "no output"; };
  std::cerr << "flashsynth: " << alt.program.ToString() << " also fits the examples; on ";
  if (d.row_to_fill) {
    std::cerr << "line " << in.fill_lines[*d.row_to_fill];
  } else {
    std::cerr << "the input (\"" << absl::StrJoin(d.input, "\", \"") << "\")";
  }
  std::cerr << " the program gives " << text(d.best_output) << " and it gives " << text(d.output) << "\n";
}

// The --json object of a successful learn.
Json LearnedJson(const dsl::Task& task, const LearnInput& in, const Outcome& o, const synth::LearnResult& r,
                 Json typo, absl::Time start) {
  Json j = OutcomeJson(task, o);
  j["score"] = r.programs.front().score;
  j["proposed"] = r.programs.front().proposed;
  j["log_likelihood"] = r.programs.front().log_likelihood ? Json(*r.programs.front().log_likelihood) : Json(nullptr);
  Json alternatives = Json::array();
  for (size_t i = 1; i < r.programs.size(); ++i) {
    const synth::Candidate& c = r.programs[i];
    alternatives.push_back({{"program", c.program.ToString()},
                            {"score", c.score},
                            {"proposed", c.proposed},
                            {"log_likelihood", c.log_likelihood ? Json(*c.log_likelihood) : Json(nullptr)},
                            {"differs_on", c.differs_from_best ? DifferenceJson(in, *c.differs_from_best) : Json(nullptr)}});
  }
  j["alternatives"] = std::move(alternatives);
  j["suspected_typo"] = std::move(typo);
  j["examples_used"] = r.examples_used;
  j["timing"] = TimingJson(r.elapsed, start);
  j["search"] = SearchJson(r);
  return j;
}

// --engine: the model is loaded when first needed (synth/hybrid/), so a run
// that never needs it never loads LibTorch. Missing files are found now: an
// explicit neural or hybrid engine without them is an error; the default
// falls back to the symbolic engine with a note. --engine neural loads at
// once and says what it loaded.
absl::StatusOr<Engine> ChooseEngine(const Flags& flags) {
  Engine e;
  if (flags.engine == "symbolic") return e;
  const std::string model = flags.model.empty() ? synth::DefaultModelPath() : flags.model;
  const std::string plugin = synth::DefaultPluginPath();
  std::string missing;
  if (model.empty()) {
    missing = "no model file (--model, $FLASHSYNTH_MODEL, or neural/models/robustfill.fsnn)";
  } else if (!io::FileExists(model)) {
    missing = absl::StrCat(model, ": cannot open (the model file)");
  } else if (plugin.empty() || !io::FileExists(plugin)) {
    missing = absl::StrCat("no neural plugin at ", plugin.empty() ? "(none built)" : plugin,
                           " (this flashsynth was built without LibTorch?)");
  }
  if (!missing.empty()) {
    if (flags.engine != "auto") {
      return absl::FailedPreconditionError(absl::StrCat("--engine ", flags.engine, ": ", missing));
    }
    std::cerr << "flashsynth: note: the neural proposer is off (" << missing
              << "); using the symbolic engine alone (--engine symbolic says so and silences this)\n";
    return e;
  }
  synth::NeuralProposerOptions options;
  options.plugin_path = plugin;
  options.model_path = model;
  options.read_model = [](const std::string& path) -> absl::StatusOr<std::string> {
    absl::StatusOr<std::string> bytes = io::ReadFile(path, kMaxModelBytes);
    if (bytes.ok()) return bytes;
    return absl::Status(bytes.status().code(), absl::StrCat(bytes.status().message(), " (the model file)"));
  };
  // Two threads where there are two cores: the proposer runs after the
  // symbolic search, not beside it (docs/neural.md: latency).
  options.num_threads = std::thread::hardware_concurrency() >= 2 ? 2 : 1;
  options.beam_size = flags.beam;
  e.proposer = synth::MakeNeuralProposer(std::move(options));
  e.model = model;
  e.plugin = plugin;
  if (flags.engine == "neural") {
    absl::Status loaded = e.proposer->Load();
    if (!loaded.ok()) return absl::FailedPreconditionError(absl::StrCat("--engine neural: ", loaded.message()));
    std::cerr << "flashsynth: loaded " << e.proposer->Describe() << "\n";
  }
  e.name = flags.engine == "neural" ? "neural" : "hybrid";
  e.kind = flags.engine == "neural" ? synth::LearnOptions::Engine::kNeural : synth::LearnOptions::Engine::kHybrid;
  return e;
}

// {name, model, plugin, model_loaded}: whether this run needed the model.
Json EngineJson(const Engine& e) {
  const bool neural = e.proposer != nullptr;
  return {{"name", e.name},
          {"model", neural ? Json(e.model) : Json(nullptr)},
          {"plugin", neural ? Json(e.plugin) : Json(nullptr)},
          {"model_loaded", neural && e.proposer->loaded()}};
}

absl::StatusOr<synth::LearnResult> LearnFrom(const Flags& flags, const LearnInput& in, const Engine& engine) {
  synth::LearnOptions options;
  options.engine = engine.kind;
  options.proposer = engine.proposer.get();
  options.time_budget = absl::Seconds(flags.timeout_seconds);
  options.max_programs = flags.alternatives;
  options.tolerate_noise = !flags.strict;
  options.use_solver = !flags.no_solver;
  absl::StatusOr<synth::LearnResult> r = synth::Learn(in.examples, in.rows_to_fill, options);
  if (!r.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(InputName(flags), ": ", r.status().message()));
  }
  return r;
}

int RunLearn(const Flags& flags, const dsl::Task& task, absl::Time start) {
  const LearnInput in = SplitTask(task);
  if (in.examples.empty()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        InputName(flags), task.rows.empty() ? ": no examples: the table has no rows"
                                            : ": no examples: every output cell is empty")));
  }
  absl::StatusOr<Engine> engine = ChooseEngine(flags);
  if (!engine.ok()) return Fail(engine.status());
  absl::StatusOr<synth::LearnResult> r = LearnFrom(flags, in, *engine);
  if (!r.ok()) return Fail(r.status());
  if (!r->proposer_error.empty()) {
    std::cerr << "flashsynth: the neural proposer failed (" << r->proposer_error
              << "); the symbolic engine's programs stand\n";
  }
  if (!r->ok()) return ReportFailure(flags, in, *r, start);

  const Outcome o = Tally(task, r->best(), synth::Fill(*r, in.rows_to_fill));
  std::cerr << "program: " << o.program.ToString() << "\n";
  if (r->timed_out) {
    std::cerr << "flashsynth: the time budget ran out; this is the best program found so far\n";
  }
  Json typo = ReportTypo(flags, in, *r);
  ReportRows(flags, o);
  ReportDifference(in, *r);
  if (in.rows_to_fill.empty()) std::cerr << "nothing to fill: every row has an output\n";
  std::cerr << r->examples_used << " example(s) used; " << o.filled_rows << " row(s) filled; "
            << o.ambiguous_lines.size() << " ambiguous; " << o.no_output_lines.size()
            << " with no output";
  if (!typo.is_null()) std::cerr << "; suspected typo on line " << typo["line"].get<int>();
  std::cerr << "\n";
  if (!flags.json) return Emit(flags, dsl::FormatTaskCsv(task, CsvOutputs(o)));
  Json j = LearnedJson(task, in, o, *r, std::move(typo), start);
  j["engine"] = EngineJson(*engine);
  return Emit(flags, j.dump(2) + "\n");
}

int Run(const Flags& flags) {
  const absl::Time start = absl::Now();
  if (!flags.output_file.empty() && flags.input != "-" && io::SameFile(flags.input, flags.output_file)) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat("-o ", flags.output_file, " is the input file; refusing to overwrite it")));
  }
  absl::StatusOr<dsl::Task> task = ReadTask(flags);
  if (!task.ok()) return Fail(task.status());
  if (!flags.program_text.empty() || !flags.program_file.empty()) return RunGiven(flags, *task);
  return RunLearn(flags, *task, start);
}

constexpr char kDescription[] =
    "flashsynth: fills a spreadsheet column by example.\n"
    "\n"
    "Reads a CSV table with a header row. The output column is the last unless\n"
    "--output-column names it; the other columns are the inputs x1..xN. Rows whose\n"
    "output cell is set are examples; flashsynth learns a program from them and\n"
    "fills the rows whose output cell is empty. With --program or --program-file it\n"
    "runs the given program instead, checking it on the examples.\n"
    "\n"
    "stdout: the completed CSV (same header, rows and order), or with --json one\n"
    "JSON object: program, ast, rows (line, inputs, example or output, confidence,\n"
    "ambiguous, alternatives), ambiguous_lines, alternatives (other programs, their\n"
    "scores, and differs_on: inputs on which each gives another output than the\n"
    "program, a row to fill or one the Z3 solver built), suspected_typo, timing,\n"
    "examples_used, search.\n"
    "stderr: the program, suspected typos, ambiguous rows, an input on which a\n"
    "close alternative differs, and a one-line summary.\n"
    "\n"
    "With at least 4 examples and no program fitting all, one example may be set\n"
    "aside as a suspected typo (reported by line); --strict turns that off.\n"
    "\n"
    "Engines: symbolic (deductive search), neural (the RobustFill model alone) or\n"
    "hybrid (the model ranks the symbolic candidates when they fill some row\n"
    "differently, and proposes when the search finds none). The default is hybrid\n"
    "when a model file (--model, else $FLASHSYNTH_MODEL, else the shipped\n"
    "neural/models/robustfill.fsnn) and the model plugin are there, else symbolic,\n"
    "with a note on stderr. The model (LibTorch) is loaded only when needed.\n"
    "\n"
    "Exit status: 0 success (also when there is nothing to fill);\n"
    "  1 no program fits the examples (the conflicting ones are named by line),\n"
    "    the search timed out without a program, or a given program contradicts\n"
    "    an example; nothing is written;\n"
    "  2 bad input or usage: malformed CSV (line and column), missing output column,\n"
    "    no examples, bytes that are not UTF-8, an empty file, a bad program.";

}  // namespace
}  // namespace flashsynth::cli

int main(int argc, char** argv) {
  flashsynth::cli::Flags flags;
  CLI::App app{flashsynth::cli::kDescription};
  app.add_option("FILE.csv", flags.input, "the table to fill ('-' for standard input)")->required();
  CLI::Option* program =
      app.add_option("--program", flags.program_text, "run this program (DSL text form, docs/dsl.md) instead of learning one");
  CLI::Option* program_file =
      app.add_option("--program-file", flags.program_file, "run the program in this file (text or JSON form) instead of learning one");
  program->excludes(program_file);
  app.add_option("--output-column", flags.output_column,
                 "the output column: a header name or a 1-based number (default: the last)");
  app.add_option("-o,--output", flags.output_file,
                 "write the CSV (or JSON) here atomically instead of to stdout; never the input file");
  app.add_flag("--json", flags.json, "print one JSON object instead of the CSV");
  CLI::Option* strict = app.add_flag(
      "--strict", flags.strict, "fit every example: never set one aside as a suspected typo");
  CLI::Option* timeout =
      app.add_option("--timeout", flags.timeout_seconds, "the search's time budget in seconds")
          ->capture_default_str()
          ->check(CLI::Validator(
              [](const std::string& text) -> std::string {
                double seconds = 0;
                return absl::SimpleAtod(text, &seconds) && seconds > 0 && std::isfinite(seconds)
                           ? ""
                           : "a positive number of seconds, not " + text;
              },
              "SECONDS > 0"));
  CLI::Option* alternatives =
      app.add_option("--alternatives", flags.alternatives,
                     "how many distinct programs to rank (the best and N-1 alternatives)")
          ->capture_default_str()
          ->check(CLI::Range(1, 1000));
  CLI::Option* no_solver = app.add_flag(
      "--no-solver", flags.no_solver,
      "do not ask the Z3 solver to tell the alternatives apart when no row to fill does");
  CLI::Option* engine =
      app.add_option("--engine", flags.engine,
                     "symbolic, neural (the RobustFill model alone) or hybrid (both, one ranking); "
                     "default: hybrid when the model and its plugin are there, else symbolic with a note on stderr")
          ->check(CLI::IsMember({"auto", "symbolic", "neural", "hybrid"}));
  CLI::Option* model = app.add_option(
      "--model", flags.model,
      "the RobustFill model file (default: $FLASHSYNTH_MODEL, else the shipped neural/models/robustfill.fsnn)");
  CLI::Option* beam = app.add_option("--beam", flags.beam, "the neural proposer's beam size")
                          ->capture_default_str()
                          ->check(CLI::Range(1, 1000));
  for (CLI::Option* learn_only : {strict, timeout, alternatives, no_solver, engine, model, beam}) {
    learn_only->excludes(program)->excludes(program_file);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : flashsynth::cli::kExitBadInput;
  }
  return flashsynth::cli::Run(flags);
}
