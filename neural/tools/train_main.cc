// flashsynth-train: trains one of flashsynth's models on sampled data.
//
//   flashsynth-train --steps 2000 --hidden 64 --embedding 32 --checkpoint run.ckpt \
//                    --save-model model.fsnn [--resume] [--device auto] [--threads 2]
//       the RobustFill proposer (no subcommand)
//   flashsynth-train --steps 20000 --checkpoint badd.ckpt neural-gpu --task badd ...
//       the Neural GPU (neural_gpu_train_command.cc)
//   flashsynth-train --steps 5000 --checkpoint ind.ckpt induction --architecture pointer ...
//       the induction baselines (induction_train_command.cc)
//
// Every kind runs through one loop over a TrainingJob (training_job.h):
// a progress line (step, loss, accuracy, items/s, the job's note) every
// --log-every steps, an evaluation line every --eval-every steps; the
// checkpoint every --checkpoint-every steps, at the end, on --max-seconds
// and on Ctrl-C, each time atomically (temporary file, then rename). With
// --resume an existing checkpoint is continued. --save-model writes the
// model at the end, or with --keep-best METRIC the model of the evaluation
// where METRIC was highest (training can lose what it learned: the Neural
// GPU's accuracy on long operands swings from one evaluation to the next).
// Files are read and written through io/files.h, as in the other tools.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "dsl/status_macros.h"
#include "io/files.h"
#include "neural/device.h"
#include "neural/tools/train_command.h"
#include "neural/robustfill/trainer.h"
#include "neural/training_job.h"

