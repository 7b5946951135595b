// flashsynth-bench: runs the synthesizer over benchmark suites and reports
// how many tasks it solves, how fast, and with what programs.
//
// Each task is a SyGuS PBE problem (.sl) or a CSV of examples (.csv). In
// consistent mode the learner sees every example and a task counts as solved
// only when its program, run here by the interpreter, reproduces all of
// them. In generalize mode (generalize@k) it sees the first k and must get
// every other row right. The learner's word is never taken: every program is
// checked by dsl::Evaluate().
//
// Tasks run in parallel, each with LearnOptions::time_budget = --timeout. A
// watchdog (the main thread) sets a task's cancel flag at twice its budget,
// and gives up on a task that still runs one more budget later (at least
// kMinGraceSeconds): the task is reported as a timeout, a fresh worker takes
// its place, and the process ends with _Exit() once the reports are written
// so that the stuck thread cannot hold it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "benchmarks/bench_report.h"
#include "benchmarks/sygus.h"
#include "dsl/interpreter.h"
#include "dsl/status_macros.h"
#include "dsl/task.h"
#include "io/command_line.h"
#include "io/files.h"
#include "io/parallel.h"
#include "io/progress.h"
#include "nlohmann/json.hpp"
#include "synth/synthesizer.h"
#include "synth/hybrid/neural_proposer.h"

namespace flashsynth::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kExitOk = 0;
constexpr int kExitWriteFailed = 1;
constexpr int kExitBadUsage = 2;
constexpr size_t kMaxTaskBytes = size_t{64} << 20;
constexpr size_t kMaxListBytes = size_t{16} << 20;
constexpr size_t kMaxModelBytes = size_t{1} << 30;
// An abandoned task is given at least this long after its cancel flag.
constexpr double kMinGraceSeconds = 2;
// Outputs longer than this are cut in reasons.
constexpr size_t kMaxQuotedChars = 60;

enum class Format { kAuto, kSl, kCsv };

struct Flags {
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string list;
  std::string mode = "consistent";
  int k = 3;
  int min_examples = 6;
  double timeout_seconds = 10;
  int jobs = 0;  // 0: one per core
  std::string json_file;
  std::string markdown_file;
  bool strict = false;
  std::string engine = "symbolic";
  std::string model;
  int beam = 100;
  double neural_weight = -1;  // < 0: LearnOptions' default
};

// Proposers for the neural and hybrid engines, one per job: a model serves
// one search at a time.
class ProposerPool {
 public:
  void Add(std::unique_ptr<synth::ProgramProposer> p) {
    free_.push_back(p.get());
    owned_.push_back(std::move(p));
  }
  synth::ProgramProposer* Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    freed_.wait(lock, [&] { return !free_.empty(); });
    synth::ProgramProposer* p = free_.back();
    free_.pop_back();
    return p;
  }
  void Release(synth::ProgramProposer* p) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(p);
    }
    freed_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<synth::ProgramProposer*> free_;
  std::vector<std::unique_ptr<synth::ProgramProposer>> owned_;
};

// One task to run.
struct TaskSpec {
  std::string name;
  std::string path;
  Format format = Format::kAuto;  // kSl or kCsv once collected
};

// A task's examples, whichever file they came from.
struct LoadedTask {
  std::vector<synth::Example> examples;
  std::optional<std::string> skip_reason;  // e.g. a non-string signature
};

// ---------------------------------------------------------------------------
// Collecting the tasks.

bool HasExtension(const fs::path& p, std::string_view ext) { return p.extension() == ext; }

// The files of a folder, sorted: its .sl files when it has any (or with
// --format sl), else its .csv files.
absl::StatusOr<std::vector<TaskSpec>> TasksInFolder(const fs::path& dir, Format format) {
  std::vector<fs::path> sl, csv;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    if (HasExtension(e.path(), ".sl")) sl.push_back(e.path());
    if (HasExtension(e.path(), ".csv")) csv.push_back(e.path());
  }
  if (ec) return absl::InvalidArgumentError(absl::StrCat(dir.string(), ": ", ec.message()));
  const bool use_sl = format == Format::kSl || (format == Format::kAuto && !sl.empty());
  std::vector<fs::path>& files = use_sl ? sl : csv;
  if (files.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir.string(), ": no ", format == Format::kAuto ? ".sl or .csv" : use_sl ? ".sl" : ".csv",
                     " files"));
  }
  std::sort(files.begin(), files.end());
  std::vector<TaskSpec> tasks;
  for (const fs::path& f : files) {
    tasks.push_back({f.stem().string(), f.string(), use_sl ? Format::kSl : Format::kCsv});
  }
  return tasks;
}

