// synth/hybrid/neural_proposer.h: a learned model as the synthesizer's
// proposer (synth::ProgramProposer), for LearnOptions::engine kNeural and
// kHybrid, loaded only when first asked.
//
// The model lives in a plugin (neural/plugin_api.h): a shared module that
// holds LibTorch, opened with dlopen() on the first Propose() or Score().
// The hybrid engine asks only when the symbolic candidates disagree on a
// row to fill, or when the symbolic search finds nothing, so most runs
// never load LibTorch (about 0.6 s). A missing or broken plugin or model
// file is an error of that call, naming the file; the synthesizer then
// keeps the symbolic engine's programs (LearnResult::proposer_error).
//
// Propose() runs the model's beam search and returns the programs that fit
// every example. When it finds fewer than max_programs, the model's near
// misses (finished programs that miss some example) become sketches: their
// positions and constant strings are blanked and solver::FillHoles (Z3, with
// the interpreter's search first) completes them, so a structure the model
// guessed right with a wrong constant still counts.
//
// Thread-safety: every method may be called from several threads; the
// model is loaded once, and its calls are serialized.
//
// Example:
//   NeuralProposerOptions o;
//   o.plugin_path = DefaultPluginPath();
//   o.model_path = "neural/models/robustfill.fsnn";
//   o.read_model = [](const std::string& path) { return io::ReadFile(path, kMax); };
//   std::unique_ptr<NeuralProposer> p = MakeNeuralProposer(o);
//   synth::LearnOptions options;
//   options.engine = synth::LearnOptions::Engine::kHybrid;
//   options.proposer = p.get();   // nothing is loaded yet
//   ... synth::Learn(examples, rows, options) ...
//   p->loaded();                  // whether the model was needed
#ifndef FLASHSYNTH_SYNTH_HYBRID_NEURAL_PROPOSER_H_
#define FLASHSYNTH_SYNTH_HYBRID_NEURAL_PROPOSER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dsl/interpreter.h"
#include "dsl/program.h"
#include "synth/proposer.h"

namespace flashsynth::synth {

struct NeuralProposerOptions {
  std::string plugin_path;  // the shared module (DefaultPluginPath())
  std::string model_path;   // the model file, read with read_model
  // Reads the model file (the tools pass io::ReadFile); errors name the path.
  std::function<absl::StatusOr<std::string>(const std::string& path)> read_model;
  int num_threads = 1;              // the model's CPU threads (process-wide)
  int beam_size = 100;
  int max_programs = 10;
  int model_examples = 4;           // RobustFill models read 4 examples
  int structures_to_complete = 4;   // near misses given to FillHoles
  absl::Duration fill_timeout = absl::Milliseconds(200);  // per near miss
};

class NeuralProposer : public ProgramProposer {
 public:
  // Loads the plugin and the model now, if not done yet; the same error
  // every time after a failure.
  virtual absl::Status Load() const = 0;
  // Whether Load() succeeded (by a call of its own or of Propose/Score).
  virtual bool loaded() const = 0;
  // What was loaded: "plugin P (RobustFill proposer (LibTorch 1.13.0)),
  // model M (robustfill attention-c E=32 ...)"; empty before Load().
  virtual std::string Describe() const = 0;
};

std::unique_ptr<NeuralProposer> MakeNeuralProposer(NeuralProposerOptions options);

// The model file: $FLASHSYNTH_MODEL when set, else the shipped
// neural/models/robustfill.fsnn of the source tree the build came from
// (empty when it is gone).
std::string DefaultModelPath();

// Where the plugin is: $FLASHSYNTH_NEURAL_PLUGIN when set, else
// libflashsynth-robustfill.so in ../lib beside the running executable (the
// build's bin/ and lib/), else the path the build put it at.
std::string DefaultPluginPath();

// What the proposer does with a near miss: `program` with its positions and
// constant strings blanked and filled by solver::FillHoles within `timeout`
// so that it reproduces every example (`inputs[i]` gives `outputs[i]`);
// nullopt when the solver finds no completion in time (or the program has
// no such arguments).
std::optional<dsl::Program> CompleteStructure(const dsl::Program& program,
                                              const std::vector<dsl::Row>& inputs,
                                              const std::vector<std::string>& outputs,
                                              absl::Duration timeout);

}  // namespace flashsynth::synth

#endif  // FLASHSYNTH_SYNTH_HYBRID_NEURAL_PROPOSER_H_
