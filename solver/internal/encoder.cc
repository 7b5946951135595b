#include "solver/internal/encoder.h"

#include <algorithm>

namespace flashsynth::solver::internal {

using dsl::Op;

unsigned Deadline::RemainingMs() const {
  const int64_t ms = absl::ToInt64Milliseconds(end_ - absl::Now());
  return static_cast<unsigned>(std::max<int64_t>(1, ms));
}

namespace {

void CollectTexts(const dsl::Expr& e, std::vector<std::string>* out) {
  for (const dsl::Arg& a : e.args()) {
    if (a.kind() == dsl::ArgKind::kString) out->push_back(a.text());
  }
  if (const dsl::Expr* inner = e.inner()) CollectTexts(*inner, out);
}

}  // namespace

std::vector<std::string> ProgramTexts(const dsl::Program& p) {
  std::vector<std::string> out;
  for (const dsl::Branch& b : p.branches()) {
    for (const dsl::Expr& e : b.body) CollectTexts(e, &out);
  }
  return out;
}

std::vector<dsl::Regex> AllRegexes() {
  std::vector<dsl::Regex> out;
  for (int t = 0; t < dsl::kNumTokenTypes; ++t) out.push_back(dsl::Regex::Of(static_cast<dsl::TokenType>(t)));
  for (char d : dsl::kDelimiters) out.push_back(dsl::Regex::Delimiter(d));
  return out;
}

const HoleTerm* ProgramEncoder::Hole(const ArgPath& at, int slot) const {
  if (holes_ == nullptr) return nullptr;
  ArgPath p = at;
  p.slot = slot;
  auto it = holes_->find(p);
  return it == holes_->end() ? nullptr : &it->second;
}

z3::expr ProgramEncoder::IntArg(const dsl::Expr& e, const ArgPath& at, int slot) {
  if (const HoleTerm* h = Hole(at, slot)) return *h->value;
  const dsl::Arg& a = e.arg(static_cast<size_t>(slot));
  return b_.Int(a.kind() == dsl::ArgKind::kRegex ? a.regex().code() : a.raw_value());
}

SymStr ProgramEncoder::TextArg(const dsl::Expr& e, const ArgPath& at, int slot) {
  if (const HoleTerm* h = Hole(at, slot)) return *h->text;
  return b_.Const(ToU32(e.arg(static_cast<size_t>(slot)).text()));
}

RegexChoice ProgramEncoder::RegexArg(const dsl::Expr& e, const ArgPath& at, int slot) {
  const HoleTerm* h = Hole(at, slot);
  if (h == nullptr) {
    const dsl::Arg& a = e.arg(static_cast<size_t>(slot));
    const dsl::Regex r = a.kind() == dsl::ArgKind::kType ? dsl::Regex::Of(a.type()) : a.regex();
    return RegexChoice{{r}, {b_.Bool(true)}};
  }
  RegexChoice choice;
  const bool types_only = e.arg(static_cast<size_t>(slot)).kind() == dsl::ArgKind::kType;
  for (dsl::Regex r : AllRegexes()) {
    if (types_only && !r.is_type()) continue;
    choice.options.push_back(r);
    choice.guards.push_back(b_.Eq(*h->value, b_.Int(r.code())));
  }
  return choice;
}

// j = i - 1 if i > 0 else n + i.
z3::expr ProgramEncoder::MatchIndex(const z3::expr& i, const z3::expr& n) {
  return b_.Ite(b_.Lt(b_.Int(0), i), b_.Sub(i, b_.Int(1)), b_.Add(n, i));
}

SymStr ProgramEncoder::SubStr(const SymStr& v, const z3::expr& k1, const z3::expr& k2) {
  const z3::expr& n = v.len;
  const z3::expr zero = b_.Int(0), one = b_.Int(1);
  const z3::expr p1 = b_.Ite(b_.Lt(zero, k1), b_.Sub(k1, one), b_.Add(n, k1));
  const z3::expr p2 = b_.Ite(b_.Lt(zero, k2), b_.Sub(k2, one), b_.Add(n, k2));
  // Reference quirks: SubStr(k, k) is empty; p2 = len (k2 = 0) runs to the end.
  const z3::expr stop = b_.Ite(b_.Eq(p2, n), n, b_.Add(p2, one));
  return b_.Ite(b_.Le(p2, p1), b_.Empty(), b_.PySlice(v, p1, stop));
}

// One side of GetSpan; `*found` is false when the regex has no match.
z3::expr ProgramEncoder::SpanSide(const SymStr& v, const RegexChoice& r, const z3::expr& i,
                                  const z3::expr& boundary, z3::expr* found) {
  const Tokens t = b_.Matches(v, r);
  const z3::expr& n = t.count;
  const z3::expr j = MatchIndex(i, n);
  Assign(found, b_.Lt(b_.Int(0), n));
  const z3::expr at = b_.Ite(b_.Eq(boundary, b_.Int(static_cast<int>(dsl::Boundary::kStart))),
                             b_.MatchBegin(t, j), b_.MatchEnd(t, j));
  // Reference quirk: an index past the last match gives position n - 1.
  return b_.Ite(b_.Le(n, j), b_.Sub(n, b_.Int(1)), b_.Ite(b_.Lt(j, b_.Int(0)), b_.Int(0), at));
}

SymStr ProgramEncoder::GetToken(const SymStr& v, const RegexChoice& r, const z3::expr& i) {
  const Tokens t = b_.Matches(v, r);
  const z3::expr j = MatchIndex(i, t.count);
  const z3::expr in_range = b_.And(b_.Le(b_.Int(0), j), b_.Lt(j, t.count));
  return b_.Ite(in_range, b_.Slice(v, b_.MatchBegin(t, j), b_.MatchEnd(t, j)), b_.Empty());
}

// GetUpto / GetFrom split at the end of the FIRST match (reference).
SymStr ProgramEncoder::SplitAtFirst(const SymStr& v, const RegexChoice& r, bool upto) {
  const Tokens t = b_.Matches(v, r);
  const z3::expr end = b_.MatchEnd(t, b_.Int(0));
  const SymStr part = upto ? b_.Slice(v, b_.Int(0), end) : b_.Slice(v, end, v.len);
  return b_.Ite(b_.Lt(b_.Int(0), t.count), part, b_.Empty());
}

SymStr ProgramEncoder::CaseOf(const SymStr& v, dsl::Case c) {
  std::vector<z3::expr> title(v.ch.size(), b_.Bool(false));
  switch (c) {
    case dsl::Case::kAllCaps: return b_.MapChars(v, CaseMap::kUpper, title);
    case dsl::Case::kLower: return b_.MapChars(v, CaseMap::kLower, title);
    case dsl::Case::kProper:  // Python capitalize(): title first, lower the rest
      if (!title.empty()) Assign(&title[0], b_.Bool(true));
      return b_.MapChars(v, CaseMap::kLower, title);
    case dsl::Case::kTitle: {  // each run of letters capitalized
      std::vector<z3::expr> letter;
      for (const z3::expr& x : v.ch) letter.push_back(b_.IsClass(CharClass::kLetter, x));
      for (size_t i = 0; i < v.ch.size(); ++i) {
        Assign(&title[i], i == 0 ? letter[i] : b_.And(letter[i], b_.Not(letter[i - 1])));
      }
      return b_.MapChars(v, CaseMap::kLowerLetters, title);
    }
  }
  return v;
}

SymStr ProgramEncoder::ToCase(const SymStr& v, const z3::expr& c) {
  int fixed;
  if (c.is_numeral() && c.is_numeral_i(fixed)) return CaseOf(v, static_cast<dsl::Case>(fixed));
  SymStr out = CaseOf(v, dsl::Case::kTitle);
  for (int k = dsl::kNumCases - 2; k >= 0; --k) {
    out = b_.Ite(b_.Eq(c, b_.Int(k)), CaseOf(v, static_cast<dsl::Case>(k)), out);
  }
  return out;
}

// Python strip(): from the first to the last non-space character.
SymStr ProgramEncoder::Trim(const SymStr& v) {
  std::vector<z3::expr> solid;
  for (int i = 0; i < v.cap(); ++i) {
    solid.push_back(b_.And(b_.Lt(b_.Int(i), v.len),
                           b_.Not(b_.IsClass(CharClass::kSpace, v.ch[static_cast<size_t>(i)]))));
  }
  z3::expr first = v.len, last = b_.Int(0);
  for (int i = v.cap() - 1; i >= 0; --i) Assign(&first, b_.Ite(solid[static_cast<size_t>(i)], b_.Int(i), first));
  for (int i = 0; i < v.cap(); ++i) Assign(&last, b_.Ite(solid[static_cast<size_t>(i)], b_.Int(i + 1), last));
  return b_.Slice(v, first, last);
}

// GetFirst(t, count) (GetAll when `count` is nullopt): the characters inside
// the first `take` matches.
SymStr ProgramEncoder::GetFirst(const SymStr& v, const RegexChoice& r,
                                const std::optional<z3::expr>& count) {
  const Tokens t = b_.Matches(v, r);
  const z3::expr& n = t.count;
  z3::expr take = n;
  if (count) {  // Python matches[:count]
    Assign(&take, b_.Ite(b_.Le(b_.Int(0), *count), b_.Min(*count, n), b_.Max(b_.Int(0), b_.Add(n, *count))));
  }
  std::vector<z3::expr> keep;
  for (size_t i = 0; i < v.ch.size(); ++i) {
    const z3::expr& opened = t.starts_before[i + 1];  // matches begun at or before i
    const z3::expr inside = b_.Lt(t.ends_upto[i], opened);
    keep.push_back(b_.And(inside, b_.Lt(b_.Sub(opened, b_.Int(1)), take)));
  }
  return b_.Filter(v, keep);
}

// s[:at] + c + s[at + removed:], for 0 <= at and 1 <= removed <= max_removed,
// written position by position (each output character picks from s's head,
// c, or s's tail shifted by removed - len(c)).
SymStr ProgramEncoder::Splice(const SymStr& s, const z3::expr& at, const z3::expr& removed,
                              int max_removed, const SymStr& c) {
  const int cap = std::max(s.cap(), s.cap() - 1 + c.cap());
  int clen_lo = 0, clen_hi = c.cap();
  if (int n; c.len.is_numeral() && c.len.is_numeral_i(n)) clen_lo = clen_hi = n;
  SymStr out{b_.Add(b_.Sub(s.len, removed), c.len), {}};
  const z3::expr c_end = b_.Add(at, c.len);
  const z3::expr shift = b_.Sub(removed, c.len);
  for (int p = 0; p < cap; ++p) {
    const z3::expr head = p < s.cap() ? s.ch[static_cast<size_t>(p)] : b_.Int(kPad);
    const z3::expr mid = b_.At(c, b_.Sub(b_.Int(p), at), p - s.cap() + 1, p);
    const z3::expr tail = b_.At(s, b_.Add(b_.Int(p), shift), p + 1 - clen_hi, p + max_removed - clen_lo);
    out.ch.push_back(b_.Ite(b_.Lt(b_.Int(p), at), head, b_.Ite(b_.Lt(b_.Int(p), c_end), mid, tail)));
  }
  return out;
}

// The selected match's text is replaced where it FIRST occurs (reference).
SymStr ProgramEncoder::Substitute(const SymStr& v, const RegexChoice& r, const z3::expr& i,
                                  const SymStr& c) {
  const Tokens t = b_.Matches(v, r);
  const z3::expr j = MatchIndex(i, t.count);
  const z3::expr in_range = b_.And(b_.Le(b_.Int(0), j), b_.Lt(j, t.count));
  if (in_range.is_false()) return v;
  const SymStr m = b_.Slice(v, b_.MatchBegin(t, j), b_.MatchEnd(t, j));
  const z3::expr at = b_.Find(v, m);
  return b_.Ite(b_.And(in_range, b_.Le(b_.Int(0), at)), Splice(v, at, m.len, v.cap(), c), v);
}

// Each match's text in order, replaced at its first occurrence in the
// string as rewritten so far (reference).
SymStr ProgramEncoder::SubstituteAll(const SymStr& v, const RegexChoice& r, const SymStr& c) {
  const Tokens t = b_.Matches(v, r);
  SymStr s = v;
  for (int k = 0; k < t.max_count; ++k) {
    deadline_.Check();
    const z3::expr active = b_.Lt(b_.Int(k), t.count);
    if (active.is_false()) break;
    const SymStr m = b_.Slice(v, b_.MatchBegin(t, b_.Int(k)), b_.MatchEnd(t, b_.Int(k)));
    const z3::expr at = b_.Find(s, m);
    s = b_.Ite(b_.And(active, b_.Le(b_.Int(0), at)), Splice(s, at, m.len, v.cap(), c), s);
  }
  return s;
}

SymStr ProgramEncoder::Apply(const dsl::Expr& e, const ArgPath& at, const SymStr& v) {
  deadline_.Check();
  auto num = [&](int slot) { return IntArg(e, at, slot); };
  auto regex = [&](int slot) { return RegexArg(e, at, slot); };
  switch (e.op()) {
    case Op::kConstStr: return TextArg(e, at, 0);
    case Op::kSubStr: return SubStr(v, num(0), num(1));
    case Op::kGetSpan: {
      z3::expr found1 = b_.Bool(false), found2 = b_.Bool(false);
      const z3::expr p1 = SpanSide(v, regex(0), num(1), num(2), &found1);
      const z3::expr p2 = SpanSide(v, regex(3), num(4), num(5), &found2);
      return b_.Ite(b_.And(found1, found2), b_.Slice(v, p1, p2), b_.Empty());
    }
    case Op::kGetToken: return GetToken(v, regex(0), num(1));
    case Op::kGetUpto: return SplitAtFirst(v, regex(0), /*upto=*/true);
    case Op::kGetFrom: return SplitAtFirst(v, regex(0), /*upto=*/false);
    case Op::kToCase: return ToCase(v, num(0));
    case Op::kReplace: {
      const z3::expr from = num(0), to = num(1);
      SymStr out{v.len, {}};
      for (const z3::expr& x : v.ch) out.ch.push_back(b_.Ite(b_.Eq(x, from), to, x));
      return out;
    }
    case Op::kTrim: return Trim(v);
    case Op::kGetFirst: return GetFirst(v, regex(0), num(1));
    case Op::kGetAll: return GetFirst(v, regex(0), std::nullopt);
    case Op::kSubstitute: return Substitute(v, regex(0), num(1), TextArg(e, at, 2));
    case Op::kSubstituteAll: return SubstituteAll(v, regex(0), TextArg(e, at, 1));
    case Op::kRemove: return Substitute(v, regex(0), num(1), b_.Empty());
    case Op::kRemoveAll: return SubstituteAll(v, regex(0), b_.Empty());
  }
  return v;
}

std::optional<SymStr> ProgramEncoder::EncodeExpr(const dsl::Expr& e, ArgPath at,
                                                 const std::vector<std::optional<SymStr>>& columns) {
  if (e.op() == Op::kConstStr) return TextArg(e, at, 0);
  if (const dsl::Expr* inner = e.inner()) {
    ArgPath in = at;
    ++in.depth;
    std::optional<SymStr> source = EncodeExpr(*inner, in, columns);
    if (!source) return std::nullopt;
    return Apply(e, at, *source);
  }
  const auto col = static_cast<size_t>(e.column());
  if (e.column() < 0 || col >= columns.size() || !columns[col]) return std::nullopt;
  return Apply(e, at, *columns[col]);
}

Encoded ProgramEncoder::Encode(const dsl::Program& p,
                               const std::vector<std::optional<SymStr>>& columns) {
  // Fold the cases from the last: no case holds -> no output.
  Encoded result{b_.Bool(false), b_.Empty()};
  const auto& branches = p.branches();
  for (int bi = static_cast<int>(branches.size()) - 1; bi >= 0; --bi) {
    const dsl::Branch& branch = branches[static_cast<size_t>(bi)];
    // The condition: literals in order; a missing column read while all
    // earlier literals hold means no output.
    z3::expr holds = b_.Bool(true), error = b_.Bool(false);
    for (const dsl::MatchLiteral& m : branch.condition) {
      const auto col = static_cast<size_t>(m.column);
      if (m.column < 0 || col >= columns.size() || !columns[col]) {
        Assign(&error, b_.Or(error, holds));
        Assign(&holds, b_.Bool(false));
        break;
      }
      const Tokens t = b_.Matches(*columns[col], RegexChoice{{m.regex}, {b_.Bool(true)}});
      const z3::expr lit = b_.Le(b_.Int(m.count), t.count);
      Assign(&holds, b_.And(holds, m.negated ? b_.Not(lit) : lit));
    }
    Encoded body{b_.Bool(true), b_.Empty()};
    for (size_t ei = 0; ei < branch.body.size(); ++ei) {
      std::optional<SymStr> part =
          EncodeExpr(branch.body[ei], ArgPath{bi, static_cast<int>(ei), 0, 0}, columns);
      if (!part) {
        Assign(&body.defined, b_.Bool(false));
        break;
      }
      body.out = b_.Concat(body.out, *part);
    }
    Assign(&result.defined, b_.Ite(error, b_.Bool(false), b_.Ite(holds, body.defined, result.defined)));
    result.out = b_.Ite(holds, body.out, result.out);
  }
  return result;
}

absl::Status CheckEncodable(const dsl::Program& p) {
  if (!dsl::ReadsNumbers(p)) return absl::OkStatus();
  return absl::UnimplementedError(
      "no Z3 encoding of the number operators (ReadNumber, Scale, Round, Bin, Format): "
      "decimal rounding and formatting are checked by the interpreter only");
}

}  // namespace flashsynth::solver::internal
