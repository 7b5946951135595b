// neural/induction/output_predictor.h: program induction, the baselines' interface.
//
// An induction model reads a task's observed examples and a new input row
// and writes that row's output directly, without a program (RobustFill
// section 6; ../shared/reference/induction_baselines.md). Nothing checks
// its answer: unlike a synthesized program, it can be wrong on a row and
// give no sign. The LSTM-with-attention and pointer-network models
// (induction.h) and the Neural GPU on string tasks (neural_gpu.h) implement
// it; `flashsynth-neural-eval induction` scores any of them on the same
// tasks as the synthesizers.
//
// Example:
//   std::unique_ptr<OutputPredictor> p = ...;   // e.g. LoadOutputPredictor()
//   IoExamples observed{{{"Ada Lovelace"}, {"Alan Turing"}}, {"Lovelace", "Turing"}};
//   absl::StatusOr<std::vector<std::string>> out =
//       p->PredictOutputs(observed, {{"Grace Hopper"}});   // {"Hopper"} if it learned
#ifndef FLASHSYNTH_NEURAL_INDUCTION_OUTPUT_PREDICTOR_H_
#define FLASHSYNTH_NEURAL_INDUCTION_OUTPUT_PREDICTOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "dsl/interpreter.h"
#include "neural/decoder.h"

namespace flashsynth::neural {

class OutputPredictor {
 public:
  virtual ~OutputPredictor() = default;

  // The model in a few words: "induction-lstm E=64 H=128: 412345 parameters".
  virtual std::string Describe() const = 0;

  // PredictOutputs()
  //
  // One predicted output per row of `queries`, each decoded independently
  // from `observed` and that row. Characters the model cannot read or
  // write are read as its unknown symbol and never written; rows longer
  // than the model reads are cut (the prediction is then most likely
  // wrong, which is what the evaluation should see). kInvalidArgument when
  // `observed` is empty or its inputs and outputs differ in number;
  // kInternal when LibTorch fails. Thread-safe; calls are serialized.
  virtual absl::StatusOr<std::vector<std::string>> PredictOutputs(
      const IoExamples& observed, absl::Span<const dsl::Row> queries) = 0;
};

// LoadOutputPredictor()
//
// Any induction model file that flashsynth-train writes (LSTM with
// attention, pointer network, Neural GPU trained on string tasks), told
// apart by its header. Errors start with `source_name`; a model of another
// kind (a RobustFill proposer, a Neural GPU trained on arithmetic) is
// kInvalidArgument saying what it is.
absl::StatusOr<std::unique_ptr<OutputPredictor>> LoadOutputPredictor(std::string_view bytes,
                                                                     std::string_view source_name);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_INDUCTION_OUTPUT_PREDICTOR_H_
