#include "solver/encode.h"

#include <z3++.h>

#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "solver/internal/encoder.h"
#include "solver/internal/strings.h"
#include "solver/internal/worker.h"

namespace flashsynth::solver {

namespace {

using internal::SymStr;

// The row's cells: variables asserted equal to the text (kSymbolic) or
// numerals (kConcrete); nullopt for a cell that is not UTF-8.
std::vector<std::optional<SymStr>> EncodeCells(internal::Builder& b, z3::solver& solver, const dsl::Row& row,
                                               CellEncoding cells) {
  z3::context& ctx = b.ctx();
  std::vector<std::optional<SymStr>> columns;
  for (size_t j = 0; j < row.size(); ++j) {
    if (!dsl::IsValidUtf8(row[j])) {
      columns.push_back(std::nullopt);
      continue;
    }
    const std::u32string text = internal::ToU32(row[j]);
    if (cells == CellEncoding::kConcrete) {
      columns.push_back(b.Const(text));
      continue;
    }
    SymStr cell{ctx.int_const(absl::StrCat("x", j + 1, "_len").c_str()), {}};
    solver.add(cell.len == static_cast<int>(text.size()));
    for (size_t i = 0; i < text.size(); ++i) {
      cell.ch.push_back(ctx.int_const(absl::StrCat("x", j + 1, "_", i).c_str()));
      solver.add(cell.ch.back() == static_cast<int>(text[i]));
    }
    columns.push_back(std::move(cell));
  }
  return columns;
}

absl::StatusOr<std::optional<std::string>> Run(z3::context& ctx, const dsl::Program& program, const dsl::Row& row,
                                               const SolverOptions& options, CellEncoding cells) {
  const internal::Deadline deadline(options.timeout);
  std::vector<std::string> texts = internal::ProgramTexts(program);
  for (const std::string& cell : row) {
    if (!dsl::IsValidUtf8(cell)) continue;
    if (dsl::CountChars(cell) > static_cast<size_t>(options.max_length)) {
      return absl::OutOfRangeError(absl::StrCat("a cell is longer than ", options.max_length,
                                                " characters"));
    }
    texts.push_back(cell);
  }
  FS_ASSIGN_OR_RETURN(const internal::Alphabet alphabet, internal::Alphabet::Make(texts));
  internal::Builder b(ctx, alphabet, &deadline);
  // The inputs are fixed by equalities: propagating their values and
  // simplifying reduces the circuit to numerals before the SMT core sees it.
  // (Not solve-eqs: eliminating the named results below substitutes the
  // whole circuit into each and costs 15 times as much.)
  z3::solver solver = (z3::tactic(ctx, "propagate-values") & z3::tactic(ctx, "simplify") &
                       z3::tactic(ctx, "smt")).mk_solver();
  const std::vector<std::optional<SymStr>> columns = EncodeCells(b, solver, row, cells);
  internal::ProgramEncoder encoder(&b, nullptr, &deadline);
  const internal::Encoded enc = encoder.Encode(program, columns);
  // Named results, so that their values come straight from the model.
  const z3::expr defined = ctx.bool_const("defined");
  solver.add(defined == enc.defined);
  SymStr out{ctx.int_const("out_len"), {}};
  solver.add(out.len == enc.out.len);
  for (int i = 0; i < enc.out.cap(); ++i) {
    out.ch.push_back(ctx.int_const(absl::StrCat("out_", i).c_str()));
    solver.add(out.ch.back() == enc.out.ch[static_cast<size_t>(i)]);
  }
  z3::params params(ctx);
  params.set("timeout", deadline.RemainingMs());
  solver.set(params);
  switch (solver.check()) {
    case z3::sat: break;
    case z3::unsat: return absl::InternalError("the encoding of a concrete input is unsatisfiable");
    case z3::unknown: return absl::DeadlineExceededError(solver.reason_unknown());
  }
  const z3::model model = solver.get_model();
  if (!model.eval(defined, true).is_true()) return std::optional<std::string>();
  return std::optional<std::string>(internal::ValueOf(model, out));
}

}  // namespace

absl::StatusOr<std::optional<std::string>> EvaluateWithZ3(const dsl::Program& program,
                                                          const dsl::Row& row,
                                                          const SolverOptions& options) {
  return EvaluateWithZ3(program, row, options, CellEncoding::kSymbolic);
}

absl::StatusOr<std::optional<std::string>> EvaluateWithZ3(const dsl::Program& program,
                                                          const dsl::Row& row,
                                                          const SolverOptions& options,
                                                                CellEncoding cells) {
  FS_RETURN_IF_ERROR(dsl::Validate(program));
  FS_RETURN_IF_ERROR(internal::CheckEncodable(program));
  // On a worker thread, like every solver call: it returns by its timeout.
  return internal::RunBefore<std::optional<std::string>>(
      absl::Now() + options.timeout,
      [program, row, options, cells](z3::context& ctx) { return Run(ctx, program, row, options, cells); });
}

}  // namespace flashsynth::solver
