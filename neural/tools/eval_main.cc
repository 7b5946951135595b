// flashsynth-neural-eval: how often a trained RobustFill model's beam search
// (NeuralProposer, DP-Beam) solves a folder of tasks, and how fast.
//
//   flashsynth-neural-eval --model M --conformance ../shared/benchmarks/robustfill-conformance
//       share of the 1000 tasks (4 examples each) where the search finds a
//       program consistent with every example, at beam 10 and at beam 100
//   flashsynth-neural-eval --model M --eval-set evalset-7
//       (written by flashsynth-make-evalset) generalization accuracy at beam
//       100: the program learnt from the first 4 rows must reproduce all 6
//       others exactly (RobustFill's protocol), and consistency as above
//
// Options: --beam N (repeatable), --limit N (first N tasks), --threads N
// (LibTorch CPU threads), --jobs N (tasks in parallel, one model copy each),
// --task-seconds S (per-task deadline), --device, --json FILE. Progress goes
// to stderr, the summary to stdout. A task that cannot be read (malformed
// CSV) counts as unsolved and is named in the summary; cells may hold any
// UTF-8 and be of any length. Exit status: 0 when the run completed, 1 when
// the model or the folder cannot be read, 2 for bad usage.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "dsl/interpreter.h"
#include "dsl/status_macros.h"
#include "neural/device.h"
#include "neural/eval_set.h"
#include "neural/tools/task_folder.h"
#include "io/files.h"
#include "neural/robustfill/proposer.h"
#include "nlohmann/json.hpp"

namespace flashsynth::neural {
namespace {

using internal::Percentile;
using internal::TaskInput;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadUsage = 2;

struct Flags {
  std::string model;
  std::string conformance;
  std::string eval_set;
  std::vector<int> beams;
  int observed = 4;
  int max_tokens = 100;
  int model_examples = 0;
  int threads = 1;
  int jobs = 1;
  int limit = -1;
  double task_seconds = 0;
  bool no_guidance = false;
  std::string device = "cpu";
  std::string json_file;
};

struct TaskResult {
  std::string name;
  std::string error;         // non-empty: the task could not be read or searched
  bool found = false;        // a program consistent with every observed row
  int held_out = 0;          // held-out rows
  int held_out_right = 0;    // ... that the best program reproduces
  bool timed_out = false;
  int decoder_steps = 0;
  double seconds = 0;
  std::string program;       // the best program, when found
  double log_likelihood = 0;