absl::StatusOr<TaskSpec> TaskOfFile(const fs::path& file, Format format, std::string name) {
  if (!fs::is_regular_file(file)) {
    return absl::InvalidArgumentError(absl::StrCat(file.string(), ": no such file"));
  }
  if (format == Format::kAuto) {
    if (HasExtension(file, ".sl")) {
      format = Format::kSl;
    } else if (HasExtension(file, ".csv")) {
      format = Format::kCsv;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(file.string(), ": neither .sl nor .csv; say which with --format"));
    }
  }
  if (name.empty()) name = file.stem().string();
  return TaskSpec{std::move(name), file.string(), format};
}

// The tasks of a subset list such as benchmarks/subsets/bustle89.tsv: a TSV
// whose header names a `file` column (and maybe `name`); files are relative
// to the folder that holds the list's folder (benchmarks/). With --format
// csv the listed file's sibling .csv is used.
absl::StatusOr<std::vector<TaskSpec>> TasksInList(const std::string& list_path, Format format) {
  FS_ASSIGN_OR_RETURN(std::string text, io::ReadFile(list_path, kMaxListBytes));
  const fs::path base = fs::absolute(fs::path(list_path)).parent_path().parent_path();
  std::vector<std::vector<std::string>> rows;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    rows.push_back(absl::StrSplit(line, '\t'));
  }
  if (rows.empty()) return absl::InvalidArgumentError(absl::StrCat(list_path, ": empty list"));
  const std::vector<std::string>& header = rows[0];
  const auto column = [&](std::string_view name) -> int {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  const int file_column = column("file");
  const int name_column = column("name");
  if (file_column < 0) {
    return absl::InvalidArgumentError(absl::StrCat(list_path, ": the header has no `file` column"));
  }
  std::vector<TaskSpec> tasks;
  for (size_t r = 1; r < rows.size(); ++r) {
    if (static_cast<int>(rows[r].size()) <= file_column) {
      return absl::InvalidArgumentError(
          absl::StrCat(list_path, ": row ", r + 1, " has no `file` cell"));
    }
    fs::path file = base / rows[r][file_column];
    if (format == Format::kCsv) file.replace_extension(".csv");
    if (format == Format::kSl) file.replace_extension(".sl");
    const std::string name =
        name_column >= 0 && static_cast<int>(rows[r].size()) > name_column ? rows[r][name_column] : "";
    absl::StatusOr<TaskSpec> task = TaskOfFile(file, format, name);
    if (!task.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(list_path, ": row ", r + 1, ": ", task.status().message()));
    }
    tasks.push_back(*std::move(task));
  }
  return tasks;
}

absl::StatusOr<std::vector<TaskSpec>> CollectTasks(const Flags& flags, Format format) {
  std::vector<TaskSpec> tasks;
  for (const std::string& path : flags.paths) {
    if (fs::is_directory(path)) {
      FS_ASSIGN_OR_RETURN(std::vector<TaskSpec> more, TasksInFolder(path, format));
      tasks.insert(tasks.end(), more.begin(), more.end());
    } else {
      FS_ASSIGN_OR_RETURN(TaskSpec task, TaskOfFile(path, format, ""));
      tasks.push_back(std::move(task));
    }
  }
  if (!flags.list.empty()) {
    FS_ASSIGN_OR_RETURN(std::vector<TaskSpec> more, TasksInList(flags.list, format));
    tasks.insert(tasks.end(), more.begin(), more.end());
  }
  if (tasks.empty()) return absl::InvalidArgumentError("no tasks: give a PATH or --list");
  return tasks;
}

// ---------------------------------------------------------------------------
// Loading one task.

// The signature in a CSV's sidecar (NAME.json, benchmarks/README.md) when it
// says the task is not all strings; nullopt when it is, or there is none.
std::optional<std::string> NonStringSidecar(const fs::path& csv_path) {
  fs::path sidecar = csv_path;
  sidecar.replace_extension(".json");
  if (!fs::is_regular_file(sidecar)) return std::nullopt;
  absl::StatusOr<std::string> text = io::ReadFile(sidecar.string(), kMaxTaskBytes);
  if (!text.ok()) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("all_string") || !j["all_string"].is_boolean() ||
      j["all_string"].get<bool>()) {
    return std::nullopt;
  }
  std::string signature = "(";
  if (j.contains("params") && j["params"].is_array()) {
    for (size_t i = 0; i < j["params"].size(); ++i) {
      const nlohmann::json& p = j["params"][i];
      absl::StrAppend(&signature, i == 0 ? "" : ",",
                      p.is_object() && p.contains("sort") && p["sort"].is_string()
                          ? p["sort"].get<std::string>()
                          : "?");
    }
  }
  absl::StrAppend(&signature, ")->",
                  j.contains("return_sort") && j["return_sort"].is_string()
                      ? j["return_sort"].get<std::string>()
                      : "?");
  return signature;
}

