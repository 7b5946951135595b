#include "solver/sketch.h"

#include <z3++.h>

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "solver/internal/encoder.h"
#include "solver/internal/strings.h"
#include "solver/internal/worker.h"

namespace flashsynth::solver {

namespace {

using internal::SymStr;

// Calls visit(path, arg) for every argument of `e` and its inner expressions.
template <typename Visit>
void VisitArgs(const dsl::Expr& e, ArgPath at, Visit& visit) {
  for (size_t s = 0; s < e.args().size(); ++s) {
    at.slot = static_cast<int>(s);
    visit(at, e.arg(s), e.op());
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
  VisitProgramArgs(sketch.program, [&](const ArgPath& at, const dsl::Arg& a, dsl::Op) {
    found = found || (a.kind() == dsl::ArgKind::kString && holes.count(at) > 0);
  });
  return found;
}

// The characters a hole ranges over: those of the program, the outputs and
// the (valid UTF-8) input cells, closed under case mapping.
absl::StatusOr<internal::Alphabet> AlphabetOf(const dsl::Program& program,
                                              const std::vector<dsl::Row>& inputs,
                                              const std::vector<std::string>& outputs) {
  std::vector<std::string> texts = internal::ProgramTexts(program);
  for (const std::string& out : outputs) texts.push_back(out);
  for (const dsl::Row& row : inputs) {
    for (const std::string& cell : row) {
      if (dsl::IsValidUtf8(cell)) texts.push_back(cell);
    }
  }
  return internal::Alphabet::Make(texts);
}

// One query: holes of constant strings hold at most `max_text` characters.
absl::StatusOr<std::optional<dsl::Program>> Fill(z3::context& ctx, const Sketch& sketch,
                                                 const std::vector<dsl::Row>& inputs,
                                                 const std::vector<std::string>& outputs,
                                                 int max_text, const internal::Deadline& deadline) {
  std::map<ArgPath, dsl::ArgKind> kinds;
  VisitProgramArgs(sketch.program, [&](const ArgPath& at, const dsl::Arg& a, dsl::Op) { kinds[at] = a.kind(); });
  FS_ASSIGN_OR_RETURN(const internal::Alphabet alphabet, AlphabetOf(sketch.program, inputs, outputs));
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

// ------------------------------------------- replacement texts, enumerated

// The holes that stand for the replacement text of a Substitute or
// SubstituteAll. Left symbolic, such a text is spliced in at positions that
// themselves depend on it, and Z3 can take seconds over one character
// (solver_bench: every hole filling missed at 1 s was one of these), so
// TryReplacements() first tries likely values for them one by one.
std::vector<ArgPath> SpliceHoles(const Sketch& sketch) {
  const std::set<ArgPath> holes(sketch.holes.begin(), sketch.holes.end());
  std::vector<ArgPath> splice;
  VisitProgramArgs(sketch.program, [&](const ArgPath& at, const dsl::Arg& a, dsl::Op op) {
    const bool replaces = op == dsl::Op::kSubstitute || op == dsl::Op::kSubstituteAll;
    if (replaces && a.kind() == dsl::ArgKind::kString && holes.count(at)) splice.push_back(at);
  });
  return splice;
}

// How much more often each text occurs in the outputs than in the inputs
// (a constant the program writes shows in the outputs, not the inputs).
int Excess(const std::u32string& text, const std::vector<std::u32string>& outputs,
           const std::vector<std::u32string>& inputs) {
  auto count = [&](const std::vector<std::u32string>& in) {
    int n = 0;
    for (const std::u32string& s : in) {
      for (size_t p = s.find(text); p != std::u32string::npos; p = s.find(text, p + 1)) ++n;
    }
    return n;
  };
  return count(outputs) - count(inputs);
}

// Replacement texts to try, likeliest first: the outputs' characters (most
// in excess of the inputs first), the empty text, their other cases; with
// `whole_alphabet`, every other character of the alphabet (so that trying
// them all covers every text of at most one character); then, when
// max_text > 1, the outputs' substrings of 2 to max_text characters, those
// in the most outputs and most in excess first. Returns how many of them,
// from the start, are the one-character texts.
std::vector<std::string> ReplacementCandidates(const std::vector<dsl::Row>& inputs,
                                               const std::vector<std::string>& outputs,
                                               const internal::Alphabet& alphabet, int max_text,
                                               bool whole_alphabet, size_t* num_short) {
  std::vector<std::u32string> outs, ins;
  for (const std::string& o : outputs) outs.push_back(internal::ToU32(o));
  for (const dsl::Row& row : inputs) {
    for (const std::string& cell : row) {
      if (dsl::IsValidUtf8(cell)) ins.push_back(internal::ToU32(cell));
    }
  }
  struct Scored {
    std::u32string text;
    int in_outputs, excess;
  };
  std::vector<Scored> chars, longer;
  std::set<std::u32string> seen;
  for (const std::u32string& o : outs) {
    for (size_t b = 0; b < o.size(); ++b) {
      for (size_t n = 1; n <= static_cast<size_t>(max_text) && b + n <= o.size(); ++n) {
        std::u32string t = o.substr(b, n);
        if (!seen.insert(t).second) continue;
        int in_outputs = 0;
        for (const std::u32string& q : outs) in_outputs += q.find(t) != std::u32string::npos;
        (n == 1 ? chars : longer).push_back(Scored{t, n == 1 ? 0 : in_outputs, Excess(t, outs, ins)});
      }
    }
  }
  auto likeliest_first = [](std::vector<Scored>* v) {
    std::stable_sort(v->begin(), v->end(), [](const Scored& x, const Scored& y) {
      return std::tie(x.in_outputs, x.excess) > std::tie(y.in_outputs, y.excess);
    });
  };
  likeliest_first(&chars);
  likeliest_first(&longer);
  std::vector<std::string> out;
  for (const Scored& c : chars) out.push_back(internal::FromU32(c.text));
  out.push_back("");
  auto add = [&](char32_t c) {
    if (seen.insert(std::u32string(1, c)).second) out.push_back(internal::FromU32(std::u32string(1, c)));
  };
  for (const Scored& c : chars) {
    const internal::CharInfo& info = alphabet.info(c.text[0]);
    for (const std::u32string* m : {&info.upper_map, &info.lower_map}) {
      if (m->size() == 1) add((*m)[0]);
    }
  }
  if (whole_alphabet) {
    for (char32_t c : alphabet.chars()) add(c);
  }
  *num_short = out.size();
  for (const Scored& t : longer) out.push_back(internal::FromU32(t.text));
  return out;
}

// Calls try_tuple(t) for every tuple t in [0, m)^k, those of smaller
// largest member first (so the likeliest values are tried together first),
// until it returns false. Returns whether every tuple was tried.
template <typename Try>
bool ForEachTuple(int k, int m, Try try_tuple) {
  std::vector<int> t(static_cast<size_t>(k), 0);
  for (int top = 0; top < m; ++top) {
    // Every tuple over [0, top] with some member equal to top.
    std::fill(t.begin(), t.end(), 0);
    while (true) {
      if (*std::max_element(t.begin(), t.end()) == top && !try_tuple(t)) return false;
      int i = 0;
      while (i < k && t[static_cast<size_t>(i)] == top) t[static_cast<size_t>(i++)] = 0;
      if (i == k) break;
      ++t[static_cast<size_t>(i)];
    }
  }
  return true;
}

struct Problem {
  Sketch sketch;
  std::vector<dsl::Row> inputs;
  std::vector<std::string> outputs;
  int max_text = 0;  // MaxText()
};

// The symbolic search: one-character constants first (RobustFill's are all
// one character), since short text holes keep the circuits that splice them
// in small. Only a proof that none exists at that length (or `short_ruled_out`,
// a proof found before) lets the full bound have its turn; its answer is the
// final one.
absl::StatusOr<std::optional<dsl::Program>> FillStaged(z3::context& ctx, const Problem& p,
                                                       bool short_ruled_out,
                                                       const internal::Deadline& deadline) {
  if (HasTextHole(p.sketch) && p.max_text > 1 && !short_ruled_out) {
    absl::StatusOr<std::optional<dsl::Program>> short_first =
        Fill(ctx, p.sketch, p.inputs, p.outputs, /*max_text=*/1, deadline);
    if (!short_first.ok() || short_first->has_value()) return short_first;
  }
  return Fill(ctx, p.sketch, p.inputs, p.outputs, p.max_text, deadline);
}

// What trying replacement texts came to.
struct Tried {
  std::optional<dsl::Program> found;
  bool short_ruled_out = false;  // no completion has replacement texts of <= 1 character
};

// Tries likely values of the splice holes until `until`, the other holes
// solved by FillStaged() for each (or, when there are none, the values
// checked by the interpreter, and then every one-character text is tried).
absl::StatusOr<Tried> TryReplacements(z3::context& ctx, const Problem& p,
                                      const std::vector<ArgPath>& splice, absl::Time until) {
  // The domain Fill() gives a hole, so that trying all of it is a proof.
  FS_ASSIGN_OR_RETURN(const internal::Alphabet alphabet, AlphabetOf(p.sketch.program, p.inputs, p.outputs));
  Sketch rest{p.sketch.program, {}};
  for (const ArgPath& h : p.sketch.holes) {
    if (std::find(splice.begin(), splice.end(), h) == splice.end()) rest.holes.push_back(h);
  }
  const bool interpreter_only = rest.holes.empty();
  size_t num_short = 0;
  const std::vector<std::string> candidates =
      ReplacementCandidates(p.inputs, p.outputs, alphabet, p.max_text, interpreter_only, &num_short);
  const internal::Deadline deadline(until);
  Tried tried;
  absl::Status error;
  bool short_done = false;
  ForEachTuple(static_cast<int>(splice.size()), static_cast<int>(candidates.size()),
               [&](const std::vector<int>& t) {
    if (static_cast<size_t>(*std::max_element(t.begin(), t.end())) >= num_short) {
      short_done = true;  // every tuple of short texts has been tried
    }
    if (absl::Now() >= until) return false;
    std::map<ArgPath, dsl::Arg> values;
    for (size_t i = 0; i < splice.size(); ++i) {
      values.emplace(splice[i], dsl::Arg::String(candidates[static_cast<size_t>(t[i])]));
    }
    Problem fixed{Sketch{WithArguments(rest.program, values), rest.holes}, p.inputs, p.outputs, p.max_text};
    if (interpreter_only) {
      for (size_t r = 0; r < p.inputs.size(); ++r) {
        if (dsl::Evaluate(fixed.sketch.program, p.inputs[r]) != p.outputs[r]) return true;
      }
      tried.found = std::move(fixed.sketch.program);
      return false;
    }
    absl::StatusOr<std::optional<dsl::Program>> r;
    try {
      r = FillStaged(ctx, fixed, /*short_ruled_out=*/false, deadline);
    } catch (const internal::DeadlineExceeded&) {
      return false;
    }
    if (r.ok() && r->has_value()) {
      tried.found = std::move(*r);
      return false;
    }
    if (!r.ok() && r.status().code() != absl::StatusCode::kDeadlineExceeded) error = r.status();
    return r.ok();  // no completion: the next value; out of time: give up
  });
  FS_RETURN_IF_ERROR(error);
  tried.short_ruled_out = interpreter_only && (short_done || num_short == candidates.size());
  return tried;
}

// --------------------------------------- expression by expression, no Z3

// The interpreter alone tries small hole domains one expression at a time:
// an expression's output on each example must be a piece of that example's
// output, and the pieces must tile it. Cheap where Z3 is slow (positions
// under a Substitute); not a proof when it finds nothing (positions are
// tried within the examples' lengths only), so the Z3 steps follow.

// Most assignments tried for one expression's holes.
constexpr int64_t kMaxAssignmentsPerExpr = 40'000;

// The values tried for a hole of `kind`; `texts` for constant strings.
std::vector<dsl::Arg> DomainOf(dsl::ArgKind kind, int width, const std::vector<std::string>& texts) {
  std::vector<dsl::Arg> d;
  switch (kind) {
    case dsl::ArgKind::kPosition:
      d.push_back(dsl::Arg::Position(0));
      for (int k = 1; k <= std::min(width, dsl::kMaxPosition); ++k) {
        d.push_back(dsl::Arg::Position(k));
        d.push_back(dsl::Arg::Position(-k));
      }
      break;
    case dsl::ArgKind::kIndex:
      for (int k = 1; k <= dsl::kMaxIndex; ++k) {
        d.push_back(dsl::Arg::Index(k));
        d.push_back(dsl::Arg::Index(-k));
      }
      break;
    case dsl::ArgKind::kType:
      for (int t = 0; t < dsl::kNumTokenTypes; ++t) d.push_back(dsl::Arg::OfType(static_cast<dsl::TokenType>(t)));
      break;
    case dsl::ArgKind::kRegex:
      for (dsl::Regex r : internal::AllRegexes()) d.push_back(dsl::Arg::OfRegex(r));
      break;
    case dsl::ArgKind::kCase:
      for (int c = 0; c < dsl::kNumCases; ++c) d.push_back(dsl::Arg::OfCase(static_cast<dsl::Case>(c)));
      break;
    case dsl::ArgKind::kBoundary:
      d = {dsl::Arg::OfBoundary(static_cast<dsl::Boundary>(0)), dsl::Arg::OfBoundary(static_cast<dsl::Boundary>(1))};
      break;
    case dsl::ArgKind::kDelimiter:
      for (char c : dsl::kDelimiters) d.push_back(dsl::Arg::Delimiter(c));
      break;
    case dsl::ArgKind::kString:
      for (const std::string& t : texts) d.push_back(dsl::Arg::String(t));
      break;
  }
  return d;
}

// One expression's possible outputs: per example row, its text.
using Pieces = std::vector<std::string>;

// The distinct piece vectors of expression `e` (at `index` of a Concat) over
// its holes' domains, each with the expression that gives it, likeliest
// values first; nullopt when the domains are too large or time runs out.
std::optional<std::vector<std::pair<Pieces, dsl::Expr>>> PiecesOf(
    const Problem& p, int index, const std::map<ArgPath, std::vector<dsl::Arg>>& domains,
    absl::Time until) {
  const dsl::Expr& e = p.sketch.program.branches()[0].body[static_cast<size_t>(index)];
  std::vector<ArgPath> holes;
  int64_t product = 1;
  for (const auto& [at, domain] : domains) {
    if (at.expr != index) continue;
    holes.push_back(at);
    product *= static_cast<int64_t>(domain.size());
    if (product > kMaxAssignmentsPerExpr) return std::nullopt;
  }
  std::vector<std::pair<Pieces, dsl::Expr>> out;
  std::set<Pieces> seen;
  std::vector<size_t> pick(holes.size(), 0);
  for (int64_t n = 0; n < product; ++n) {
    if ((n & 255) == 0 && absl::Now() >= until) return std::nullopt;
    std::map<ArgPath, dsl::Arg> args;
    for (size_t h = 0; h < holes.size(); ++h) args.emplace(holes[h], domains.at(holes[h])[pick[h]]);
    const dsl::Program one = WithArguments(dsl::Program::Concat({e}), [&] {
      std::map<ArgPath, dsl::Arg> shifted;  // paths within the one-expression program
      for (const auto& [at, a] : args) shifted.emplace(ArgPath{0, 0, at.depth, at.slot}, a);
      return shifted;
    }());
    Pieces pieces;
    for (size_t r = 0; r < p.inputs.size(); ++r) {
      std::optional<std::string> o = dsl::EvaluateExpr(one.branches()[0].body[0], p.inputs[r]);
      if (!o || p.outputs[r].find(*o) == std::string::npos) break;
      pieces.push_back(std::move(*o));
    }
    if (pieces.size() == p.inputs.size() && seen.insert(pieces).second) {
      out.emplace_back(std::move(pieces), one.branches()[0].body[0]);
    }
    for (size_t h = 0; h < pick.size() && ++pick[h] == domains.at(holes[h]).size(); ++h) pick[h] = 0;
  }
  return out;
}

// Picks one piece vector per expression so that they tile every output.
bool Tile(const std::vector<std::vector<std::pair<Pieces, dsl::Expr>>>& choices, const Problem& p,
          size_t index, std::vector<size_t>& offsets, std::vector<dsl::Expr>* body,
          std::set<std::pair<size_t, std::vector<size_t>>>* dead) {
  if (index == choices.size()) {
    for (size_t r = 0; r < offsets.size(); ++r) {
      if (offsets[r] != p.outputs[r].size()) return false;
    }
    return true;
  }
  if (!dead->insert({index, offsets}).second) return false;  // seen: it failed
  for (const auto& [pieces, expr] : choices[index]) {
    bool fits = true;
    for (size_t r = 0; fits && r < offsets.size(); ++r) {
      fits = p.outputs[r].compare(offsets[r], pieces[r].size(), pieces[r]) == 0;
    }
    if (!fits) continue;
    for (size_t r = 0; r < offsets.size(); ++r) offsets[r] += pieces[r].size();
    body->push_back(expr);
    if (Tile(choices, p, index + 1, offsets, body, dead)) return true;
    body->pop_back();
    for (size_t r = 0; r < offsets.size(); ++r) offsets[r] -= pieces[r].size();
  }
  return false;
}

// A completion found by the interpreter alone, or nullopt (which proves
// nothing). Concat sketches only.
std::optional<dsl::Program> FillByPieces(const Problem& p, absl::Time until) {
  if (p.sketch.program.is_switch() || p.inputs.empty()) return std::nullopt;
  int width = 1;
  for (const dsl::Row& row : p.inputs) {
    for (const std::string& cell : row) width = std::max(width, static_cast<int>(dsl::CountChars(cell)) + 1);
  }
  std::vector<std::string> texts;  // every piece of an output, then other replacement texts
  {
    std::set<std::string> seen;
    for (const std::string& o : p.outputs) {
      const std::u32string u = internal::ToU32(o);
      for (size_t b = 0; b < u.size(); ++b) {
        for (size_t n = 1; n <= static_cast<size_t>(p.max_text) && b + n <= u.size(); ++n) {
          std::string t = internal::FromU32(u.substr(b, n));
          if (seen.insert(t).second) texts.push_back(std::move(t));
        }
      }
    }
    if (seen.insert("").second) texts.push_back("");
  }
  std::map<ArgPath, dsl::ArgKind> kinds;
  VisitProgramArgs(p.sketch.program, [&](const ArgPath& at, const dsl::Arg& a, dsl::Op) { kinds[at] = a.kind(); });
  std::map<ArgPath, std::vector<dsl::Arg>> domains;
  for (const ArgPath& h : p.sketch.holes) domains[h] = DomainOf(kinds.at(h), width, texts);
  std::vector<std::vector<std::pair<Pieces, dsl::Expr>>> choices;
  const std::vector<dsl::Expr>& body = p.sketch.program.branches()[0].body;
  for (size_t i = 0; i < body.size(); ++i) {
    std::optional<std::vector<std::pair<Pieces, dsl::Expr>>> c = PiecesOf(p, static_cast<int>(i), domains, until);
    if (!c || c->empty()) return std::nullopt;
    choices.push_back(std::move(*c));
  }
  std::vector<size_t> offsets(p.inputs.size(), 0);
  std::vector<dsl::Expr> filled;
  std::set<std::pair<size_t, std::vector<size_t>>> dead;
  if (!Tile(choices, p, 0, offsets, &filled, &dead)) return std::nullopt;
  dsl::Program program = dsl::Program::Concat(std::move(filled));
  for (size_t r = 0; r < p.inputs.size(); ++r) {
    if (dsl::Evaluate(program, p.inputs[r]) != p.outputs[r]) return std::nullopt;
  }
  return program;
}

// Share of the budget that trying replacement texts may use before the
// symbolic search gets the rest.
constexpr double kEnumerationShare = 0.5;
// Share of the budget for the interpreter's search, before either.
constexpr double kPiecesShare = 0.3;

// The interpreter's search, likely replacement texts, then the symbolic search.
absl::StatusOr<std::optional<dsl::Program>> Solve(z3::context& ctx, const Problem& p,
                                                  const internal::Deadline& deadline) {
  {
    const absl::Time now = absl::Now();
    if (std::optional<dsl::Program> found = FillByPieces(p, now + (deadline.end() - now) * kPiecesShare)) {
      return found;
    }
  }
  const std::vector<ArgPath> splice = SpliceHoles(p.sketch);
  bool short_ruled_out = false;
  if (!splice.empty()) {
    const absl::Time now = absl::Now();
    FS_ASSIGN_OR_RETURN(Tried tried,
                        TryReplacements(ctx, p, splice, now + (deadline.end() - now) * kEnumerationShare));
    if (tried.found) return std::move(tried.found);
    short_ruled_out = tried.short_ruled_out;
  }
  return FillStaged(ctx, p, short_ruled_out, deadline);
}

}  // namespace

Sketch BlankArguments(const dsl::Program& program, const std::set<dsl::ArgKind>& kinds) {
  Sketch s{program, {}};
  VisitProgramArgs(program, [&](const ArgPath& at, const dsl::Arg& a, dsl::Op) {
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
  FS_RETURN_IF_ERROR(internal::CheckEncodable(sketch.program));
  FS_RETURN_IF_ERROR(CheckExamples(inputs, outputs, options.max_length));
  const absl::Time end = absl::Now() + options.timeout;
  // On a worker thread: Z3's preprocessing does not always honour a timeout.
  return internal::RunBefore<std::optional<dsl::Program>>(
      end, [p = Problem{sketch, inputs, outputs, MaxText(outputs, options)}, end](z3::context& ctx) {
        return Solve(ctx, p, internal::Deadline(end));
      });
}

}  // namespace flashsynth::solver