  bool generalizes() const { return found && held_out > 0 && held_out_right == held_out; }
};

struct Summary {
  int beam = 0;
  int tasks = 0, errors = 0, found = 0, generalized = 0, timed_out = 0, with_held_out = 0;
  double average_example_accuracy = 0;  // mean share of held-out rows right (RobustFill 6.2)
  double median = 0, p90 = 0, mean = 0, max = 0, total = 0;  // seconds per task
};

// `task_seconds` > 0: the search's deadline, counted from its start.
TaskResult RunTask(const NeuralProposer& proposer, const TaskInput& input,
                   const ProposeOptions& options, double task_seconds) {
  TaskResult r;
  r.name = input.name;
  if (!input.task.ok()) {
    r.error = std::string(input.task.status().message());
    return r;
  }
  const LabeledTask& task = *input.task;
  r.held_out = static_cast<int>(task.held_out.inputs.size());
  ProposeOptions o = options;
  if (task_seconds > 0) o.deadline = absl::Now() + absl::Seconds(task_seconds);
  absl::StatusOr<Proposals> found = proposer.Propose(task.observed, o);
  if (!found.ok()) {
    r.error = std::string(found.status().message());
    return r;
  }
  r.seconds = found->seconds;
  r.timed_out = found->timed_out;
  r.decoder_steps = found->decoder_steps;
  if (found->programs.empty()) return r;
  // RobustFill: the highest-scoring program consistent with the observed rows.
  const Proposal& best = found->programs.front();
  r.found = true;
  r.program = best.program.ToString();
  r.log_likelihood = best.log_likelihood;
  for (size_t i = 0; i < task.held_out.inputs.size(); ++i) {
    r.held_out_right += dsl::Evaluate(best.program, task.held_out.inputs[i]) == task.held_out.outputs[i];
  }
  return r;
}

Summary Summarize(int beam, const std::vector<TaskResult>& results) {
  Summary s;
  s.beam = beam;
  std::vector<double> seconds;
  double accuracy_sum = 0;
  for (const TaskResult& r : results) {
    ++s.tasks;
    s.errors += !r.error.empty();
    s.found += r.found;
    s.timed_out += r.timed_out;
    if (r.held_out > 0 || !r.error.empty()) {
      // A task that could not be read counts against generalization too.
      ++s.with_held_out;
      s.generalized += r.generalizes();
      if (r.held_out > 0 && r.found) accuracy_sum += static_cast<double>(r.held_out_right) / r.held_out;
    }
    if (r.error.empty()) seconds.push_back(r.seconds);
  }
  s.average_example_accuracy = s.with_held_out == 0 ? 0 : accuracy_sum / s.with_held_out;
  s.median = Percentile(seconds, 50);
  s.p90 = Percentile(seconds, 90);
  for (double x : seconds) {
    s.total += x;
    s.max = std::max(s.max, x);
  }
  s.mean = seconds.empty() ? 0 : s.total / static_cast<double>(seconds.size());
  return s;
}

double Rate(int n, int of) { return of == 0 ? 0 : static_cast<double>(n) / of; }

std::string SummaryLine(const Summary& s, bool held_out) {
  std::string line = absl::StrFormat("beam %4d: found a consistent program for %d/%d tasks (%.1f%%)",
                                     s.beam, s.found, s.tasks, 100 * Rate(s.found, s.tasks));
  if (held_out) {
    absl::StrAppendFormat(&line, "; generalizes on %d/%d (%.1f%%), average-example accuracy %.1f%%",
                          s.generalized, s.with_held_out, 100 * Rate(s.generalized, s.with_held_out),
                          100 * s.average_example_accuracy);
  }
  absl::StrAppendFormat(&line, "; per task median %.3f s, p90 %.3f s, mean %.3f s, max %.3f s",
                        s.median, s.p90, s.mean, s.max);
  if (s.timed_out > 0) absl::StrAppendFormat(&line, "; %d hit --task-seconds", s.timed_out);
  if (s.errors > 0) absl::StrAppendFormat(&line, "; %d could not be run", s.errors);
  return line;
}

// Runs every task at `beam` on `proposers.size()` threads.
std::vector<TaskResult> RunBeam(const std::vector<std::unique_ptr<NeuralProposer>>& proposers,
                                const std::vector<TaskInput>& tasks, const ProposeOptions& options,
                                double task_seconds, bool tty) {
  std::vector<TaskResult> results(tasks.size());
  std::atomic<size_t> next{0};
  std::mutex mu;
  int done = 0, found = 0;
  const auto start = absl::Now();
  auto work = [&](const NeuralProposer& proposer) {
    for (size_t i; (i = next.fetch_add(1)) < tasks.size();) {
      results[i] = RunTask(proposer, tasks[i], options, task_seconds);
      std::lock_guard<std::mutex> lock(mu);
      ++done;
      found += results[i].found;
      if (!results[i].error.empty()) {
        std::cerr << (tty ? "\r\033[K" : "") << tasks[i].name << ": " << results[i].error << "\n";
      }
      if (tty || done % 50 == 0 || done == static_cast<int>(tasks.size())) {
        std::cerr << (tty ? "\r\033[K" : "")
                  << absl::StrFormat("beam %d: %d/%d tasks, %d found (%.1f%%), %.1f s", options.beam_size,
                                     done, tasks.size(), found, 100 * Rate(found, done),
                                     absl::ToDoubleSeconds(absl::Now() - start))
                  << (tty ? "" : "\n") << std::flush;
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t j = 1; j < proposers.size(); ++j) threads.emplace_back(work, std::cref(*proposers[j]));
  work(*proposers[0]);
  for (std::thread& t : threads) t.join();
  if (tty) std::cerr << "\n";
  return results;
}

nlohmann::ordered_json TaskJson(const TaskResult& r, bool held_out) {
  nlohmann::ordered_json j;
  j["name"] = r.name;
  if (!r.error.empty()) j["error"] = r.error;
  j["found"] = r.found;
  if (held_out) {
    j["generalizes"] = r.generalizes();
    j["held_out_right"] = r.held_out_right;
    j["held_out"] = r.held_out;
  }
  j["seconds"] = r.seconds;
  j["decoder_steps"] = r.decoder_steps;
  if (r.timed_out) j["timed_out"] = true;
  if (r.found) {
    j["program"] = r.program;
    j["log_likelihood"] = r.log_likelihood;
  }
  return j;
}

nlohmann::ordered_json SummaryJson(const Summary& s, bool held_out) {
  nlohmann::ordered_json j;
  j["beam"] = s.beam;
  j["tasks"] = s.tasks;
  j["errors"] = s.errors;
  j["found"] = s.found;
  j["found_rate"] = Rate(s.found, s.tasks);
  if (held_out) {
    j["generalized"] = s.generalized;
    j["generalization_rate"] = Rate(s.generalized, s.with_held_out);
    j["average_example_accuracy"] = s.average_example_accuracy;
  }
  j["timed_out"] = s.timed_out;
  j["seconds"] = {{"median", s.median}, {"p90", s.p90}, {"mean", s.mean}, {"max", s.max},
                  {"total", s.total}};
  return j;
}

absl::Status Run(const Flags& f, const std::string& command) {
  const bool conformance = !f.conformance.empty();
  const std::string dir = conformance ? f.conformance : f.eval_set;
  std::vector<int> beams = f.beams;
  if (beams.empty()) beams = conformance ? std::vector<int>{10, 100} : std::vector<int>{100};
  FS_ASSIGN_OR_RETURN(DeviceKind device, ParseDeviceKind(f.device));
  SetNumThreads(f.threads);
  FS_ASSIGN_OR_RETURN(std::vector<TaskInput> tasks, internal::ReadTaskFolder(dir, f.observed, f.limit));
  bool held_out = false;
  for (const TaskInput& t : tasks) held_out = held_out || (t.task.ok() && !t.task->held_out.inputs.empty());

  LoadOptions load;
  load.device = device;
  FS_ASSIGN_OR_RETURN(std::string bytes, io::ReadFile(f.model, size_t{4} << 30));
  std::vector<std::unique_ptr<NeuralProposer>> proposers;
  for (int j = 0; j < f.jobs; ++j) {
    FS_ASSIGN_OR_RETURN(std::unique_ptr<NeuralProposer> p, NeuralProposer::FromBytes(bytes, f.model, load));
    proposers.push_back(std::move(p));
  }
  std::cerr << "model " << f.model << ": " << proposers[0]->Describe() << "; " << tasks.size()
            << " tasks from " << dir << ", " << f.jobs << " job(s), " << NumThreads()
            << " LibTorch thread(s)\n";

  ProposeOptions options;
  options.max_tokens = f.max_tokens;
  options.execution_guided = !f.no_guidance;
  options.model_examples = f.model_examples;
  options.max_programs = 1;  // RobustFill: the best consistent program answers

  const bool tty = isatty(STDERR_FILENO) != 0;
  nlohmann::ordered_json report;
  report["tool"] = "flashsynth-neural-eval";
  report["command"] = command;
  report["model"] = f.model;
  report["model_description"] = proposers[0]->Describe();
  report["mode"] = conformance ? "conformance" : "eval-set";
  report["dir"] = dir;
  report["observed"] = f.observed;
  report["tasks"] = tasks.size();
  report["jobs"] = f.jobs;
  report["threads"] = NumThreads();
  report["device"] = std::string(DeviceKindName(proposers[0]->device()));
  report["max_tokens"] = f.max_tokens;
  report["execution_guided"] = !f.no_guidance;
  report["task_seconds"] = f.task_seconds;
  report["results"] = nlohmann::ordered_json::array();
  std::vector<std::string> lines;
  for (int beam : beams) {
    options.beam_size = beam;
    std::vector<TaskResult> results = RunBeam(proposers, tasks, options, f.task_seconds, tty);
    const Summary s = Summarize(beam, results);
    lines.push_back(SummaryLine(s, held_out));
    std::cerr << lines.back() << "\n";
    nlohmann::ordered_json j = SummaryJson(s, held_out);
    j["per_task"] = nlohmann::ordered_json::array();
    for (const TaskResult& r : results) j["per_task"].push_back(TaskJson(r, held_out));
    report["results"].push_back(std::move(j));
  }
  std::cout << "model " << f.model << " (" << proposers[0]->Describe() << ")\n"
            << (conformance ? "conformance " : "eval set ") << dir << ", " << tasks.size()
            << " tasks, " << f.observed << " observed rows\n";
  for (const std::string& line : lines) std::cout << line << "\n";
  if (!f.json_file.empty()) {
    FS_RETURN_IF_ERROR(io::WriteFileAtomically(f.json_file, report.dump(1) + "\n"));
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace flashsynth::neural

int main(int argc, char** argv) {
  using namespace flashsynth::neural;  // NOLINT: main only
  CLI::App app{"Evaluates a RobustFill model's beam search (DP-Beam) on a folder of tasks."};
  Flags f;
  app.add_option("--model", f.model, "Model file (flashsynth-train --save-model)")->required();
  auto* conf = app.add_option("--conformance", f.conformance,
                              "Folder of 4-example tasks (../shared/benchmarks/robustfill-conformance): "
                              "consistency at beams 10 and 100");
  auto* eval = app.add_option("--eval-set", f.eval_set,
                              "Folder from flashsynth-make-evalset: generalization at beam 100");
  conf->excludes(eval);
  eval->excludes(conf);
  app.add_option("--beam", f.beams, "Beam size (repeat for several)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--observed", f.observed, "Rows the search sees; the rest are held out")
      ->check(CLI::PositiveNumber);
  app.add_option("--limit", f.limit, "Only the first N tasks (by file name)")->check(CLI::NonNegativeNumber);
  app.add_option("--threads", f.threads, "LibTorch CPU threads")->check(CLI::PositiveNumber);
  app.add_option("--jobs", f.jobs, "Tasks in parallel (one model copy each)")->check(CLI::PositiveNumber);
  app.add_option("--max-tokens", f.max_tokens, "Longest program in tokens")->check(CLI::PositiveNumber);
  app.add_option("--model-examples", f.model_examples, "Examples the model reads (0: all observed)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--task-seconds", f.task_seconds, "Per-task deadline (0: none)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--no-guidance", f.no_guidance, "Plain beam search, without DP-Beam pruning");
  app.add_option("--device", f.device, "cpu, cuda or auto");
  app.add_option("--json", f.json_file, "Also write the summary and per-task results here");
  CLI11_PARSE(app, argc, argv);
  if (f.conformance.empty() && f.eval_set.empty()) {
    std::cerr << "flashsynth-neural-eval: give --conformance DIR or --eval-set DIR\n";
    return kExitBadUsage;
  }
  std::vector<std::string> args(argv, argv + argc);
  args[0] = "flashsynth-neural-eval";
  const absl::Status s = Run(f, absl::StrJoin(args, " "));
  if (!s.ok()) {
    std::cerr << "flashsynth-neural-eval: " << s.message() << "\n";
    return kExitFailed;
  }
  return kExitOk;
}
