// neural/synth_proposer.h: the RobustFill model as the synthesizer's
// proposer (synth::ProgramProposer), for LearnOptions::engine kNeural and
// kHybrid.
//
// Propose() runs the model's beam search (execution-guided) and returns the
// programs that fit every example. When it finds fewer than max_programs,
// the model's near misses (finished programs that miss some example) become
// sketches: their positions and constant strings are blanked and
// solver::FillHoles (Z3, with the interpreter's search first) completes
// them, so a structure the model guessed right with a wrong constant still
// counts. Score() is NeuralProposer::ScorePrograms().
//
// Example:
//   auto model = NeuralProposer::LoadFile("neural/models/robustfill.fsnn");
//   std::unique_ptr<synth::ProgramProposer> p = MakeSynthProposer(*std::move(model));
//   synth::LearnOptions o;
//   o.engine = synth::LearnOptions::Engine::kHybrid;
//   o.proposer = p.get();
#ifndef FLASHSYNTH_NEURAL_SYNTH_PROPOSER_H_
#define FLASHSYNTH_NEURAL_SYNTH_PROPOSER_H_

#include <memory>
#include <optional>

#include "absl/time/time.h"
#include "neural/proposer.h"
#include "synth/proposer.h"

namespace flashsynth::neural {

struct SynthProposerOptions {
  int beam_size = 100;
  int max_programs = 10;
  int model_examples = 4;          // RobustFill models read 4 examples
  int structures_to_complete = 4;  // near misses given to FillHoles
  absl::Duration fill_timeout = absl::Milliseconds(200);  // per near miss
};

std::unique_ptr<synth::ProgramProposer> MakeSynthProposer(std::unique_ptr<NeuralProposer> model,
                                                          const SynthProposerOptions& options = {});

// What the proposer does with a near miss: `program` with its positions and
// constant strings blanked and filled by solver::FillHoles within `timeout`
// so that it reproduces every example of `task`; nullopt when the solver
// finds no completion in time (or the program has no such arguments).
std::optional<dsl::Program> CompleteStructure(const dsl::Program& program, const IoExamples& task,
                                              absl::Duration timeout);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_SYNTH_PROPOSER_H_
