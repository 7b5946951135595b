#include "dsl/interpreter.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "dsl/match.h"
#include "dsl/number_reader.h"
#include "dsl/text.h"

namespace flashsynth::dsl {

namespace {

using Cell = std::optional<std::string_view>;

// The cell of `column`, or nullopt if missing or not UTF-8.
Cell ReadColumn(absl::Span<const std::string> row, int column) {
  if (column < 0 || static_cast<size_t>(column) >= row.size()) return std::nullopt;
  const std::string& cell = row[static_cast<size_t>(column)];
  if (!IsValidUtf8(cell)) return std::nullopt;
  return std::string_view(cell);
}

// Python's v[start:stop] on a text of n characters: negative bounds count
// from the end, then both clamp to [0, n].
std::string Slice(const Utf8Text& v, int64_t start, int64_t stop) {
  const auto n = static_cast<int64_t>(v.size());
  auto clamp = [n](int64_t p) { return std::clamp(p < 0 ? p + n : p, int64_t{0}, n); };
  start = clamp(start);
  stop = clamp(stop);
  if (start >= stop) return "";
  return std::string(v.Slice(static_cast<size_t>(start), static_cast<size_t>(stop)));
}

// The 0-based match selected by a 1-based index (negative: from the end).
int64_t MatchIndex(int index, size_t num_matches) {
  return index > 0 ? int64_t{index} - 1 : static_cast<int64_t>(num_matches) + index;
}

std::string SubStr(const Utf8Text& v, int k1, int k2) {
  const auto n = static_cast<int64_t>(v.size());
  const int64_t p1 = k1 > 0 ? int64_t{k1} - 1 : n + k1;
  const int64_t p2 = k2 > 0 ? int64_t{k2} - 1 : n + k2;
  // Reference quirks: SubStr(k, k) is empty; k2 = 0 runs to the end.
  if (p1 >= p2) return "";
  if (p2 == n) return Slice(v, p1, n);
  return Slice(v, p1, p2 + 1);
}

// One side of GetSpan: a character position, or -1 when `r` has no match.
int64_t SpanBoundary(const Utf8Text& v, Regex r, int index, Boundary y) {
  const std::vector<Span> matches = FindMatches(v, r);
  if (matches.empty()) return -1;
  const int64_t j = MatchIndex(index, matches.size());
  const auto n = static_cast<int64_t>(matches.size());
  // Reference quirk: an index past the last match yields the match count
  // minus one, used as a character position.
  if (j >= n) return n - 1;
  if (j < 0) return 0;
  const Span& s = matches[static_cast<size_t>(j)];
  return static_cast<int64_t>(y == Boundary::kStart ? s.begin : s.end);
}

std::string GetSpan(const Utf8Text& v, const std::vector<Arg>& a) {
  const int64_t p1 = SpanBoundary(v, a[0].regex(), a[1].number(), a[2].boundary());
  const int64_t p2 = SpanBoundary(v, a[3].regex(), a[4].number(), a[5].boundary());
  if (p1 < 0 || p2 < 0) return "";
  return Slice(v, p1, p2);
}

std::string GetToken(const Utf8Text& v, TokenType t, int index) {
  const std::vector<Span> matches = FindMatches(v, Regex::Of(t));
  const int64_t j = MatchIndex(index, matches.size());
  if (j < 0 || j >= static_cast<int64_t>(matches.size())) return "";
  const Span& s = matches[static_cast<size_t>(j)];
  return std::string(v.Slice(s.begin, s.end));
}

// GetUpto (`upto`) or GetFrom: split at the end of the FIRST match (the
// reference's GetFrom uses the first match, not the last as the paper says).
std::string SplitAtFirst(const Utf8Text& v, Regex r, bool upto) {
  std::vector<Span> matches = FindMatches(v, r);
  if (matches.empty()) return "";
  const size_t end = matches.front().end;
  return std::string(upto ? v.Slice(0, end) : v.Slice(end, v.size()));
}

std::string GetFirst(const Utf8Text& v, TokenType t, int count) {
  const std::vector<Span> matches = FindMatches(v, Regex::Of(t));
  const auto n = static_cast<int64_t>(matches.size());
  // Python's matches[:count]: a negative count drops the last |count|.
  int64_t take = count >= 0 ? std::min<int64_t>(count, n) : std::max<int64_t>(0, n + count);
  std::string out;
  for (int64_t i = 0; i < take; ++i) {
    const Span& s = matches[static_cast<size_t>(i)];
    out += v.Slice(s.begin, s.end);
  }
  return out;
}

// Python's s.replace(old, new, 1) for non-empty `old`.
void ReplaceFirst(std::string* s, std::string_view old, std::string_view replacement) {
  const size_t at = s->find(old);
  if (at != std::string::npos) s->replace(at, old.size(), replacement);
}

// Substitute/Remove: the selected match's text is replaced where it FIRST
// occurs in v, which need not be at the match (reference semantics).
std::string Substitute(const Utf8Text& v, TokenType t, int index, std::string_view c) {
  const std::vector<Span> matches = FindMatches(v, Regex::Of(t));
  std::string out(v.text());
  const int64_t j = MatchIndex(index, matches.size());
  if (j < 0 || j >= static_cast<int64_t>(matches.size())) return out;
  const Span& s = matches[static_cast<size_t>(j)];
  ReplaceFirst(&out, v.Slice(s.begin, s.end), c);
  return out;
}

// SubstituteAll/RemoveAll: each match's text, in order, replaced at its
// first occurrence in the string as rewritten so far. O(length x matches).
std::string SubstituteAll(const Utf8Text& v, TokenType t, std::string_view c) {
  std::string out(v.text());
  for (const Span& s : FindMatches(v, Regex::Of(t))) ReplaceFirst(&out, v.Slice(s.begin, s.end), c);
  return out;
}

std::string ToCase(std::string_view v, Case c) {
  switch (c) {
    case Case::kProper: return Capitalize(v);
    case Case::kAllCaps: return ToUpper(v);
    case Case::kLower: return ToLower(v);
    case Case::kTitle: return ToTitle(v);
  }
  return std::string(v);
}

std::string Replace(std::string_view v, char from, char to) {
  std::string out(v);
  // Delimiters are ASCII, so no byte of a multi-byte character matches.
  std::replace(out.begin(), out.end(), from, to);
  return out;
}

// Applies the substring or modification `e` to the text `source`.
std::string Apply(const Expr& e, std::string_view source) {
  const Utf8Text v(source);
  const std::vector<Arg>& a = e.args();
  switch (e.op()) {
    case Op::kConstStr: return a[0].text();
    case Op::kSubStr: return SubStr(v, a[0].number(), a[1].number());
    case Op::kGetSpan: return GetSpan(v, a);
    case Op::kGetToken: return GetToken(v, a[0].type(), a[1].number());
    case Op::kGetUpto: return SplitAtFirst(v, a[0].regex(), /*upto=*/true);
    case Op::kGetFrom: return SplitAtFirst(v, a[0].regex(), /*upto=*/false);
    case Op::kToCase: return ToCase(source, a[0].case_value());
    case Op::kReplace: return Replace(source, a[0].delimiter(), a[1].delimiter());
    case Op::kTrim: return std::string(Strip(source));
    case Op::kGetFirst: return GetFirst(v, a[0].type(), a[1].number());
    case Op::kGetAll: return GetFirst(v, a[0].type(), INT32_MAX);
    case Op::kSubstitute: return Substitute(v, a[0].type(), a[1].number(), a[2].text());
    case Op::kSubstituteAll: return SubstituteAll(v, a[0].type(), a[1].text());
    case Op::kRemove: return Substitute(v, a[0].type(), a[1].number(), "");
    case Op::kRemoveAll: return SubstituteAll(v, a[0].type(), "");
    default: return "";  // the number operators are not text to text
  }
  return "";
}

// ---------------------------------------------------------------- Numbers

std::optional<Decimal> ReadNumber(std::string_view source, DecimalMark mark, int index) {
  const std::vector<NumberMatch> numbers = FindNumbers(source, mark);
  const int64_t j = MatchIndex(index, numbers.size());
  if (j < 0 || j >= static_cast<int64_t>(numbers.size())) return std::nullopt;
  return numbers[static_cast<size_t>(j)].value;
}

// The unit Bin's HighInclusive takes off: the last decimal place of the
// width and the offset, 1 for whole numbers.
Decimal BinUnit(const Decimal& width, const Decimal& offset) {
  const int places = std::max({0, -width.exponent(), -offset.exponent()});
  return *Decimal::FromParts(false, 1, -places);
}

}  // namespace

std::optional<Decimal> BinEdgeOf(const Decimal& x, BinEdge edge, const Decimal& width,
                                 const Decimal& offset) {
  if (width.IsZero() || width.negative()) return std::nullopt;
  const std::optional<Decimal> shifted = x.Subtract(offset);
  if (!shifted) return std::nullopt;
  const std::optional<Decimal> floor = shifted->RoundToMultiple(width, RoundingMode::kFloor);
  if (!floor) return std::nullopt;
  const std::optional<Decimal> low = floor->Add(offset);
  if (!low || edge == BinEdge::kLow) return low;
  const std::optional<Decimal> high = low->Add(width);
  if (!high || edge == BinEdge::kHigh) return high;
  return high->Subtract(BinUnit(width, offset));
}

namespace {

// Applies the number-to-number operator `e` to `x`.
std::optional<Decimal> ApplyNumber(const Expr& e, const Decimal& x) {
  const std::vector<Arg>& a = e.args();
  switch (e.op()) {
    case Op::kScale: return x.ScaleByPowerOfTen(a[0].number());
    case Op::kRound: {
      const std::optional<Decimal> step = a[1].decimal();
      if (!step) return std::nullopt;
      return x.RoundToMultiple(*step, a[0].rounding());
    }
    case Op::kBin: {
      const std::optional<Decimal> width = a[1].decimal();
      const std::optional<Decimal> offset = a[2].decimal();
      if (!width || !offset) return std::nullopt;
      return BinEdgeOf(x, a[0].bin_edge(), *width, *offset);
    }
    default: return std::nullopt;
  }
}

// Whether `e` carries the arguments its operator needs, so that Apply()
// may index them; malformed expressions give no output instead.
bool WellFormed(const Expr& e) {
  if (!IsValidOp(e.op())) return false;
  const OpInfo& info = GetOpInfo(e.op());
  if (e.args().size() != info.args.size()) return false;
  for (size_t i = 0; i < info.args.size(); ++i) {
    if (e.arg(i).kind() != info.args[i]) return false;
    const int v = e.arg(i).raw_value();
    switch (info.args[i]) {
      case ArgKind::kType: if (v < 0 || v >= kNumTokenTypes) return false; break;
      case ArgKind::kRegex: if (v < 0 || v > 127) return false; break;
      case ArgKind::kCase: if (v < 0 || v >= kNumCases) return false; break;
      case ArgKind::kString:
      case ArgKind::kFormat: if (!IsValidUtf8(e.arg(i).text())) return false; break;
      case ArgKind::kMark: if (v < 0 || v >= kNumDecimalMarks) return false; break;
      case ArgKind::kRounding: if (v < 0 || v >= kNumRoundingModes) return false; break;
      case ArgKind::kBinEdge: if (v < 0 || v >= kNumBinEdges) return false; break;
      case ArgKind::kMarks: if (v < 0 || v >= kNumNumberMarks) return false; break;
      case ArgKind::kSign: if (v < 0 || v >= kNumSignStyles) return false; break;
      default: break;
    }
  }
  return true;
}

std::optional<std::string> EvaluateAtDepth(const Expr& e, absl::Span<const std::string> row,
                                           int depth);

// The value of a number expression; nullopt when the source has no number
// there, or a step leaves Decimal's range.
std::optional<Decimal> EvaluateNumber(const Expr& e, absl::Span<const std::string> row,
                                      int depth) {
  if (depth > kMaxNesting || !WellFormed(e) || e.result() != ValueType::kNumber) {
    return std::nullopt;
  }
  const Expr* inner = e.inner();
  if (e.op() == Op::kReadNumber) {
    std::optional<std::string> text;
    if (inner != nullptr) {
      text = EvaluateAtDepth(*inner, row, depth + 1);
    } else if (const Cell cell = ReadColumn(row, e.column())) {
      text = std::string(*cell);
    }
    if (!text) return std::nullopt;
    return ReadNumber(*text, e.arg(0).mark(), e.arg(1).number());
  }
  if (inner == nullptr) return std::nullopt;
  const std::optional<Decimal> x = EvaluateNumber(*inner, row, depth + 1);
  if (!x) return std::nullopt;
  return ApplyNumber(e, *x);
}

std::optional<std::string> Format(const Expr& e, absl::Span<const std::string> row, int depth) {
  if (e.inner() == nullptr) return std::nullopt;
  const std::optional<Decimal> x = EvaluateNumber(*e.inner(), row, depth + 1);
  if (!x) return std::nullopt;
  const absl::StatusOr<NumberFormat> f =
      MakeNumberFormat(e.arg(0).text(), e.arg(1).marks(), e.arg(2).sign());
  if (!f.ok()) return std::nullopt;
  return FormatDecimal(*x, *f);
}

std::optional<std::string> EvaluateAtDepth(const Expr& e, absl::Span<const std::string> row,
                                           int depth) {
  if (depth > kMaxNesting || !WellFormed(e)) return std::nullopt;
  if (e.op() == Op::kConstStr) return e.arg(0).text();
  if (e.op() == Op::kFormat) return Format(e, row, depth);
  if (e.result() != ValueType::kText) return std::nullopt;  // a number is not text
  if (const Expr* inner = e.inner()) {
    std::optional<std::string> source = EvaluateAtDepth(*inner, row, depth + 1);
    if (!source) return std::nullopt;
    return Apply(e, *source);
  }
  const Cell cell = ReadColumn(row, e.column());
  if (!cell) return std::nullopt;
  return Apply(e, *cell);
}

}  // namespace

std::optional<std::string> EvaluateExpr(const Expr& expr, absl::Span<const std::string> row) {
  return EvaluateAtDepth(expr, row, 0);
}

std::optional<bool> EvaluateCondition(const std::vector<MatchLiteral>& condition,
                                      absl::Span<const std::string> row) {
  for (const MatchLiteral& m : condition) {
    const Cell cell = ReadColumn(row, m.column);
    if (!cell) return std::nullopt;
    const bool holds = HasMatches(Utf8Text(*cell), m.regex, m.count);
    if (holds == m.negated) return false;
  }
  return true;
}

std::optional<std::string> Evaluate(const Program& program, absl::Span<const std::string> row) {
  for (const Branch& branch : program.branches()) {
    const std::optional<bool> holds = EvaluateCondition(branch.condition, row);
    if (!holds) return std::nullopt;
    if (!*holds) continue;
    std::string out;
    for (const Expr& e : branch.body) {
      std::optional<std::string> part = EvaluateExpr(e, row);
      if (!part) return std::nullopt;
      out += *part;
    }
    return out;
  }
  return std::nullopt;
}

}  // namespace flashsynth::dsl
