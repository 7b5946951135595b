// neural/robustfill/proposer.h: whole programs from a trained RobustFill model, for the
// synthesizer (issue 5).
//
// A NeuralProposer loads a model file written by flashsynth-train
// (--save-model, or a checkpoint) and, for a task's examples, runs beam
// search with execution guidance (RobustFill's DP-Beam, neural/robustfill/beam_search.h)
// and returns the finished programs that reproduce every example, checked
// again by the interpreter, best first. ScoreProgram() gives any program's
// log-likelihood under the same model, on the same scale, so that the
// symbolic search's candidates can be ranked against the proposals.
//
// Scores are log p(program | examples) in nats: the sum over the program's
// tokens (neural/tokens.h, EOS included) of the model's log-probability,
// renormalized over the tokens the grammar allows at that point (as the beam
// search scores). They are <= 0; higher is better.
//
// Thread-safety: every method is safe to call from several threads; the
// calls are serialized on the one model (a beam-100 search holds it for its
// whole run). For parallel searches load one proposer per thread. The
// LibTorch thread count (LoadOptions::num_threads) is process-wide.
//
// The header is Torch-free.
//
// Example:
//   absl::StatusOr<std::unique_ptr<NeuralProposer>> p =
//       NeuralProposer::FromBytes(bytes, "models/robustfill.fsnn");  // read by the caller
//   if (!p.ok()) ...;  // e.g. "models/robustfill.fsnn: truncated: ..."
//   IoExamples task{{{"Ada Lovelace"}, {"Alan Turing"}}, {"Lovelace", "Turing"}};
//   ProposeOptions options;
//   options.beam_size = 10;                       // faster, fewer programs
//   absl::StatusOr<Proposals> found = (*p)->Propose(task, options);
//   // found->programs[0].program reproduces both rows, e.g.
//   // Concat(GetToken(Word, -1)), with its log_likelihood
//   absl::StatusOr<double> s = (*p)->ScoreProgram(task, *dsl::Parse("Concat(GetFrom(\" \"))"));
#ifndef FLASHSYNTH_NEURAL_ROBUSTFILL_PROPOSER_H_
#define FLASHSYNTH_NEURAL_ROBUSTFILL_PROPOSER_H_

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "dsl/program.h"
#include "neural/decoder.h"
#include "neural/device.h"

namespace flashsynth::neural {

struct LoadOptions {
  DeviceKind device = DeviceKind::kCpu;  // kAuto: CUDA when there is one
  int num_threads = 0;  // LibTorch intra-op CPU threads, process-wide; 0: leave as is
};

// Per-call knobs. Latency grows about linearly with beam_size and with the
// number of examples the model reads (model_examples).
struct ProposeOptions {
  int max_programs = 10;         // at most this many programs are returned
  int beam_size = 100;           // live prefixes (RobustFill: 100 or 1000); also caps the programs
  int max_tokens = 100;          // longer programs (EOS included) are abandoned
  bool execution_guided = true;  // DP-Beam: drop prefixes whose outputs leave the examples'
  // The model reads the first model_examples examples (0: all); consistency
  // is still checked on all of them. RobustFill models are trained on 4.
  int model_examples = 0;
  // Past the deadline the search stops and returns what it has finished
  // (Proposals::timed_out); when *cancel becomes true, Propose() returns
  // kCancelled. cancel may be null; it must outlive the call.
  absl::Time deadline = absl::InfiniteFuture();
  const std::atomic<bool>* cancel = nullptr;
  // When the search finds fewer than max_programs, a second, unguided
  // search (beam min(beam_size, 32)) collects up to this many finished
  // programs that miss some example: structures whose constants or
  // positions may be wrong, for solver::FillHoles to complete.
  int near_misses = 0;
};

struct Proposal {
  dsl::Program program;
  double log_likelihood = 0;  // see the file comment; equals ScoreProgram() up to rounding
};

struct Proposals {
  std::vector<Proposal> programs;  // distinct, consistent, by decreasing log_likelihood
  std::vector<Proposal> near_misses;  // distinct, inconsistent (ProposeOptions::near_misses)
  bool timed_out = false;          // stopped at ProposeOptions::deadline
  int decoder_steps = 0;           // batched decoder steps run
  double seconds = 0;              // wall time of the call
};

class NeuralProposer {
 public:
  // A proposer over the bytes of a model file (flashsynth-train's
  // --save-model, or a --checkpoint). Every error message starts with
  // `source_name`: kInvalidArgument for bytes that are not a model file, or
  // are truncated or corrupt; kFailedPrecondition for another file format
  // version, a model trained on a different program vocabulary (the DSL
  // changed since), or LoadOptions::device kCuda without a GPU.
  static absl::StatusOr<std::unique_ptr<NeuralProposer>> FromBytes(
      std::string_view bytes, std::string_view source_name, const LoadOptions& options = {});

  ~NeuralProposer();
  NeuralProposer(const NeuralProposer&) = delete;
  NeuralProposer& operator=(const NeuralProposer&) = delete;

  // Propose()
  //
  // Up to options.max_programs programs that reproduce every example of
  // `task` (checked by dsl::Evaluate), best first; none when the search
  // finds none. Input cells may hold any UTF-8 (the model reads characters
  // other than printable ASCII as one unknown character) and be of any
  // length (it reads the first ModelConfig::max_chars characters of each row
  // and output). kInvalidArgument for a task without examples or with
  // unequal numbers of inputs and outputs, or for options out of range;
  // kCancelled; kInternal when LibTorch fails (e.g. out of GPU memory).
  absl::StatusOr<Proposals> Propose(const IoExamples& task,
                                    const ProposeOptions& options = {}) const;

  // ScoreProgram()
  //
  // log p(program | examples of `task`), the scale of Proposal's
  // log_likelihood: the model reads the first `model_examples` examples (0:
  // all), as ProposeOptions::model_examples. -infinity for a program the
  // model cannot write (a column past its vocabulary's, or a program
  // dsl::Validate() refuses). Consistency with the examples is not checked.
  // Errors as Propose().
  absl::StatusOr<double> ScoreProgram(const IoExamples& task, const dsl::Program& program,
                                      int model_examples = 0) const;

  // The same for many programs at once (one batched decoder run): element i
  // scores programs[i].
  absl::StatusOr<std::vector<double>> ScorePrograms(const IoExamples& task,
                                                    absl::Span<const dsl::Program> programs,
                                                    int model_examples = 0) const;

  // "attention-c E=32 H=64 layers=1 max_columns=8 max_chars=100, 222220
  // parameters, on cpu".
  std::string Describe() const;
  // The name given at loading (FromBytes()'s source_name).
  const std::string& source_name() const;
  // Columns x1..xN the model can write programs for.
  int max_columns() const;
  DeviceKind device() const;

 private:
  struct Impl;
  explicit NeuralProposer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_ROBUSTFILL_PROPOSER_H_