absl::StatusOr<LoadedTask> LoadTask(const TaskSpec& spec) {
  FS_ASSIGN_OR_RETURN(std::string text, io::ReadFile(spec.path, kMaxTaskBytes));
  LoadedTask loaded;
  if (spec.format == Format::kSl) {
    FS_ASSIGN_OR_RETURN(SygusTask task, ParseSygus(text));
    if (!task.all_string) {
      loaded.skip_reason = absl::StrCat("non-string signature ", task.Signature());
      return loaded;
    }
    for (SygusExample& e : task.examples) {
      loaded.examples.push_back({std::move(e.inputs), std::move(e.output)});
    }
    return loaded;
  }
  if (std::optional<std::string> signature = NonStringSidecar(spec.path)) {
    loaded.skip_reason = absl::StrCat("non-string signature ", *signature, " (sidecar .json)");
    return loaded;
  }
  dsl::TaskCsvOptions options;
  options.empty_output_means_fill = false;  // benchmark CSVs hold examples only
  FS_ASSIGN_OR_RETURN(dsl::Task task, dsl::ParseTaskCsv(text, options));
  for (dsl::TaskRow& row : task.rows) {
    loaded.examples.push_back({std::move(row.inputs), row.output.value_or("")});
  }
  if (loaded.examples.empty()) return absl::InvalidArgumentError("no examples");
  return loaded;
}

// ---------------------------------------------------------------------------
// Running one task.

std::string Quote(const std::optional<std::string>& s) {
  if (!s) return "no output";
  if (s->size() <= kMaxQuotedChars) return absl::StrCat("\"", *s, "\"");
  return absl::StrCat("\"", s->substr(0, kMaxQuotedChars), "...\"");
}

// The first of `rows` (indices into `examples`) that `program` gets wrong,
// as a reason; counts the right ones into `correct`.
std::optional<std::string> Check(const dsl::Program& program,
                                 const std::vector<synth::Example>& examples,
                                 const std::vector<int>& rows, std::string_view what,
                                 int* correct) {
  std::optional<std::string> first_miss;
  *correct = 0;
  for (int i : rows) {
    std::optional<std::string> out = dsl::Evaluate(program, examples[i].inputs);
    if (out == examples[i].output) {
      ++*correct;
    } else if (!first_miss) {
      first_miss = absl::StrCat(ToAbsl(what), " row ", i + 1, ": expected ",
                                Quote(examples[i].output), ", the program gives ", Quote(out));
    }
  }
  return first_miss;
}

std::vector<int> Range(int from, int to) {
  std::vector<int> v;
  for (int i = from; i < to; ++i) v.push_back(i);
  return v;
}