namespace flashsynth::neural {
namespace {

volatile std::sig_atomic_t g_stop = 0;  // set by SIGINT / SIGTERM
void OnSignal(int) { g_stop = 1; }

// The loop's flags, shared by every kind.
struct LoopFlags {
  std::string device = "cpu";
  int threads = 1;
  int64_t steps = 1000;
  int log_every = 10;
  int eval_every = 500;
  std::string checkpoint;
  int checkpoint_every = 500;
  bool resume = false;
  std::string save_model;
  std::string keep_best;  // a metric of the evaluation; empty: keep the last model
  std::string log_csv;
  double max_seconds = 0;
};

// The RobustFill proposer's own flags (no subcommand).
struct RobustFillFlags {
  TrainerOptions options;
  std::string variant = "attention-c";
  bool extended = false;
  int eval_beam = 1;
  bool no_decode = false;
};

// Model and checkpoint files: the largest paper-size checkpoint is ~120 MB.
constexpr size_t kMaxCheckpointBytes = size_t{4} << 30;

void AddLoopFlags(CLI::App& app, LoopFlags& f, CommonTrainFlags& common) {
  app.add_option("--steps", f.steps, "Stop after this many updates in all (resumed ones count)");
  app.add_option("--seed", common.seed, "Seed of the weights and training data");
  app.add_option("--device", f.device, "cpu, cuda or auto");
  app.add_option("--threads", f.threads, "LibTorch CPU threads");
  app.add_option("--log-every", f.log_every, "Progress line every N steps");
  app.add_option("--log-csv", f.log_csv, "Also write step,loss,accuracy,items_per_s here");
  app.add_option("--eval-every", f.eval_every, "Evaluate every N steps (0: only at the end)");
  app.add_option("--checkpoint", f.checkpoint, "Checkpoint file");
  app.add_option("--checkpoint-every", f.checkpoint_every, "Write the checkpoint every N steps");
  app.add_flag("--resume", f.resume, "Continue the --checkpoint file when it exists");
  app.add_option("--save-model", f.save_model, "Write the final model here");
  app.add_option("--keep-best", f.keep_best,
                 "Write the model of the evaluation with the highest value of this metric "
                 "(e.g. seq-acc@40) instead of the last one");
  app.add_option("--max-seconds", f.max_seconds, "Stop (and checkpoint) after this wall time");
}

// Returns the options it added, so that main() can refuse them before a
// subcommand, where they would silently train nothing.
std::vector<CLI::Option*> AddRobustFillFlags(CLI::App& app, RobustFillFlags& f) {
  TrainerOptions& o = f.options;
  std::vector<CLI::Option*> added;
  auto option = [&](const std::string& name, auto& value, const std::string& help) {
    added.push_back(app.add_option(name, value, "RobustFill: " + help));
  };
  auto flag = [&](const std::string& name, bool& value, const std::string& help) {
    added.push_back(app.add_flag(name, value, "RobustFill: " + help));
  };
  option("--batch-size", o.batch_size, "tasks per update");
  option("--lr", o.optimizer.learning_rate, "Adam learning rate");
  option("--clip", o.optimizer.clip_norm, "global gradient-norm clip (0: none)");
  option("--variant", f.variant, "basic, attention-a or attention-c");
  option("--embedding", o.model.embedding_size, "embedding size E");
  option("--hidden", o.model.hidden_size, "hidden size H");
  option("--layers", o.model.num_layers, "stacked LSTM layers");
  option("--max-columns", o.model.max_columns, "program tokens for columns x1..xN");
  option("--max-chars", o.model.max_chars, "characters per input row and output");
  option("--min-examples", o.min_examples, "examples per task, at least");
  option("--max-examples", o.max_examples, "examples per task, at most");
  option("--max-expressions", o.sampler.max_expressions, "Concat length, at most");
  option("--max-input-length", o.sampler.max_input_length, "characters per input cell");
  option("--max-program-tokens", o.max_program_tokens, "longer programs are skipped");
  flag("--extended", f.extended, "sample the DSL extensions (columns, Switch, ...)");
  option("--eval-tasks", o.eval_tasks, "size of the fixed evaluation set");
  option("--eval-beam", f.eval_beam, "beam size when decoding in evaluation");
  flag("--no-decode", f.no_decode, "evaluate the loss only");
  return added;
}

// Fills the options that need parsing; the rest CLI11 wrote in place.
absl::Status FinishRobustFillOptions(RobustFillFlags& f, const CommonTrainFlags& common) {
  std::optional<Variant> v = VariantByName(f.variant);
  if (!v) return absl::InvalidArgumentError(absl::StrCat("unknown variant \"", f.variant, "\""));
  if (f.extended) f.options.sampler = ExtendedSampler(f.options.sampler);
  f.options.model.variant = *v;
  f.options.device = common.device;
  f.options.seed = common.seed;
  return absl::OkStatus();
}

TrainCommand RobustFillCommand(CLI::App& app, std::shared_ptr<RobustFillFlags> flags,
                               std::vector<CLI::Option*>* options) {
  *options = AddRobustFillFlags(app, *flags);
  TrainCommand command;
  command.app = &app;
  auto eval = [flags] {
    EvalOptions e;
    e.decode = !flags->no_decode;
    e.beam_size = flags->eval_beam;
    return e;
  };
  command.create = [flags, eval](const CommonTrainFlags& common)
      -> absl::StatusOr<std::unique_ptr<TrainingJob>> {
    FS_RETURN_IF_ERROR(FinishRobustFillOptions(*flags, common));
    return CreateRobustFillJob(flags->options, eval());
  };
  command.resume = [flags, eval](const CommonTrainFlags& common, std::string_view bytes,
                                 std::string_view source)
      -> absl::StatusOr<std::unique_ptr<TrainingJob>> {
    FS_RETURN_IF_ERROR(FinishRobustFillOptions(*flags, common));
    return ResumeRobustFillJob(flags->options, eval(), bytes, source);
  };
  return command;
}

absl::StatusOr<std::unique_ptr<TrainingJob>> StartJob(const LoopFlags& f,
                                                      const CommonTrainFlags& common,
                                                      const TrainCommand& command) {
  if (f.resume && !f.checkpoint.empty() && io::FileExists(f.checkpoint)) {
    FS_ASSIGN_OR_RETURN(std::string bytes, io::ReadFile(f.checkpoint, kMaxCheckpointBytes));
    FS_ASSIGN_OR_RETURN(std::unique_ptr<TrainingJob> job, command.resume(common, bytes, f.checkpoint));
    std::cerr << "resumed " << f.checkpoint << " at step " << job->step() << "\n";
    return job;
  }
  return command.create(common);
}

absl::Status SaveCheckpoint(const LoopFlags& f, const TrainingJob& job) {
  if (f.checkpoint.empty()) return absl::OkStatus();
  FS_ASSIGN_OR_RETURN(std::string bytes, job.Checkpoint());
  return io::WriteFileAtomically(f.checkpoint, bytes);
}

// The best evaluation so far, for --keep-best.
struct Best {
  double value = -std::numeric_limits<double>::infinity();
  int64_t step = -1;
};

absl::Status SaveModel(const LoopFlags& f, const TrainingJob& job) {
  if (f.save_model.empty()) return absl::OkStatus();
  FS_ASSIGN_OR_RETURN(std::string bytes, job.SaveModel());
  return io::WriteFileAtomically(f.save_model, bytes);
}

// Evaluates; with --keep-best writes the model when the metric is at its
// best so far (ties go to the later model: it trained longer).
absl::Status RunEvaluation(const LoopFlags& f, TrainingJob& job, bool tty, Best* best) {
  FS_ASSIGN_OR_RETURN(JobEvalStats e, job.Evaluate());
  std::cerr << (tty ? "\r\033[K" : "")
            << absl::StrFormat("eval  step %d: %s  [%.1f s]\n", job.step(), e.summary, e.seconds);
  if (f.keep_best.empty()) return absl::OkStatus();
  auto metric = std::find_if(e.metrics.begin(), e.metrics.end(),
                             [&](const auto& m) { return m.first == f.keep_best; });
  if (metric == e.metrics.end()) {
    std::vector<std::string> names;
    for (const auto& m : e.metrics) names.push_back(m.first);
    return absl::InvalidArgumentError(absl::StrCat("--keep-best: the evaluation has no metric \"",
                                                   f.keep_best, "\" (it has ",
                                                   absl::StrJoin(names, ", "), ")"));
  }
  if (metric->second >= best->value) {
    *best = Best{metric->second, job.step()};
    FS_RETURN_IF_ERROR(SaveModel(f, job));
    std::cerr << absl::StrFormat("kept the model of step %d (%s %.4f)\n", job.step(), f.keep_best,
                                 metric->second);
  }
  return absl::OkStatus();
}

// Sums over the steps since the last progress line.
struct Window {
  double loss = 0, accuracy = 0, seconds = 0;
  int steps = 0, items = 0;
};

std::string ProgressLine(const TrainingJob& job, int64_t steps, const Window& w,
                         const std::string& note) {
  std::string line = absl::StrFormat("step %d/%d  loss %.4f  acc %.3f  %.1f %s/s", job.step(),
                                     steps, w.loss / w.steps, w.accuracy / w.steps,
                                     w.items / w.seconds, job.ItemName());
  if (!note.empty()) absl::StrAppend(&line, "  ", note);
  return line;
}

absl::Status Train(const LoopFlags& f, const CommonTrainFlags& common, const TrainCommand& command) {
  FS_ASSIGN_OR_RETURN(std::unique_ptr<TrainingJob> job, StartJob(f, common, command));
  const bool tty = isatty(STDERR_FILENO) != 0;
  std::ofstream csv;
  if (!f.log_csv.empty()) {
    csv.open(f.log_csv, std::ios::app);
    if (!csv) return absl::InvalidArgumentError(absl::StrCat(f.log_csv, ": cannot open"));
  }
  std::cerr << job->Describe() << ", " << NumThreads() << " thread(s)\n";
  const auto start = std::chrono::steady_clock::now();
  Window w;
  Best best;
  while (job->step() < f.steps && !g_stop) {
    FS_ASSIGN_OR_RETURN(JobStepStats s, job->Step());
    w = Window{w.loss + s.loss, w.accuracy + s.accuracy, w.seconds + s.seconds, w.steps + 1,
               w.items + s.items};
    if (csv) csv << s.step << "," << s.loss << "," << s.accuracy << "," << s.items / s.seconds << "\n";
    if (s.step % f.log_every == 0 || s.step == f.steps) {
      std::cerr << (tty ? "\r\033[K" : "") << ProgressLine(*job, f.steps, w, s.note)
                << (tty ? "" : "\n") << std::flush;
      w = Window();
    }
    if (f.eval_every > 0 && s.step % f.eval_every == 0) {
      FS_RETURN_IF_ERROR(RunEvaluation(f, *job, tty, &best));
    }
    if (f.checkpoint_every > 0 && s.step % f.checkpoint_every == 0) {
      FS_RETURN_IF_ERROR(SaveCheckpoint(f, *job));
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (f.max_seconds > 0 && elapsed > f.max_seconds) break;
  }
  if (tty) std::cerr << "\n";
  if (g_stop) std::cerr << "interrupted at step " << job->step() << "\n";
  FS_RETURN_IF_ERROR(SaveCheckpoint(f, *job));
  if (f.eval_every == 0 || job->step() % f.eval_every != 0) {
    FS_RETURN_IF_ERROR(RunEvaluation(f, *job, tty, &best));
  }
  if (f.keep_best.empty()) return SaveModel(f, *job);
  // A resumed run only knows the evaluations it made itself.
  std::cerr << absl::StrFormat("model: step %d, the best %s (%.4f) of this run's evaluations\n",
                               best.step, f.keep_best, best.value);
  return absl::OkStatus();
}

absl::Status FinishLoopFlags(const LoopFlags& f, CommonTrainFlags& common) {
  FS_ASSIGN_OR_RETURN(common.device, ParseDeviceKind(f.device));
  if (f.threads < 1) return absl::InvalidArgumentError("--threads must be >= 1");
  if (f.log_every < 1) return absl::InvalidArgumentError("--log-every must be >= 1");
  SetNumThreads(f.threads);
  return absl::OkStatus();
}

}  // namespace

dsl::SamplerOptions ExtendedSampler(const dsl::SamplerOptions& narrow) {
  dsl::SamplerOptions extended = dsl::SamplerOptions::Extended();
  extended.min_expressions = narrow.min_expressions;
  extended.max_expressions = narrow.max_expressions;
  extended.max_input_length = narrow.max_input_length;
  return extended;
}

}  // namespace flashsynth::neural

int main(int argc, char** argv) {
  using namespace flashsynth::neural;  // NOLINT: main only
  CLI::App app{"Trains a flashsynth model on sampled data: the RobustFill proposer (no "
               "subcommand), the Neural GPU or an induction baseline (subcommands)."};
  LoopFlags loop;
  CommonTrainFlags common;
  AddLoopFlags(app, loop, common);
  std::vector<CLI::Option*> robustfill_options;
  TrainCommand robustfill =
      RobustFillCommand(app, std::make_shared<RobustFillFlags>(), &robustfill_options);
  std::vector<TrainCommand> commands;
  AddNeuralGpuCommand(app, &commands);
  AddInductionCommand(app, &commands);
  app.require_subcommand(0, 1);
  for (TrainCommand& c : commands) c.app->fallthrough();
  CLI11_PARSE(app, argc, argv);
  const TrainCommand* chosen = &robustfill;
  for (const TrainCommand& c : commands) {
    if (c.app->parsed()) chosen = &c;
  }
  for (const CLI::Option* o : robustfill_options) {
    if (chosen != &robustfill && o->count() > 0) {
      std::cerr << "flashsynth-train: " << o->get_name() << " is a flag of the RobustFill "
                << "proposer, not of " << chosen->app->get_name() << " (its own flags follow "
                << "its name: flashsynth-train " << chosen->app->get_name() << " --help)\n";
      return 2;
    }
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  absl::Status s = FinishLoopFlags(loop, common);
  if (s.ok()) s = Train(loop, common, *chosen);
  if (!s.ok()) {
    std::cerr << "flashsynth-train: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
