#include "neural/tools/eval_common.h"

#include <algorithm>
#include <atomic>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "io/parallel.h"
#include "io/progress.h"
#include "neural/device.h"

namespace flashsynth::neural::internal {

namespace {
constexpr size_t kProgressEvery = 50;  // tasks between progress lines off a terminal
}  // namespace

void AddModelFlags(CLI::App* app, ModelFlags* flags, const std::string& model_help) {
  app->add_option("--model", flags->model, model_help)->required();
  app->add_option("--threads", flags->threads, "LibTorch CPU threads")->check(CLI::PositiveNumber);
  app->add_option("--device", flags->device, "cpu, cuda or auto");
  app->add_option("--json", flags->json_file, "Also write the summary and per-task results here");
}

void AddTaskFlags(CLI::App* app, TaskFlags* flags) {
  app->add_option("--observed", flags->observed, "Rows the model sees; the rest are held out")
      ->check(CLI::PositiveNumber);
  app->add_option("--limit", flags->limit, "Only the first N tasks (by file name)")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--jobs", flags->jobs, "Tasks in parallel (one model copy each)")
      ->check(CLI::Range(1, 256));
}

std::string FolderBanner(const std::string& model, const std::string& description, size_t tasks,
                         const std::string& dir, int jobs) {
  return absl::StrCat("model ", model, ": ", description, "; ", tasks, " tasks from ", dir, ", ",
                      jobs, " job(s), ", NumThreads(), " LibTorch thread(s)");
}

void RunTasks(const std::vector<TaskInput>& tasks, int jobs, const std::string& label,
              const std::string& good_word,
              const std::function<TaskProgress(size_t task, int worker)>& run) {
  io::ProgressOptions options;
  options.terminal = io::StderrIsTerminal();
  options.every_items = kProgressEvery;
  io::ProgressLine progress(std::cerr, tasks.size(), options);
  size_t done = 0, good = 0;  // guarded by Commit()
  io::ParallelForOptions parallel;
  parallel.jobs = jobs;
  io::ParallelFor(tasks.size(), parallel, [&](const io::WorkItem& item) {
    const TaskProgress p = run(item.index, item.worker);
    item.Commit([&] {
      ++done;
      good += p.good;
      if (!p.error.empty()) progress.Print(absl::StrCat(tasks[item.index].name, ": ", p.error));
      progress.Update(done, absl::StrFormat("%s%d/%d tasks, %d %s (%.1f%%), %.1f s", label, done,
                                            tasks.size(), good, good_word,
                                            100 * Rate(static_cast<int>(good), static_cast<int>(done)),
                                            progress.seconds()));
    });
  });
  progress.Finish();
}

double Rate(int n, int of) { return of == 0 ? 0 : static_cast<double>(n) / of; }

Latency SummarizeLatency(const std::vector<double>& seconds) {
  Latency l;
  l.median = Percentile(seconds, 50);
  l.p90 = Percentile(seconds, 90);
  for (double x : seconds) {
    l.total += x;
    l.max = std::max(l.max, x);
  }
  l.mean = seconds.empty() ? 0 : l.total / static_cast<double>(seconds.size());
  return l;
}

std::string LatencyText(const Latency& l) {
  return absl::StrFormat("median %.3f s, p90 %.3f s, mean %.3f s, max %.3f s", l.median, l.p90,
                         l.mean, l.max);
}

nlohmann::ordered_json LatencyJson(const Latency& l) {
  return {{"median", l.median}, {"p90", l.p90}, {"mean", l.mean}, {"max", l.max}, {"total", l.total}};
}

}  // namespace flashsynth::neural::internal