TaskRecord RunTask(const TaskSpec& spec, const RunConfig& config,
                   const std::atomic<bool>* cancel, ProposerPool* proposers) {
  TaskRecord record;
  record.name = spec.name;
  record.file = spec.path;
  record.mode = config.mode;
  absl::StatusOr<LoadedTask> loaded = LoadTask(spec);
  if (!loaded.ok()) {
    record.status = TaskStatus::kError;
    record.reason = std::string(loaded.status().message());
    return record;
  }
  const std::vector<synth::Example>& examples = loaded->examples;
  const int n = static_cast<int>(examples.size());
  record.examples = n;
  if (loaded->skip_reason) {
    record.status = TaskStatus::kSkipped;
    record.reason = *loaded->skip_reason;
    return record;
  }
  const bool generalize = config.mode == Mode::kGeneralize;
  if (generalize && (n < config.min_examples || n <= config.k)) {
    record.status = TaskStatus::kSkipped;
    record.reason = absl::StrCat("too few examples (", n, "; generalize needs at least ",
                                 std::max(config.min_examples, config.k + 1), ")");
    return record;
  }

  const int used = generalize ? config.k : n;
  const std::vector<synth::Example> train(examples.begin(), examples.begin() + used);
  std::vector<dsl::Row> held_out_inputs;
  for (int i = used; i < n; ++i) held_out_inputs.push_back(examples[i].inputs);
  record.examples_used = used;
  record.held_out = n - used;

  synth::LearnOptions options;
  options.time_budget = absl::Seconds(config.timeout_seconds);
  options.cancel = cancel;
  options.tolerate_noise = config.tolerate_noise;
  synth::ProgramProposer* proposer = nullptr;
  if (config.engine != "symbolic") {
    proposer = proposers->Acquire();
    options.proposer = proposer;
    options.engine = config.engine == "neural" ? synth::LearnOptions::Engine::kNeural
                                               : synth::LearnOptions::Engine::kHybrid;
    options.neural_weight = config.neural_weight;
  }
  const Clock::time_point start = Clock::now();
  absl::StatusOr<synth::LearnResult> result = synth::Learn(train, held_out_inputs, options);
  if (proposer != nullptr) proposers->Release(proposer);
  record.seconds = std::chrono::duration<double>(Clock::now() - start).count();

  if (!result.ok()) {
    const bool cancelled = result.status().code() == absl::StatusCode::kCancelled;
    record.status = cancelled ? TaskStatus::kTimeout : TaskStatus::kError;
    record.reason = cancelled ? "cancelled by the watchdog at twice the budget"
                              : std::string(result.status().message());
    return record;
  }
  record.model_consulted = result->proposer_consulted;
  if (result->suspected_typo) record.suspected_typo_row = *result->suspected_typo + 1;
  if (!result->ok()) {
    switch (result->failure) {
      case synth::Failure::kConflictingExamples:
        record.status = TaskStatus::kConflicting;
        break;
      case synth::Failure::kTimedOut:
        record.status = TaskStatus::kTimeout;
        break;
      case synth::Failure::kNoProgram:
      case synth::Failure::kNone:  // no program and no reason: count it as none found
        record.status = TaskStatus::kNoProgram;
        break;
    }
    record.reason = result->failure_message;
    for (int i : result->conflicting_examples) record.failure_rows.push_back(i + 1);
    return record;
  }

  const dsl::Program& program = result->best();
  record.program = program.ToString();
  record.program_size = program.size();
  // Training rows: all of them, but for a typo the learner set aside (only
  // when noise tolerance was asked for).
  std::vector<int> train_rows;
  for (int i = 0; i < used; ++i) {
    if (!(config.tolerate_noise && result->suspected_typo == i)) train_rows.push_back(i);
  }
  int train_correct = 0;
  std::optional<std::string> miss =
      Check(program, examples, train_rows, generalize ? "training" : "example", &train_correct);
  std::optional<std::string> held_out_miss =
      Check(program, examples, Range(used, n), "held-out", &record.held_out_correct);
  if (!miss) miss = held_out_miss;
  record.status = miss ? TaskStatus::kWrong : TaskStatus::kSolved;
  if (miss) {
    record.reason = *miss;
  } else if (result->timed_out) {
    record.reason = "the budget ran out; best program found by then";
  }
  return record;
}

// ---------------------------------------------------------------------------
// The pool and its watchdog.

// The record of a task the watchdog gave up on after `seconds`.
TaskRecord AbandonedRecord(const TaskSpec& spec, const RunConfig& config, double seconds) {
  TaskRecord r;
  r.name = spec.name;
  r.file = spec.path;
  r.mode = config.mode;
  r.status = TaskStatus::kTimeout;
  r.seconds = seconds;
  r.reason = "abandoned: the learner ignored the cancel flag";
  return r;
}

// The progress line's text: a bar, the counts, the time.
std::string ProgressText(size_t done, size_t total, int solved, double seconds) {
  constexpr size_t kWidth = 30;
  const size_t filled = kWidth * done / std::max<size_t>(total, 1);
  return absl::StrFormat("[%s%s] %d/%d tasks, %d solved, %.0f s", std::string(filled, '#'),
                         std::string(kWidth - filled, '.'), done, total, solved, seconds);
}

