#include "neural/training_job.h"

namespace flashsynth::neural {

absl::Status ValidateOptimizerOptions(const OptimizerOptions& o) {
  if (!(o.learning_rate > 0)) return absl::InvalidArgumentError("learning_rate must be > 0");
  if (!(o.adam_epsilon > 0)) return absl::InvalidArgumentError("adam_epsilon must be > 0");
  return absl::OkStatus();
}

}  // namespace flashsynth::neural
