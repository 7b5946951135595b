// synth/internal/regex_slots.h: every regex of the DSL numbered densely (internal to
// synth/): the 8 token types, then the 21 delimiters in kDelimiters order.
#ifndef FLASHSYNTH_SYNTH_INTERNAL_REGEX_SLOTS_H_
#define FLASHSYNTH_SYNTH_INTERNAL_REGEX_SLOTS_H_

#include "dsl/program.h"

namespace flashsynth::synth::internal {

inline constexpr int kNumRegexes = dsl::kNumTokenTypes + static_cast<int>(dsl::kDelimiters.size());

inline dsl::Regex RegexAt(int slot) {
  return slot < dsl::kNumTokenTypes
             ? dsl::Regex::Of(static_cast<dsl::TokenType>(slot))
             : dsl::Regex::Delimiter(dsl::kDelimiters[slot - dsl::kNumTokenTypes]);
}

}  // namespace flashsynth::synth::internal

#endif  // FLASHSYNTH_SYNTH_INTERNAL_REGEX_SLOTS_H_
