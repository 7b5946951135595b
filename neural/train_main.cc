// flashsynth-train: trains a RobustFill model on sampled tasks.
//
//   flashsynth-train --steps 2000 --hidden 64 --embedding 32 --checkpoint run.ckpt \
//                    --save-model model.fsnn [--resume] [--device auto] [--threads 2]
//
// Prints a progress line (step, loss, token accuracy, programs/s) and an
// evaluation line every --eval-every steps; writes the checkpoint every
// --checkpoint-every steps, at the end, on --max-seconds and on Ctrl-C, each
// time atomically (temporary file, then rename). With --resume an existing
// checkpoint is continued. Files are read and written through io/files.h,
// as in the other tools.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dsl/status_macros.h"
#include "neural/device.h"
#include "io/files.h"
#include "neural/trainer.h"

namespace flashsynth::neural {
namespace {

volatile std::sig_atomic_t g_stop = 0;  // set by SIGINT / SIGTERM
void OnSignal(int) { g_stop = 1; }

struct Flags {
  TrainerOptions options;
  std::string variant = "attention-c";
  std::string device = "cpu";
  bool extended = false;
  int threads = 1;
  int64_t steps = 1000;
  int log_every = 10;
  int eval_every = 500;
  int eval_beam = 1;
  bool no_decode = false;
  std::string checkpoint;
  int checkpoint_every = 500;
  bool resume = false;
  std::string save_model;
  std::string log_csv;
  double max_seconds = 0;
};

// Model and checkpoint files: the largest paper-size checkpoint is ~120 MB.
constexpr size_t kMaxCheckpointBytes = size_t{4} << 30;

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

void AddFlags(CLI::App& app, Flags& f) {
  TrainerOptions& o = f.options;
  app.add_option("--steps", f.steps, "Stop after this many updates in all (resumed ones count)");
  app.add_option("--batch-size", o.batch_size, "Tasks per update");
  app.add_option("--lr", o.learning_rate, "Adam learning rate");
  app.add_option("--clip", o.clip_norm, "Global gradient-norm clip (0: none)");
  app.add_option("--seed", o.seed, "Seed of the weights and training tasks");
  app.add_option("--device", f.device, "cpu, cuda or auto");
  app.add_option("--threads", f.threads, "LibTorch CPU threads");
  app.add_option("--variant", f.variant, "basic, attention-a or attention-c");
  app.add_option("--embedding", o.model.embedding_size, "Embedding size E");
  app.add_option("--hidden", o.model.hidden_size, "Hidden size H");
  app.add_option("--layers", o.model.num_layers, "Stacked LSTM layers");
  app.add_option("--max-columns", o.model.max_columns, "Program tokens for columns x1..xN");
  app.add_option("--max-chars", o.model.max_chars, "Characters per input row and output");
  app.add_option("--min-examples", o.min_examples, "Examples per task, at least");
  app.add_option("--max-examples", o.max_examples, "Examples per task, at most");
  app.add_option("--max-expressions", o.sampler.max_expressions, "Concat length, at most");
  app.add_option("--max-input-length", o.sampler.max_input_length, "Characters per input cell");
  app.add_option("--max-program-tokens", o.max_program_tokens, "Longer programs are skipped");
  app.add_flag("--extended", f.extended, "Sample the DSL extensions (columns, Switch, ...)");
  app.add_option("--log-every", f.log_every, "Progress line every N steps");
  app.add_option("--log-csv", f.log_csv, "Also write step,loss,token_accuracy,programs_per_s here");
  app.add_option("--eval-every", f.eval_every, "Evaluate every N steps (0: only at the end)");
  app.add_option("--eval-tasks", o.eval_tasks, "Size of the fixed evaluation set");
  app.add_option("--eval-beam", f.eval_beam, "Beam size when decoding in evaluation");
  app.add_flag("--no-decode", f.no_decode, "Evaluate the loss only");
  app.add_option("--checkpoint", f.checkpoint, "Checkpoint file");
  app.add_option("--checkpoint-every", f.checkpoint_every, "Write the checkpoint every N steps");
  app.add_flag("--resume", f.resume, "Continue the --checkpoint file when it exists");
  app.add_option("--save-model", f.save_model, "Write the final model here");
  app.add_option("--max-seconds", f.max_seconds, "Stop (and checkpoint) after this wall time");
}

// Fills the options that need parsing; the rest CLI11 wrote in place.
absl::Status FinishOptions(Flags& f) {
  std::optional<Variant> v = VariantByName(f.variant);
  if (!v) return absl::InvalidArgumentError(absl::StrCat("unknown variant \"", f.variant, "\""));
  const dsl::SamplerOptions sampler = f.options.sampler;
  if (f.extended) {
    f.options.sampler = dsl::SamplerOptions::Extended();
    f.options.sampler.max_expressions = sampler.max_expressions;
    f.options.sampler.max_input_length = sampler.max_input_length;
  }
  f.options.model.variant = *v;
  FS_ASSIGN_OR_RETURN(f.options.device, ParseDeviceKind(f.device));
  if (f.threads < 1) return absl::InvalidArgumentError("--threads must be >= 1");
  SetNumThreads(f.threads);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Trainer>> StartTrainer(const Flags& f) {
  if (f.resume && !f.checkpoint.empty() && FileExists(f.checkpoint)) {
    FS_ASSIGN_OR_RETURN(std::string bytes, io::ReadFile(f.checkpoint, kMaxCheckpointBytes));
    FS_ASSIGN_OR_RETURN(std::unique_ptr<Trainer> t, Trainer::Resume(f.options, bytes, f.checkpoint));
    std::cerr << "resumed " << f.checkpoint << " at step " << t->step() << "\n";
    return t;
  }
  return Trainer::Create(f.options);
}

absl::Status SaveCheckpoint(const Flags& f, const Trainer& t) {
  if (f.checkpoint.empty()) return absl::OkStatus();
  FS_ASSIGN_OR_RETURN(std::string bytes, t.Checkpoint());
  return io::WriteFileAtomically(f.checkpoint, bytes);
}

absl::Status RunEvaluation(const Flags& f, Trainer& t, bool tty) {
  EvalOptions eval;
  eval.decode = !f.no_decode;
  eval.beam_size = f.eval_beam;
  FS_ASSIGN_OR_RETURN(EvalStats e, t.Evaluate(eval));
  std::string line = absl::StrFormat("eval  step %d: loss %.4f  tok-acc %.3f", t.step(), e.loss,
                                     e.token_accuracy);
  if (e.exact_rate >= 0) {
    absl::StrAppendFormat(&line, "  exact %.3f  consistent %.3f (beam %d)", e.exact_rate,
                          e.consistent_rate, f.eval_beam);
  }
  absl::StrAppendFormat(&line, "  [%d tasks, %.1f s]", e.tasks, e.seconds);
  std::cerr << (tty ? "\r\033[K" : "") << line << "\n";
  return absl::OkStatus();
}

// Sums over the steps since the last progress line.
struct Window {
  double loss = 0, accuracy = 0, seconds = 0;
  int steps = 0, programs = 0;
};

std::string ProgressLine(const Trainer& t, int64_t steps, const Window& w) {
  return absl::StrFormat("step %d/%d  loss %.4f  tok-acc %.3f  %.1f programs/s", t.step(), steps,
                         w.loss / w.steps, w.accuracy / w.steps, w.programs / w.seconds);
}

absl::Status Train(const Flags& f) {
  FS_ASSIGN_OR_RETURN(std::unique_ptr<Trainer> t, StartTrainer(f));
  const bool tty = isatty(STDERR_FILENO) != 0;
  std::ofstream csv;
  if (!f.log_csv.empty()) {
    csv.open(f.log_csv, std::ios::app);
    if (!csv) return absl::InvalidArgumentError(absl::StrCat(f.log_csv, ": cannot open"));
  }
  std::cerr << absl::StrFormat("model %s E=%d H=%d layers=%d: %d parameters on %s, %d thread(s)\n",
                               VariantName(t->model().config().variant),
                               t->model().config().embedding_size, t->model().config().hidden_size,
                               t->model().config().num_layers, t->model().num_parameters(),
                               DeviceKindName(t->device()), NumThreads());
  const auto start = std::chrono::steady_clock::now();
  Window w;
  while (t->step() < f.steps && !g_stop) {
    FS_ASSIGN_OR_RETURN(StepStats s, t->Step());
    w = Window{w.loss + s.loss, w.accuracy + s.token_accuracy, w.seconds + s.seconds,
               w.steps + 1, w.programs + s.programs};
    if (csv) csv << s.step << "," << s.loss << "," << s.token_accuracy << "," << s.programs / s.seconds << "\n";
    if (s.step % f.log_every == 0 || s.step == f.steps) {
      std::cerr << (tty ? "\r\033[K" : "") << ProgressLine(*t, f.steps, w) << (tty ? "" : "\n")
                << std::flush;
      w = Window();
    }
    if (f.eval_every > 0 && s.step % f.eval_every == 0) FS_RETURN_IF_ERROR(RunEvaluation(f, *t, tty));
    if (f.checkpoint_every > 0 && s.step % f.checkpoint_every == 0) FS_RETURN_IF_ERROR(SaveCheckpoint(f, *t));
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (f.max_seconds > 0 && elapsed > f.max_seconds) break;
  }
  if (tty) std::cerr << "\n";
  if (g_stop) std::cerr << "interrupted at step " << t->step() << "\n";
  FS_RETURN_IF_ERROR(SaveCheckpoint(f, *t));
  if (f.eval_every == 0 || t->step() % f.eval_every != 0) FS_RETURN_IF_ERROR(RunEvaluation(f, *t, tty));
  if (!f.save_model.empty()) {
    FS_ASSIGN_OR_RETURN(std::string bytes, t->model().Save());
    FS_RETURN_IF_ERROR(io::WriteFileAtomically(f.save_model, bytes));
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace flashsynth::neural

int main(int argc, char** argv) {
  using namespace flashsynth::neural;  // NOLINT: main only
  CLI::App app{"Trains a RobustFill model (flashsynth neural proposer) on sampled tasks."};
  Flags flags;
  AddFlags(app, flags);
  CLI11_PARSE(app, argc, argv);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  absl::Status s = FinishOptions(flags);
  if (s.ok()) s = Train(flags);
  if (!s.ok()) {
    std::cerr << "flashsynth-train: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
