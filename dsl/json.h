// dsl/json.h: the JSON form of programs, for tools and the CLI's --json.
//
//   {"concat": [EXPR, ...]}
//   {"switch": [{"when": [LITERAL, ...], "concat": [EXPR, ...]}, ...]}
//   EXPR    = {"op": "GetToken", "args": ["Word", -1], "column": 2}
//           | {"op": "ToCase", "args": ["Proper"], "source": EXPR}
//   LITERAL = {"column": 1, "regex": "Number", "count": 2, "negated": false}
//
// Arguments appear in the operator's order (docs/dsl.md): integers for
// positions and indices; names for types, cases and boundaries; a regex is a
// type name or a one-character delimiter string; delimiters and strings are
// JSON strings. "column" is 1-based (x1 is 1) and defaults to 1; an empty
// "when" is True.
#ifndef FLASHSYNTH_DSL_JSON_H_
#define FLASHSYNTH_DSL_JSON_H_

#include "absl/status/statusor.h"
#include "dsl/program.h"
#include "nlohmann/json.hpp"

namespace flashsynth::dsl {

nlohmann::json ProgramToJson(const Program& program);
nlohmann::json ExprToJson(const Expr& expr);

// ProgramFromJson()
//
// The inverse of ProgramToJson(). Returns kInvalidArgument naming the JSON
// path of the first fault, e.g. "concat[1].args[0]: expected a type name such
// as Word", for a wrong shape, an unknown name or an out-of-range value; the
// result passes Validate(). Never throws.
//
// Example:
//   auto j = nlohmann::json::parse(R"({"concat": [{"op": "ConstStr", "args": ["hi"]}]})");
//   absl::StatusOr<Program> p = ProgramFromJson(j);  // Concat(ConstStr("hi"))
absl::StatusOr<Program> ProgramFromJson(const nlohmann::json& json);

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_JSON_H_
