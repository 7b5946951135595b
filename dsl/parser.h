// dsl/parser.h: the text form of programs (docs/dsl.md, "Text form").
#ifndef FLASHSYNTH_DSL_PARSER_H_
#define FLASHSYNTH_DSL_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "dsl/program.h"

namespace flashsynth::dsl {

// Parse()
//
// Parses a program as printed by `Program::ToString()`; white space between
// tokens is free and `x1` may be written out. On malformed input returns
// kInvalidArgument whose message starts with "line L, column C: " (1-based,
// columns in characters) and names what was expected there, e.g.
// "line 1, column 8: expected a position (an integer from -100 to 100)".
// Programs that parse also pass Validate(). Never throws; nesting deeper
// than kMaxNesting is an error, not a stack overflow.
//
// Example:
//   absl::StatusOr<Program> p = Parse(R"(Concat(GetToken(Word, 1), ConstStr("!")))");
//   // Evaluate(*p, {"hello world"}) == "hello!"
absl::StatusOr<Program> Parse(std::string_view text);

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_PARSER_H_
