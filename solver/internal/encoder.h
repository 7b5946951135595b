// solver/internal/encoder.h: DSL programs as circuits over bounded strings.
//
// Private to solver/ (includes z3++.h). ProgramEncoder turns a program, whose
// arguments may be holes (Z3 terms standing for unknown argument values),
// into the `defined` flag and output string of solver/internal/strings.h,
// following dsl/interpreter.cc operator by operator, quirks included.
#ifndef FLASHSYNTH_SOLVER_INTERNAL_ENCODER_H_
#define FLASHSYNTH_SOLVER_INTERNAL_ENCODER_H_

#include <z3++.h>

#include <map>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/status/status.h"
#include "dsl/program.h"
#include "solver/internal/strings.h"
#include "solver/sketch.h"

namespace flashsynth::solver::internal {

// The value of a hole: `value` for every kind but kString, `text` for kString.
struct HoleTerm {
  std::optional<z3::expr> value;
  std::optional<SymStr> text;
};

struct Encoded {
  z3::expr defined;  // false where the interpreter gives no output
  SymStr out;
};

class ProgramEncoder {
 public:
  // `holes` (may be null) maps argument paths to their terms; not owned.
  ProgramEncoder(Builder* b, const std::map<ArgPath, HoleTerm>* holes, const Deadline* deadline)
      : b_(*b), holes_(holes), deadline_(*deadline) {}

  // `columns[j]`: column x(j+1), nullopt when missing or not UTF-8.
  Encoded Encode(const dsl::Program& p, const std::vector<std::optional<SymStr>>& columns);

 private:
  // nullopt when the expression reads a missing column.
  std::optional<SymStr> EncodeExpr(const dsl::Expr& e, ArgPath at,
                                   const std::vector<std::optional<SymStr>>& columns);
  SymStr Apply(const dsl::Expr& e, const ArgPath& at, const SymStr& v);
  z3::expr IntArg(const dsl::Expr& e, const ArgPath& at, int slot);
  SymStr TextArg(const dsl::Expr& e, const ArgPath& at, int slot);
  RegexChoice RegexArg(const dsl::Expr& e, const ArgPath& at, int slot);
  const HoleTerm* Hole(const ArgPath& at, int slot) const;

  SymStr SubStr(const SymStr& v, const z3::expr& k1, const z3::expr& k2);
  z3::expr SpanSide(const SymStr& v, const RegexChoice& r, const z3::expr& i,
                    const z3::expr& boundary, z3::expr* found);
  SymStr GetToken(const SymStr& v, const RegexChoice& r, const z3::expr& i);
  SymStr SplitAtFirst(const SymStr& v, const RegexChoice& r, bool upto);
  SymStr ToCase(const SymStr& v, const z3::expr& c);
  SymStr CaseOf(const SymStr& v, dsl::Case c);
  SymStr Trim(const SymStr& v);
  SymStr GetFirst(const SymStr& v, const RegexChoice& r, const std::optional<z3::expr>& count);
  SymStr Substitute(const SymStr& v, const RegexChoice& r, const z3::expr& i, const SymStr& c);
  SymStr SubstituteAll(const SymStr& v, const RegexChoice& r, const SymStr& c);
  SymStr Splice(const SymStr& s, const z3::expr& at, const z3::expr& removed, int max_removed,
                const SymStr& c);
  z3::expr MatchIndex(const z3::expr& i, const z3::expr& n);

  Builder& b_;
  const std::map<ArgPath, HoleTerm>* holes_;
  const Deadline& deadline_;
};

// Every string argument of `p` (constants, replacements), for the alphabet.
std::vector<std::string> ProgramTexts(const dsl::Program& p);

// OK when every operator of `p` has an encoding here; kUnimplemented for
// the number operators (ReadNumber, Scale, Round,
// Bin, Format): their exact semantics (38-digit decimals, six rounding
// modes, group and decimal marks) would need an integer encoding of digit
// strings of unbounded length per operator, which Z3's string theory has
// only for non-negative digit strings (str.to_int); docs/architecture.md.
absl::Status CheckEncodable(const dsl::Program& p);

// Every regex code a kRegex hole may take (8 types, then 21 delimiters).
std::vector<dsl::Regex> AllRegexes();

}  // namespace flashsynth::solver::internal

#endif  // FLASHSYNTH_SOLVER_INTERNAL_ENCODER_H_