// Runs every task on `config.jobs` threads (io/parallel.h), the calling
// thread as the watchdog; returns the records in task order and whether
// some task had to be abandoned (its thread may still run).
std::pair<std::vector<TaskRecord>, bool> RunAll(const std::vector<TaskSpec>& tasks,
                                               const RunConfig& config, ProposerPool* proposers) {
  io::ProgressOptions shown;
  shown.terminal = io::StderrIsTerminal();  // elsewhere: no progress
  io::ProgressLine progress(std::cerr, tasks.size(), shown);
  const double cancel_after = 2 * config.timeout_seconds;
  const double abandon_after = cancel_after + std::max(config.timeout_seconds, kMinGraceSeconds);
  std::vector<TaskRecord> records(tasks.size());  // guarded by the pool's lock
  int solved = 0;                                 // likewise
  io::ParallelForOptions options;
  options.jobs = config.jobs;
  options.on_tick = [&](io::ParallelTick& tick) {
    for (const io::ParallelTick::Running& r : tick.running()) {
      if (r.seconds > cancel_after) tick.Cancel(r.index);
      if (r.seconds > abandon_after) {
        tick.Abandon(r.index);  // a fresh worker keeps --jobs of them busy
        records[r.index] = AbandonedRecord(tasks[r.index], config, r.seconds);
      }
    }
    progress.Update(tick.done(), ProgressText(tick.done(), tasks.size(), solved, progress.seconds()));
  };
  const size_t abandoned = io::ParallelFor(tasks.size(), options, [&](const io::WorkItem& item) {
    TaskRecord record = RunTask(tasks[item.index], config, item.cancel, proposers);
    // Dropped when the watchdog gave up on this task: its record stands.
    item.Commit([&] {
      solved += record.status == TaskStatus::kSolved;
      records[item.index] = std::move(record);
    });
  });
  progress.Finish();
  return {std::move(records), abandoned > 0};
}

// ---------------------------------------------------------------------------

absl::StatusOr<Format> ParseFormat(const std::string& text) {
  if (text == "auto") return Format::kAuto;
  if (text == "sl") return Format::kSl;
  if (text == "csv") return Format::kCsv;
  return absl::InvalidArgumentError(absl::StrCat("--format: auto, sl or csv, not ", text));
}

// One proposer per job, each with one LibTorch thread, each loading its
// model on first need (the hybrid engine needs it only where the symbolic
// candidates disagree); --engine neural loads them now, to fail early.
absl::Status LoadProposers(const Flags& flags, int jobs, ProposerPool* pool) {
  if (flags.model.empty()) return absl::InvalidArgumentError("--model is required");
  if (!io::FileExists(flags.model)) {
    return absl::NotFoundError(absl::StrCat(flags.model, ": cannot open (the model file)"));
  }
  for (int j = 0; j < jobs; ++j) {
    synth::NeuralProposerOptions options;
    options.plugin_path = synth::DefaultPluginPath();
    options.model_path = flags.model;
    options.read_model = [](const std::string& path) { return io::ReadFile(path, kMaxModelBytes); };
    options.num_threads = 1;
    options.beam_size = flags.beam;
    std::unique_ptr<synth::NeuralProposer> proposer = synth::MakeNeuralProposer(std::move(options));
    if (flags.engine == "neural") FS_RETURN_IF_ERROR(proposer->Load());
    pool->Add(std::move(proposer));
  }
  return absl::OkStatus();
}

int Run(const Flags& flags) {
  absl::StatusOr<Format> format = ParseFormat(flags.format);
  absl::StatusOr<std::vector<TaskSpec>> tasks =
      format.ok() ? CollectTasks(flags, *format) : absl::StatusOr<std::vector<TaskSpec>>(format.status());
  if (!tasks.ok()) {
    std::cerr << "flashsynth-bench: " << tasks.status().message() << "\n";
    return kExitBadUsage;
  }

  RunConfig config;
  config.mode = flags.mode == "generalize" ? Mode::kGeneralize : Mode::kConsistent;
  config.k = flags.k;
  config.min_examples = flags.min_examples;
  config.timeout_seconds = flags.timeout_seconds;
  config.host_cores = static_cast<int>(std::thread::hardware_concurrency());
  config.jobs = flags.jobs > 0 ? flags.jobs : std::max(1, config.host_cores);
  config.strict = flags.strict;
  // Consistent mode must fit every example, so it never sets one aside.
  config.tolerate_noise = config.mode == Mode::kGeneralize && !flags.strict;
  config.format = flags.format;
  config.paths = flags.paths;
  config.list = flags.list;
  if (const char* commit = std::getenv("FLASHSYNTH_COMMIT")) config.commit = commit;

  config.engine = flags.engine;
  ProposerPool proposers;
  if (flags.engine != "symbolic") {
    config.model = flags.model;
    config.beam = flags.beam;
    config.neural_weight = flags.neural_weight >= 0 ? flags.neural_weight : synth::LearnOptions().neural_weight;
    absl::Status loaded = LoadProposers(flags, config.jobs, &proposers);
    if (!loaded.ok()) {
      std::cerr << "flashsynth-bench: --engine " << flags.engine << ": " << loaded.message() << "\n";
      return kExitBadUsage;
    }
  }
  auto [records, any_abandoned] = RunAll(*tasks, config, &proposers);
  const Summary summary = Summarize(records);

  int code = kExitOk;
  const auto write = [&](const std::string& path, const std::string& text) {
    absl::Status written = io::WriteFileAtomically(path, text);
    if (!written.ok()) {
      std::cerr << "flashsynth-bench: " << written.message() << "\n";
      code = kExitWriteFailed;
    }
  };
  if (!flags.json_file.empty()) {
    write(flags.json_file, ReportToJson(config, summary, records).dump(2) + "\n");
  }
  const std::string markdown = ReportToMarkdown(config, summary, records);
  if (!flags.markdown_file.empty()) {
    write(flags.markdown_file, markdown);
  } else if (flags.json_file.empty()) {
    std::cout << markdown << std::flush;
  }
  std::cerr << "flashsynth-bench: " << SummaryLine(summary) << "\n" << std::flush;
  if (any_abandoned) {
    // A worker thread is stuck in Learn(); do not wait for it.
    std::fflush(nullptr);
    std::_Exit(code);
  }
  return code;
}

