// neural/plugin_api.h: what a model plugin offers its host.
//
// LibTorch is large (Debian's pulls about 300 shared libraries into a
// process, about 0.6 s of loading), and most runs of flashsynth never need a
// model. So the models reach the synthesizer through a plugin: a shared
// module (neural/robustfill/ builds libflashsynth-robustfill.so) that the
// host opens with dlopen() on first need (synth/hybrid/neural_plugin.h) and
// asks for kPluginEntryPoint, an extern "C" function returning the PluginApi
// below. The executables link no LibTorch.
//
// Programs cross the boundary in their text form (docs/dsl.md): the plugin
// and the host each parse with their own copy of dsl/, so no object of one
// needs the other's static data. Plugin and host are built together, by one
// compiler, from one tree; kPluginAbiVersion changes with this file, and the
// host refuses a plugin of another version.
//
// Thread-safety: a PluginModel may be called from several threads; calls
// are serialized on the one model.
#ifndef FLASHSYNTH_NEURAL_PLUGIN_API_H_
#define FLASHSYNTH_NEURAL_PLUGIN_API_H_

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "neural/decoder.h"

namespace flashsynth::neural {

inline constexpr int kPluginAbiVersion = 1;
// The symbol the host looks up: `const PluginApi* flashsynth_neural_plugin()`.
inline constexpr char kPluginEntryPoint[] = "flashsynth_neural_plugin";

// A program found by the model, in the DSL's text form.
struct PluginProgram {
  std::string program;
  double log_likelihood = 0;  // log p(program | examples), nats, <= 0
};

struct PluginProposeOptions {
  int beam_size = 100;
  int max_programs = 10;
  int model_examples = 4;  // the examples the model reads (0: all)
  int near_misses = 0;     // inconsistent programs to return as well
  absl::Time deadline = absl::InfiniteFuture();
  const std::atomic<bool>* cancel = nullptr;  // may be null; outlives the call
};

struct PluginProposals {
  std::vector<PluginProgram> programs;     // consistent with every example, best first
  std::vector<PluginProgram> near_misses;  // finished programs that miss some example
  bool timed_out = false;
};

// One loaded model.
class PluginModel {
 public:
  virtual ~PluginModel() = default;

  // Programs for `task`'s examples; kCancelled when *options.cancel becomes true.
  virtual absl::StatusOr<PluginProposals> Propose(const IoExamples& task,
                                                  const PluginProposeOptions& options) const = 0;

  // log p(program | examples) of each program (text form), on Propose()'s
  // scale; -infinity for one the model cannot write or that does not parse.
  virtual absl::StatusOr<std::vector<double>> Score(const IoExamples& task,
                                                    const std::vector<std::string>& programs,
                                                    int model_examples) const = 0;

  // "robustfill attention-c E=32 H=64 ..., 775692 parameters, on cpu".
  virtual std::string Describe() const = 0;
};

struct PluginApi {
  int abi_version = kPluginAbiVersion;
  // What the plugin holds: "RobustFill proposer (LibTorch 1.13.1)".
  const char* description = "";
  // A model from the bytes of a model file; every error message starts with
  // `source_name`. `num_threads` > 0 sets the CPU threads the model computes
  // with (process-wide).
  absl::StatusOr<std::unique_ptr<PluginModel>> (*load_model)(std::string_view bytes,
                                                             std::string_view source_name,
                                                             int num_threads) = nullptr;
};

}  // namespace flashsynth::neural

extern "C" {
// Defined by each plugin; returns a pointer to a static PluginApi.
using FlashsynthNeuralPluginFn = const flashsynth::neural::PluginApi* (*)();
}

#endif  // FLASHSYNTH_NEURAL_PLUGIN_API_H_
