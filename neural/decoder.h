// neural/decoder.h: what a program decoder conditions on, and the
// step-by-step interface that beam search drives.
//
// A Decoder holds a set of hypotheses (program-token prefixes) for one task
// and, for each, the distribution of the next token. Beam search reads those
// rows, picks the extensions to keep and hands them back with Advance(); the
// model runs one batched step for all of them. RobustFillModel::StartDecoding()
// returns one; tests may script their own.
//
// Example:
//   std::unique_ptr<Decoder> d = *model.StartDecoding(examples);
//   // d->num_hypotheses() == 1: the empty prefix
//   absl::Span<const float> lp = d->log_probs(0);      // vocab_size() values
//   FS_RETURN_IF_ERROR(d->Advance({0, 0}, {get_token, trim}));  // two children of 0
#ifndef FLASHSYNTH_NEURAL_DECODER_H_
#define FLASHSYNTH_NEURAL_DECODER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "dsl/interpreter.h"

namespace flashsynth::neural {

// One task as the models read it: example input rows and their outputs.
struct IoExamples {
  std::vector<dsl::Row> inputs;      // one row (of cells x1..xN) per example
  std::vector<std::string> outputs;  // outputs[i] belongs to inputs[i]
};

class Decoder {
 public:
  virtual ~Decoder() = default;

  virtual int vocab_size() const = 0;
  virtual int num_hypotheses() const = 0;

  // log p(next token | prefix of hypothesis k) for every token id, over the
  // whole vocabulary (no grammar mask). Valid until the next Advance().
  virtual absl::Span<const float> log_probs(int k) const = 0;

  // Replaces the hypotheses by new ones: hypothesis i is the old hypothesis
  // parents[i] extended by tokens[i]. The spans have equal, non-zero length;
  // a parent may appear any number of times. kInvalidArgument on bad
  // arguments, kInternal when the model fails (e.g. out of GPU memory).
  virtual absl::Status Advance(absl::Span<const int> parents, absl::Span<const int> tokens) = 0;
};

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_DECODER_H_
