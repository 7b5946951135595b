// dsl/interpreter.h: the total interpreter, the one definition of what each
// operator means (docs/dsl.md, "Operators").
#ifndef FLASHSYNTH_DSL_INTERPRETER_H_
#define FLASHSYNTH_DSL_INTERPRETER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "dsl/program.h"

namespace flashsynth::dsl {

// One spreadsheet row: the input cells x1..xN.
using Row = std::vector<std::string>;

// Evaluate()
//
// Runs `program` on one row of inputs. Returns the output text, or nullopt
// ("no output", FlashFill's bottom) when no Switch case holds, the program
// reads a column past the end of `row`, a cell it reads is not valid
// UTF-8, a ReadNumber finds no number at its index, or a number operator
// leaves Decimal's range (docs/dsl.md, "Numbers"). Total: never throws, crashes or hangs, on any program (valid or
// not) and any input. Thread-safe.
//
// Example:
//   Program p = *Parse(R"(Concat(GetToken(Word, -1), ConstStr(", "), SubStr(1, 1)))");
//   // Evaluate(p, {"Ada Lovelace"}) == "Lovelace, "  -- SubStr(1, 1) is empty
std::optional<std::string> Evaluate(const Program& program, absl::Span<const std::string> row);

// The output of one expression on `row`, with the same "no output" cases.
std::optional<std::string> EvaluateExpr(const Expr& expr, absl::Span<const std::string> row);

// The edge `edge` of the bin of width `width` (> 0) and offset `offset` that
// holds `x`: Low is offset + width * floor((x - offset) / width), High is
// Low + width, HighInclusive is High minus the unit of the last decimal
// place of width and offset (1 for whole numbers). What Bin() computes;
// nullopt when a value leaves Decimal's range.
std::optional<Decimal> BinEdgeOf(const Decimal& x, BinEdge edge, const Decimal& width,
                                 const Decimal& offset);

// Whether every literal of `condition` holds on `row`; nullopt when a
// literal reads a missing or non-UTF-8 cell.
std::optional<bool> EvaluateCondition(const std::vector<MatchLiteral>& condition,
                                      absl::Span<const std::string> row);

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_INTERPRETER_H_
