// neural/tools/eval_common.h: what flashsynth-neural-eval's kinds share
// (eval_command.h): their common flags, one model copy per job, the tasks
// of a folder fanned out over the copies with a progress line, the latency
// summary, and the JSON report.
//
// Tool code: prints to stderr (progress, failed tasks) and writes the
// report; nothing in the libraries depends on it.
#ifndef FLASHSYNTH_NEURAL_TOOLS_EVAL_COMMON_H_
#define FLASHSYNTH_NEURAL_TOOLS_EVAL_COMMON_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dsl/status_macros.h"
#include "io/files.h"
#include "neural/tools/task_folder.h"
#include "nlohmann/json.hpp"

namespace flashsynth::neural::internal {

// The largest model file an evaluation reads.
inline constexpr size_t kMaxModelBytes = size_t{4} << 30;

// The flags of every kind.
struct ModelFlags {
  std::string model;      // --model, required
  int threads = 1;        // --threads: LibTorch CPU threads
  std::string device = "cpu";
  std::string json_file;  // --json; empty: none
};

// The flags of the kinds that read a folder of tasks.
struct TaskFlags {
  int observed = 4;  // rows the model sees; the rest are held out
  int limit = -1;    // the first N tasks by file name; -1: all
  int jobs = 1;      // tasks in parallel, one model copy each
};

// Adds --model (with `model_help`), --threads, --device and --json.
void AddModelFlags(CLI::App* app, ModelFlags* flags, const std::string& model_help);
// Adds --observed, --limit and --jobs.
void AddTaskFlags(CLI::App* app, TaskFlags* flags);

// Reads the model file at `path` once (at most `max_bytes`) and makes
// `copies` models of its bytes with `load(bytes, copy)`; the first error.
template <typename Model>
absl::StatusOr<std::vector<std::unique_ptr<Model>>> LoadCopies(
    const std::string& path, size_t max_bytes, int copies,
    const std::function<absl::StatusOr<std::unique_ptr<Model>>(const std::string& bytes, int copy)>&
        load) {
  FS_ASSIGN_OR_RETURN(std::string bytes, io::ReadFile(path, max_bytes));
  std::vector<std::unique_ptr<Model>> models;
  for (int j = 0; j < copies; ++j) {
    FS_ASSIGN_OR_RETURN(std::unique_ptr<Model> m, load(bytes, j));
    models.push_back(std::move(m));
  }
  return models;
}

// The stderr line before a folder run: "model M: DESCRIPTION; N tasks from
// DIR, J job(s), T LibTorch thread(s)".
std::string FolderBanner(const std::string& model, const std::string& description, size_t tasks,
                         const std::string& dir, int jobs);

// How one task went, for the progress line.
struct TaskProgress {
  std::string error;  // non-empty: named on stderr as "NAME: ERROR"
  bool good = false;  // counted as `good_word` in the progress line
};

// Runs `run(task, worker)` for every task on `jobs` threads (worker
// 0..jobs-1: the model copy to use; each task's result is the callback's to
// store), with a progress line on stderr (io/progress.h): "LABEL12/100
// tasks, 3 GOOD_WORD (25.0%), 4.2 s", redrawn on a terminal, else every 50
// tasks and at the end.
void RunTasks(const std::vector<TaskInput>& tasks, int jobs, const std::string& label,
              const std::string& good_word,
              const std::function<TaskProgress(size_t task, int worker)>& run);

// n / of, 0 when of is 0.
double Rate(int n, int of);

// Seconds per task.
struct Latency {
  double median = 0, p90 = 0, mean = 0, max = 0, total = 0;
};
Latency SummarizeLatency(const std::vector<double>& seconds);
// "median 0.012 s, p90 0.030 s, mean 0.015 s, max 0.100 s".
std::string LatencyText(const Latency& l);
// {"median", "p90", "mean", "max", "total"}.
nlohmann::ordered_json LatencyJson(const Latency& l);

// Writes `report` to `path` atomically, indented by `indent`, with a final
// newline; invalid UTF-8 in strings (model output) is replaced, not fatal.
template <typename Json>
absl::Status WriteJsonReport(const std::string& path, const Json& report, int indent) {
  return io::WriteFileAtomically(
      path, report.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_TOOLS_EVAL_COMMON_H_
