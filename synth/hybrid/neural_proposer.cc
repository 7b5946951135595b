#include "synth/hybrid/neural_proposer.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "dsl/parser.h"
#include "dsl/status_macros.h"
#include "neural/plugin_api.h"
#include "solver/sketch.h"
#include "synth/synthesizer.h"

namespace flashsynth::synth {

namespace {

constexpr char kPluginFile[] = "libflashsynth-robustfill.so";

neural::IoExamples ToIoExamples(absl::Span<const Example> examples) {
  neural::IoExamples task;
  for (const Example& e : examples) {
    task.inputs.push_back(e.inputs);
    task.outputs.push_back(e.output);
  }
  return task;
}

// Opens the plugin; it stays loaded for the life of the process (its code
// runs the destructors of the models it made).
absl::StatusOr<const neural::PluginApi*> OpenPlugin(const std::string& path) {
  if (path.empty() || !std::filesystem::exists(path)) {
    return absl::NotFoundError(absl::StrCat(
        "no neural plugin at ", path.empty() ? "(none given)" : path,
        " (built with LibTorch? $FLASHSYNTH_NEURAL_PLUGIN names another)"));
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return absl::FailedPreconditionError(
        absl::StrCat("cannot load the neural plugin ", path, ": ", why != nullptr ? why : "dlopen failed"));
  }
  auto entry = reinterpret_cast<FlashsynthNeuralPluginFn>(dlsym(handle, neural::kPluginEntryPoint));
  if (entry == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a flashsynth neural plugin (no ", neural::kPluginEntryPoint, ")"));
  }
  const neural::PluginApi* api = entry();
  if (api == nullptr || api->abi_version != neural::kPluginAbiVersion || api->load_model == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": plugin interface version ", api != nullptr ? api->abi_version : -1, ", this flashsynth needs ",
        neural::kPluginAbiVersion, " (rebuild both from one tree)"));
  }
  return api;
}

class LazyNeuralProposer : public NeuralProposer {
 public:
  explicit LazyNeuralProposer(NeuralProposerOptions options) : options_(std::move(options)) {}

  absl::Status Load() const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!tried_) {
      tried_ = true;
      load_status_ = LoadLocked();
    }
    return load_status_;
  }

  bool loaded() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return model_ != nullptr;
  }

  std::string Describe() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return description_;
  }

  absl::StatusOr<std::vector<ProposedProgram>> Propose(absl::Span<const Example> examples, absl::Time deadline,
                                                       const std::atomic<bool>* cancel) const override {
    FS_RETURN_IF_ERROR(Load());
    const neural::IoExamples task = ToIoExamples(examples);
    neural::PluginProposeOptions o;
    o.beam_size = options_.beam_size;
    o.max_programs = options_.max_programs;
    o.model_examples = options_.model_examples;
    o.near_misses = options_.structures_to_complete;
    o.deadline = deadline;
    o.cancel = cancel;
    FS_ASSIGN_OR_RETURN(neural::PluginProposals found, model_->Propose(task, o));
    std::vector<ProposedProgram> out;
    for (const neural::PluginProgram& p : found.programs) {
      absl::StatusOr<dsl::Program> program = dsl::Parse(p.program);
      if (program.ok()) out.push_back({*std::move(program), p.log_likelihood});
    }
    for (const neural::PluginProgram& miss : found.near_misses) {
      if (absl::Now() >= deadline) break;
      absl::StatusOr<dsl::Program> program = dsl::Parse(miss.program);
      if (!program.ok()) continue;
      const absl::Duration timeout = std::min(options_.fill_timeout, deadline - absl::Now());
      std::optional<dsl::Program> filled = CompleteStructure(*program, task.inputs, task.outputs, timeout);
      if (!filled) continue;
      // Scored afresh: the model's view of the completed program.
      absl::StatusOr<std::vector<double>> ll = model_->Score(task, {filled->ToString()}, options_.model_examples);
      if (ll.ok()) out.push_back({*std::move(filled), (*ll)[0]});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.log_likelihood > b.log_likelihood; });
    return out;
  }

  absl::StatusOr<std::vector<double>> Score(absl::Span<const Example> examples,
                                            absl::Span<const dsl::Program> programs) const override {
    FS_RETURN_IF_ERROR(Load());
    std::vector<std::string> texts;
    texts.reserve(programs.size());
    for (const dsl::Program& p : programs) texts.push_back(p.ToString());
    return model_->Score(ToIoExamples(examples), texts, options_.model_examples);
  }

 private:
  absl::Status LoadLocked() const {
    FS_ASSIGN_OR_RETURN(const neural::PluginApi* api, OpenPlugin(options_.plugin_path));
    if (!options_.read_model) return absl::FailedPreconditionError("no way to read the model file was given");
    FS_ASSIGN_OR_RETURN(std::string bytes, options_.read_model(options_.model_path));
    FS_ASSIGN_OR_RETURN(model_, api->load_model(bytes, options_.model_path, options_.num_threads));
    description_ = absl::StrCat("plugin ", options_.plugin_path, " (", api->description, "), model ",
                                options_.model_path, " (", model_->Describe(), ")");
    return absl::OkStatus();
  }

  const NeuralProposerOptions options_;
  mutable std::mutex mu_;
  mutable bool tried_ = false;
  mutable absl::Status load_status_;
  // Set once under mu_ by Load(); read without it after Load() returned OK.
  mutable std::unique_ptr<neural::PluginModel> model_;
  mutable std::string description_;
};

}  // namespace

std::unique_ptr<NeuralProposer> MakeNeuralProposer(NeuralProposerOptions options) {
  return std::make_unique<LazyNeuralProposer>(std::move(options));
}

std::string DefaultModelPath() {
  if (const char* env = std::getenv("FLASHSYNTH_MODEL"); env != nullptr && *env != '\0') return env;
#ifdef FLASHSYNTH_DEFAULT_MODEL
  std::error_code error;
  if (std::filesystem::exists(FLASHSYNTH_DEFAULT_MODEL, error)) return FLASHSYNTH_DEFAULT_MODEL;
#endif
  return "";
}

std::string DefaultPluginPath() {
  if (const char* env = std::getenv("FLASHSYNTH_NEURAL_PLUGIN"); env != nullptr && *env != '\0') return env;
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path beside = exe.parent_path().parent_path() / "lib" / kPluginFile;
    if (std::filesystem::exists(beside, error)) return beside.string();
  }
#ifdef FLASHSYNTH_PLUGIN_BUILD_PATH
  return FLASHSYNTH_PLUGIN_BUILD_PATH;
#else
  return "";
#endif
}

std::optional<dsl::Program> CompleteStructure(const dsl::Program& program, const std::vector<dsl::Row>& inputs,
                                              const std::vector<std::string>& outputs, absl::Duration timeout) {
  const solver::Sketch sketch =
      solver::BlankArguments(program, {dsl::ArgKind::kPosition, dsl::ArgKind::kString});
  if (sketch.holes.empty() || timeout <= absl::ZeroDuration()) return std::nullopt;
  solver::SolverOptions options;
  options.timeout = timeout;
  absl::StatusOr<std::optional<dsl::Program>> filled = solver::FillHoles(sketch, inputs, outputs, options);
  if (!filled.ok() || !filled->has_value()) return std::nullopt;
  return **filled;
}

}  // namespace flashsynth::synth
