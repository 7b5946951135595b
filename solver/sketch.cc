#include "solver/sketch.h"

#include <z3++.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "solver/internal/encoder.h"
#include "solver/internal/strings.h"

namespace flashsynth::solver {

namespace {

using internal::SymStr;

// Calls visit(path, arg) for every argument of `e` and its inner expressions.
template <typename Visit>
void VisitArgs(const dsl::Expr& e, ArgPath at, Visit& visit) {
  for (size_t s = 0; s < e.args().size(); ++s) {
    at.slot = static_cast<int>(s);
    visit(at, e.arg(s));
  }
  if (const dsl::Expr* inner = e.inner()) {
    at.slot = 0;
    ++at.depth;
    VisitArgs(*inner, at, visit);
  }
}

template <typename Visit>
void VisitProgramArgs(const dsl::Program& p, Visit visit) {
  for (size_t b = 0; b < p.branches().size(); ++b) {
    const std::vector<dsl::Expr>& body = p.branches()[b].body;
    for (size_t e = 0; e < body.size(); ++e) {
      VisitArgs(body[e], ArgPath{static_cast<int>(b), static_cast<int>(e), 0, 0}, visit);
    }
  }
}

dsl::Expr Rebuild(const dsl::Expr& e, ArgPath at, const std::map<ArgPath, dsl::Arg>& args) {
  std::vector<dsl::Arg> a = e.args();
  for (size_t s = 0; s < a.size(); ++s) {
    at.slot = static_cast<int>(s);
    auto it = args.find(at);
    if (it != args.end()) a[s] = it->second;
  }
  if (e.op() == dsl::Op::kConstStr) return dsl::Expr::ConstStr(a[0].text());
  if (const dsl::Expr* inner = e.inner()) {
    ArgPath in = at;
    in.slot = 0;
    ++in.depth;
    return dsl::Expr::Modification(e.op(), std::move(a), Rebuild(*inner, in, args));
  }
  if (e.kind() == dsl::OpKind::kSubstring) return dsl::Expr::Substring(e.op(), std::move(a), e.column());
  return dsl::Expr::Modification(e.op(), std::move(a), e.column());
}

// The Z3 term of one hole, constrained to its domain.
internal::HoleTerm MakeHole(internal::Builder& b, z3::solver& solver, dsl::ArgKind kind,
                            const std::string& name, int max_text) {
  z3::context& ctx = b.ctx();
  if (kind == dsl::ArgKind::kString) {
    SymStr text{ctx.int_const((name + "_len").c_str()), {}};
    solver.add(text.len >= 0 && text.len <= max_text);
    for (int i = 0; i < max_text; ++i) {
      text.ch.push_back(ctx.int_const(absl::StrCat(name, "_", i).c_str()));
      solver.add(z3::implies(text.len > i, b.InAlphabet(text.ch.back())));
      solver.add(z3::implies(text.len <= i, text.ch.back() == internal::kPad));
    }
    return internal::HoleTerm{std::nullopt, std::move(text)};
  }
  const z3::expr v = ctx.int_const(name.c_str());
  auto one_of = [&](const std::vector<int>& codes) {
    z3::expr any = ctx.bool_val(false);
    for (int c : codes) internal::Assign(&any, any || v == c);
    solver.add(any);
  };
  switch (kind) {
    case dsl::ArgKind::kPosition: solver.add(v >= -dsl::kMaxPosition && v <= dsl::kMaxPosition); break;
    case dsl::ArgKind::kIndex:
      solver.add(v >= -dsl::kMaxIndex && v <= dsl::kMaxIndex && v != 0);
      break;
    case dsl::ArgKind::kType: solver.add(v >= 0 && v < dsl::kNumTokenTypes); break;
    case dsl::ArgKind::kCase: solver.add(v >= 0 && v < dsl::kNumCases); break;
    case dsl::ArgKind::kBoundary: solver.add(v >= 0 && v <= 1); break;
    case dsl::ArgKind::kRegex: {
      std::vector<int> codes;
      for (dsl::Regex r : internal::AllRegexes()) codes.push_back(r.code());
      one_of(codes);
      break;
    }
    case dsl::ArgKind::kDelimiter: {
      std::vector<int> codes;
      for (char d : dsl::kDelimiters) codes.push_back(static_cast<unsigned char>(d));
      one_of(codes);
      break;
    }
    case dsl::ArgKind::kString: break;
  }
  return internal::HoleTerm{v, std::nullopt};
}

dsl::Arg ArgOf(const z3::model& m, dsl::ArgKind kind, const internal::HoleTerm& h) {
  if (kind == dsl::ArgKind::kString) return dsl::Arg::String(internal::ValueOf(m, *h.text));
  const int v = m.eval(*h.value, true).get_numeral_int();
  switch (kind) {
    case dsl::ArgKind::kPosition: return dsl::Arg::Position(v);
    case dsl::ArgKind::kIndex: return dsl::Arg::Index(v);
    case dsl::ArgKind::kType: return dsl::Arg::OfType(static_cast<dsl::TokenType>(v));
    case dsl::ArgKind::kRegex: return dsl::Arg::OfRegex(dsl::Regex::FromCode(v));
    case dsl::ArgKind::kCase: return dsl::Arg::OfCase(static_cast<dsl::Case>(v));
    case dsl::ArgKind::kBoundary: return dsl::Arg::OfBoundary(static_cast<dsl::Boundary>(v));
    case dsl::ArgKind::kDelimiter: return dsl::Arg::Delimiter(static_cast<char>(v));
    case dsl::ArgKind::kString: break;
  }
  return dsl::Arg::Position(0);
}

absl::Status CheckExamples(const std::vector<dsl::Row>& inputs,
                           const std::vector<std::string>& outputs, int max_length) {
  if (inputs.size() != outputs.size()) {
    return absl::InvalidArgumentError("inputs and outputs differ in number");
  }
  for (const std::string& out : outputs) {
    if (!dsl::IsValidUtf8(out)) return absl::InvalidArgumentError("an output is not UTF-8");
  }
  for (const dsl::Row& row : inputs) {
    for (const std::string& cell : row) {
      if (dsl::IsValidUtf8(cell) && dsl::CountChars(cell) > static_cast<size_t>(max_length)) {
        return absl::OutOfRangeError(absl::StrCat("a cell is longer than ", max_length, " characters"));
      }
    }
  }
  return absl::OkStatus();
}

// The most characters a constant-string hole may take: the option, or the
// longest output.
int MaxText(const std::vector<std::string>& outputs, const SolverOptions& options) {
  if (options.max_constant_length > 0) return options.max_constant_length;
  int max_text = 0;
  for (const std::string& out : outputs) max_text = std::max(max_text, static_cast<int>(dsl::CountChars(out)));
  return max_text;
}

// Whether some hole of `sketch` stands for a constant string.
bool HasTextHole(const Sketch& sketch) {
  const std::set<ArgPath> holes(sketch.holes.begin(), sketch.holes.end());
  bool found = false;
  VisitProgramArgs(sketch.program, [&](const ArgPath& at, const dsl::Arg& a) {
    found = found || (a.kind() == dsl::ArgKind::kString && holes.count(at) > 0);
  });
  return found;
}

// One query: holes of constant strings hold at most `max_text` characters.
absl::StatusOr<std::optional<dsl::Program>> Fill(z3::context& ctx, const Sketch& sketch,
                                                 const std::vector<dsl::Row>& inputs,
                                                 const std::vector<std::string>& outputs,
                                                 int max_text, const internal::Deadline& deadline) {
  std::map<ArgPath, dsl::ArgKind> kinds;
  VisitProgramArgs(sketch.program, [&](const ArgPath& at, const dsl::Arg& a) { kinds[at] = a.kind(); });
  std::vector<std::string> texts = internal::ProgramTexts(sketch.program);
  for (const std::string& out : outputs) texts.push_back(out);
  for (const dsl::Row& row : inputs) {
    for (const std::string& cell : row) {
      if (dsl::IsValidUtf8(cell)) texts.push_back(cell);
    }
  }
  FS_ASSIGN_OR_RETURN(const internal::Alphabet alphabet, internal::Alphabet::Make(texts));
  internal::Builder b(ctx, alphabet, &deadline);
  // A tactic solver: it keeps assertions as they are until check(), which
  // honours the timeout; the default solver rewrites each assertion as it is
  // added, which on some deep circuits ran for minutes past any timeout.
  z3::solver solver = (z3::tactic(ctx, "simplify") & z3::tactic(ctx, "propagate-values") &
                       z3::tactic(ctx, "solve-eqs") & z3::tactic(ctx, "simplify") &
                       z3::tactic(ctx, "smt")).mk_solver();
  std::map<ArgPath, internal::HoleTerm> holes;
  for (const ArgPath& h : sketch.holes) {
    auto it = kinds.find(h);
    if (it == kinds.end()) return absl::InvalidArgumentError("a hole names no argument");
    const std::string name = absl::StrCat("h", h.branch, "_", h.expr, "_", h.depth, "_", h.slot);
    holes.emplace(h, MakeHole(b, solver, it->second, name, max_text));
  }
  internal::ProgramEncoder encoder(&b, &holes, &deadline);
  for (size_t r = 0; r < inputs.size(); ++r) {
    std::vector<std::optional<SymStr>> columns;
    for (const std::string& cell : inputs[r]) {
      if (dsl::IsValidUtf8(cell)) {
        columns.push_back(b.Const(internal::ToU32(cell)));
      } else {
        columns.push_back(std::nullopt);
      }
    }
    const internal::Encoded enc = encoder.Encode(sketch.program, columns);
    solver.add(enc.defined && b.Eq(enc.out, b.Const(internal::ToU32(outputs[r]))));
  }
  z3::params params(ctx);
  params.set("timeout", deadline.RemainingMs());
  solver.set(params);
  switch (solver.check()) {
    case z3::sat: break;
    case z3::unsat: return std::optional<dsl::Program>();
    case z3::unknown: return absl::DeadlineExceededError(solver.reason_unknown());
  }
  const z3::model model = solver.get_model();
  std::map<ArgPath, dsl::Arg> args;
  for (const auto& [path, term] : holes) args.emplace(path, ArgOf(model, kinds[path], term));
  dsl::Program filled = WithArguments(sketch.program, args);
  for (size_t r = 0; r < inputs.size(); ++r) {
    if (dsl::Evaluate(filled, inputs[r]) != outputs[r]) {
      return absl::InternalError(absl::StrCat("the completion ", filled.ToString(),
                                              " fails example ", r + 1, " in the interpreter"));
    }
  }
  return std::optional<dsl::Program>(std::move(filled));
}

}  // namespace

Sketch BlankArguments(const dsl::Program& program, const std::set<dsl::ArgKind>& kinds) {
  Sketch s{program, {}};
  VisitProgramArgs(program, [&](const ArgPath& at, const dsl::Arg& a) {
    if (kinds.count(a.kind())) s.holes.push_back(at);
  });
  return s;
}

dsl::Program WithArguments(const dsl::Program& program, const std::map<ArgPath, dsl::Arg>& args) {
  std::vector<dsl::Branch> branches;
  for (size_t b = 0; b < program.branches().size(); ++b) {
    const dsl::Branch& branch = program.branches()[b];
    dsl::Branch out{branch.condition, {}};
    for (size_t e = 0; e < branch.body.size(); ++e) {
      out.body.push_back(Rebuild(branch.body[e], ArgPath{static_cast<int>(b), static_cast<int>(e), 0, 0}, args));
    }
    branches.push_back(std::move(out));
  }
  if (!program.is_switch()) return dsl::Program::Concat(std::move(branches[0].body));
  return dsl::Program::Switch(std::move(branches));
}

absl::StatusOr<std::optional<dsl::Program>> FillHoles(const Sketch& sketch,
                                                      const std::vector<dsl::Row>& inputs,
                                                      const std::vector<std::string>& outputs,
                                                      const SolverOptions& options) {
  FS_RETURN_IF_ERROR(dsl::Validate(sketch.program));
  FS_RETURN_IF_ERROR(CheckExamples(inputs, outputs, options.max_length));
  const int max_text = MaxText(outputs, options);
  const bool has_text_hole = HasTextHole(sketch);
  return internal::RunInFreshContext<std::optional<dsl::Program>>(
      [&](z3::context& ctx) -> absl::StatusOr<std::optional<dsl::Program>> {
        const internal::Deadline deadline(options.timeout);
        // One-character constants first (RobustFill's are all one character):
        // a short text hole keeps the circuits that splice it in (Substitute,
        // SubstituteAll) small. Only a proof that none exists at that length
        // lets the full bound have its turn; its answer is the final one.
        if (has_text_hole && max_text > 1) {
          absl::StatusOr<std::optional<dsl::Program>> short_first =
              Fill(ctx, sketch, inputs, outputs, /*max_text=*/1, deadline);
          if (!short_first.ok() || short_first->has_value()) return short_first;
        }
        return Fill(ctx, sketch, inputs, outputs, max_text, deadline);
      });
}

}  // namespace flashsynth::solver