constexpr char kDescription[] =
    "flashsynth-bench: runs the synthesizer over benchmark tasks and reports the results.\n"
    "\n"
    "PATH is a .sl or .csv task or a folder of them (its .sl files when it has any,\n"
    "else its .csv files). --list reads a subset list (benchmarks/subsets/*.tsv).\n"
    "With neither --json nor --markdown the Markdown report goes to stdout.\n"
    "\n"
    "Statuses: solved (program checked on every example, or every held-out row),\n"
    "conflicting, no_program, timeout, wrong, skipped (non-string signature, too\n"
    "few examples), error (unreadable or malformed task).\n"
    "\n"
    "Exit status: 0 the run completed (whatever was solved); 1 a report could not\n"
    "be written; 2 bad usage or a missing path.";

}  // namespace
}  // namespace flashsynth::bench

int main(int argc, char** argv) {
  flashsynth::bench::Flags flags;
  CLI::App app{flashsynth::bench::kDescription};
  app.add_option("PATH", flags.paths, "task files (.sl, .csv) or folders of them");
  app.add_option("--format", flags.format, "how to read the tasks")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "sl", "csv"}));
  app.add_option("--list", flags.list,
                 "a subset list (TSV with a `file` column, relative to the list's parent folder)");
  app.add_option("--mode", flags.mode,
                 "consistent: learn from all examples; generalize: learn from the first k, "
                 "check the others")
      ->capture_default_str()
      ->check(CLI::IsMember({"consistent", "generalize"}));
  app.add_option("--k", flags.k, "generalize: examples to learn from")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--min-examples", flags.min_examples,
                 "generalize: skip tasks with fewer examples")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--timeout", flags.timeout_seconds, "time budget per task, in seconds")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string {
            double seconds = 0;
            return absl::SimpleAtod(text, &seconds) && seconds > 0 && seconds <= 86400
                       ? ""
                       : "a number of seconds in (0, 86400], not " + text;
          },
          "SECONDS"));
  app.add_option("--engine", flags.engine, "symbolic, neural or hybrid (the last two need --model)")
      ->check(CLI::IsMember({"symbolic", "neural", "hybrid"}))
      ->capture_default_str();
  app.add_option("--model", flags.model, "the RobustFill model file (neural/models/robustfill.fsnn)");
  app.add_option("--beam", flags.beam, "the neural proposer's beam size")->capture_default_str()->check(CLI::Range(1, 1000));
  app.add_option("--neural-weight", flags.neural_weight,
                 "hybrid: weight of the model's log-likelihood in the ranking (default: the library's)")
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--jobs", flags.jobs, "tasks run in parallel (default: one per core)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--json", flags.json_file, "write the JSON report here (atomically)");
  app.add_option("--markdown", flags.markdown_file, "write the Markdown report here (atomically)");
  app.add_flag("--strict", flags.strict,
               "generalize: never set an example aside as a suspected typo "
               "(consistent mode never does)");
  if (std::optional<int> exit = flashsynth::io::ParseCommandLine(app, argc, argv)) return *exit;
  return flashsynth::bench::Run(flags);
}
