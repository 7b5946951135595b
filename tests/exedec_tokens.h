// tests/exedec_tokens.h: reads programs in ExeDec's RobustFill token ids, the
// notation of ../shared/benchmarks/robustfill-conformance (its README, 5.1).
#ifndef FLASHSYNTH_TESTS_EXEDEC_TOKENS_H_
#define FLASHSYNTH_TESTS_EXEDEC_TOKENS_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "dsl/program.h"

namespace flashsynth::testing {

// Decodes a `program_tokens` string: expressions separated by '|', token ids
// by spaces, e.g. "4 29|7 109 211" is Concat(ConstStr("k"), GetToken(Char, -4)).
// Returns kInvalidArgument naming the offending token on malformed input.
absl::StatusOr<dsl::Program> ProgramFromExeDecTokens(std::string_view tokens);

}  // namespace flashsynth::testing

#endif  // FLASHSYNTH_TESTS_EXEDEC_TOKENS_H_
