#include "synth/internal/number_atoms.h"

#include <algorithm>
#include <cmath>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "dsl/decimal.h"
#include "dsl/interpreter.h"
#include "dsl/number_format.h"
#include "dsl/number_reader.h"
#include "dsl/text.h"

namespace flashsynth::synth::internal {
namespace {

using dsl::Arg;
using dsl::Decimal;
using dsl::Expr;
using dsl::Op;

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

// A value as an index key, cheap to compute and hash: sign, coefficient and
// exponent, with trailing zeros of the coefficient dropped unless
// `keep_scale` (then 2.50 and 2.5 differ, as "0.*" shows them).
struct ValueKey {
  bool negative;
  uint64_t high, low;
  int exponent;
  friend bool operator==(const ValueKey& a, const ValueKey& b) {
    return a.negative == b.negative && a.high == b.high && a.low == b.low &&
           a.exponent == b.exponent;
  }
  template <typename H>
  friend H AbslHashValue(H h, const ValueKey& k) {
    return H::combine(std::move(h), k.negative, k.high, k.low, k.exponent);
  }
};

ValueKey KeyOf(const Decimal& d, bool keep_scale) {
  absl::uint128 c = d.coefficient();
  int e = d.exponent();
  if (c == 0) {
    e = 0;
  } else if (keep_scale) {
    // Shown in plain notation: 15E2 is "1500", as 1500 is.
    while (e > 0 && c < absl::Uint128Max() / 10) {
      c *= 10;
      --e;
    }
  } else {
    while (c % 10 == 0) {
      c /= 10;
      ++e;
    }
  }
  return {d.negative(), absl::Uint128High64(c), absl::Uint128Low64(c), e};
}

// ---------------------------------------------------------------------------
// Chains: an optional Scale, then an optional Round or Bin.

struct Chain {
  int scale = 0;  // 0: no Scale
  Op op = Op::kConstStr;  // kRound, kBin, or kConstStr for none
  std::vector<Arg> args;
  Decimal step, offset;  // Round's step or Bin's width; Bin's offset
  dsl::RoundingMode mode = dsl::RoundingMode::kHalfAwayFromZero;
  dsl::BinEdge edge = dsl::BinEdge::kLow;
};

// What users scale by, round to and bin by.
constexpr std::array<int, 9> kScales = {0, 2, -2, 3, -3, 1, -1, 6, -6};
// The 1-2-2.5-5 series from 0.001 to 10000.
constexpr std::array<std::string_view, 27> kSteps = {
    "1", "10", "100", "1000", "0.1", "0.01", "5", "50", "0.5", "0.05", "25", "0.25",
    "500", "5000", "10000", "0.001", "0.005", "250", "2", "20", "200", "2000", "0.2",
    "0.02", "2.5", "0.025", "2500"};
constexpr std::array<dsl::RoundingMode, 6> kModes = {
    dsl::RoundingMode::kHalfAwayFromZero, dsl::RoundingMode::kFloor,
    dsl::RoundingMode::kCeiling,          dsl::RoundingMode::kTowardZero,
    dsl::RoundingMode::kAwayFromZero,     dsl::RoundingMode::kHalfEven};
constexpr std::array<dsl::BinEdge, 3> kEdges = {dsl::BinEdge::kLow, dsl::BinEdge::kHighInclusive,
                                                dsl::BinEdge::kHigh};

std::vector<Chain> MakeChains() {
  std::vector<Chain> transforms(1);  // none
  for (dsl::RoundingMode mode : kModes) {
    for (std::string_view s : kSteps) {
      Chain c;
      c.op = Op::kRound;
      c.mode = mode;
      c.step = *dsl::ParseDecimalConstant(s);
      c.args = {Arg::OfRounding(mode), Arg::OfDecimal(c.step)};
      transforms.push_back(std::move(c));
    }
  }
  for (dsl::BinEdge edge : kEdges) {
    for (std::string_view s : kSteps) {
      const Decimal width = *dsl::ParseDecimalConstant(s);
      if (width < *dsl::ParseDecimalConstant("0.5")) continue;  // bins are coarse
      for (int offset : {0, 1}) {
        Chain c;
        c.op = Op::kBin;
        c.edge = edge;
        c.step = width;
        c.offset = Decimal::FromInt(offset);
        c.args = {Arg::OfBinEdge(edge), Arg::OfDecimal(width), Arg::OfDecimal(c.offset)};
        transforms.push_back(std::move(c));
      }
    }
  }
  std::vector<Chain> chains;
  for (int k : kScales) {
    for (const Chain& t : transforms) {
      if (k != 0 && t.op == Op::kBin) continue;  // bins of the value as read
      Chain c = t;
      c.scale = k;
      chains.push_back(std::move(c));
    }
  }
  return chains;
}

// Every chain, made once.
const std::vector<Chain>& AllChains() {
  static const auto* chains = new std::vector<Chain>(MakeChains());
  return *chains;
}

// Whether the chain rounds toward zero or away from it: on values that are
// never negative these are Floor and Ceiling, which cost less.
bool SignSensitive(const Chain& c) {
  return c.op == Op::kRound && (c.mode == dsl::RoundingMode::kTowardZero ||
                                c.mode == dsl::RoundingMode::kAwayFromZero);
}

std::optional<Decimal> ApplyChain(const Chain& c, Decimal x) {
  if (c.scale != 0) {
    std::optional<Decimal> y = x.ScaleByPowerOfTen(c.scale);
    if (!y) return std::nullopt;
    x = *y;
  }
  if (c.op == Op::kRound) return x.RoundToMultiple(c.step, c.mode);
  if (c.op == Op::kBin) return dsl::BinEdgeOf(x, c.edge, c.step, c.offset);
  return x;
}

Expr ChainExpr(const Chain& c, Expr source) {
  if (c.scale != 0) source = Expr::Modification(Op::kScale, {Arg::Scale(c.scale)}, source);
  if (c.op != Op::kConstStr) source = Expr::Modification(c.op, c.args, source);
  return source;
}

// ---------------------------------------------------------------------------
// Numbers shown in an output.

struct MarksChars {
  dsl::NumberMarks marks;
  char32_t group, decimal;
};
constexpr std::array<MarksChars, 5> kMarks = {{
    {dsl::NumberMarks::kDot, ',', '.'},
    {dsl::NumberMarks::kComma, '.', ','},
    {dsl::NumberMarks::kSpaceDot, ' ', '.'},
    {dsl::NumberMarks::kSpaceComma, ' ', ','},
    {dsl::NumberMarks::kApostrophe, '\'', '.'},
}};

constexpr uint8_t kNoGroups = 1, kWestern = 2, kIndian = 4;
// Decimals options besides a fixed count (see AtomsFor).
constexpr int kKeepScale = -1;
constexpr int kGeneral = -2;
constexpr int kMaxShownLength = 64;  // characters of one shown number
// Consistent pairs kept per state, source and kind of chain (none, Round,
// Bin); atoms returned per piece and kind of the last step.
constexpr int kAtomsPerKind = 2;
constexpr int kPairsPerKind = 4;

// A number as an output shows it, and what that says about its format.
struct Shown {
  int32_t end = 0;  // in characters, after a closing parenthesis
  Decimal value;
  int int_digits = 0;
  bool padded = false;       // leading zeros: "0044"
  bool no_int = false;       // ".5"
  uint8_t groupings = 0;     // kNoGroups | kWestern | kIndian that can show it
  int decimals = 0;
  bool trailing_zero = false;  // "12.60"
  char sign = 0;             // '+', '-', '(' or 0
};

uint8_t GroupingsOf(const std::vector<int>& groups) {
  if (groups.size() == 1) return groups[0] >= 4 ? kNoGroups : (kNoGroups | kWestern | kIndian);
  const size_t n = groups.size();
  bool western = groups[0] >= 1 && groups[0] <= 3;
  bool indian = groups[0] >= 1 && groups[0] <= 2 && groups[n - 1] == 3;
  for (size_t i = 1; i < n; ++i) {
    western = western && groups[i] == 3;
    if (i + 1 < n) indian = indian && groups[i] == 2;
  }
  return (western ? kWestern : 0) | (indian ? kIndian : 0);
}

// The digits [b, e) of `out` as a shown number, or nullopt.
std::optional<Shown> ReadShown(const std::u32string& out, size_t b, size_t e, const MarksChars& m) {
  std::vector<int> groups(1, 0);
  std::string plain;
  int decimals = -1;  // -1: no decimal mark yet
  for (size_t i = b; i < e; ++i) {
    const char32_t c = out[i];
    if (IsDigit(c)) {
      plain += static_cast<char>(c);
      if (decimals >= 0) {
        ++decimals;
      } else {
        ++groups.back();
      }
    } else if (c == m.decimal && decimals < 0) {
      plain += '.';
      decimals = 0;
    } else if (c == m.group && decimals < 0 && groups.back() > 0) {
      groups.push_back(0);
    } else {
      return std::nullopt;
    }
  }
  if (decimals == 0 || (groups.back() == 0 && groups.size() > 1)) return std::nullopt;
  Shown s;
  s.groupings = GroupingsOf(groups);
  if (s.groupings == 0) return std::nullopt;
  for (int g : groups) s.int_digits += g;
  s.no_int = s.int_digits == 0;
  s.padded = s.int_digits > 1 && out[b] == '0';
  s.decimals = std::max(decimals, 0);
  s.trailing_zero = s.decimals > 0 && out[e - 1] == '0';
  std::optional<Decimal> v = dsl::ParseDecimal(s.no_int ? "0" + plain : plain, dsl::NumberReading{});
  if (!v) return std::nullopt;
  s.value = *v;
  return s;
}

// The longest number shown at character q of `out` with marks `m`.
std::optional<Shown> ShownAt(const std::u32string& out, size_t q, const MarksChars& m) {
  const size_t n = out.size();
  if (q >= n || (q > 0 && IsDigit(out[q - 1]))) return std::nullopt;
  size_t i = q;
  char sign = 0;
  if (out[i] == '(' || out[i] == '-' || out[i] == '+' || out[i] == U'\u2212') {
    sign = out[i] == '(' ? '(' : out[i] == '+' ? '+' : '-';
    ++i;
  }
  auto digit_at = [&](size_t j) { return j < n && IsDigit(out[j]); };
  if (!digit_at(i) && !(i < n && out[i] == m.decimal && digit_at(i + 1))) return std::nullopt;
  size_t run = i;
  while (run < n && run - i < kMaxShownLength &&
         (IsDigit(out[run]) || ((out[run] == m.group || out[run] == m.decimal) && digit_at(run + 1)))) {
    ++run;
  }
  for (size_t e = run; e > i; --e) {
    if (!IsDigit(out[e - 1]) || digit_at(e)) continue;
    std::optional<Shown> s = ReadShown(out, i, e, m);
    if (!s) continue;
    s->sign = sign;
    s->end = static_cast<int32_t>(e);
    if (sign == '(') {
      if (e >= n || out[e] != ')') return std::nullopt;
      s->end = static_cast<int32_t>(e + 1);
    }
    if (sign == '(' || sign == '-') s->value = s->value.Negate();
    return s;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Sources: ReadNumber of a column, with one value per example.

struct Source {
  Expr read;
  std::vector<Decimal> values;  // per example
};

}  // namespace

struct NumberAtoms::Impl {
  const Ranker& ranker;
  std::vector<std::u32string> outputs;  // per example
  std::vector<std::string> outputs_utf8;
  std::vector<std::vector<size_t>> offsets;  // per example: byte offset of each character
  std::vector<Source> sources;
  const std::vector<Chain>& chains = AllChains();
  // Pair i is source i / chains.size() with chain i % chains.size().
  size_t num_pairs() const { return sources.size() * chains.size(); }
  int SourceOf(int pair) const { return pair / static_cast<int>(chains.size()); }
  const Chain& ChainOf(int pair) const { return chains[static_cast<size_t>(pair) % chains.size()]; }
  std::vector<char> sign_sensitive_ok;  // per source: has a negative value
  std::vector<double> chain_score;      // per chain, NaN until needed
  double ChainScore(int pair);
  std::vector<MarksChars> marks;  // the marks the outputs can show
  // Per (pivot, decimals option): pairs by the key of their
  // shown pivot value. Only the pivot's values are computed up front; the
  // other examples' only for the pairs a state's pivot piece selects.
  absl::flat_hash_map<std::pair<int, int>, absl::flat_hash_map<ValueKey, std::vector<int>>> index;
  // Per pivot: every pair's value on it (nullopt: out of range).
  absl::flat_hash_map<int, std::vector<std::optional<Decimal>>> pivot_values;

  Impl(absl::Span<const Example> examples, const Ranker& r);
  const absl::flat_hash_map<ValueKey, std::vector<int>>& IndexFor(int pivot, int decimals);
  std::vector<NumberAtom> At(const std::vector<int32_t>& start, int pivot, int max_atoms);
  void AtomsFor(const std::vector<int32_t>& start, int pivot, const MarksChars& m,
                const std::vector<Shown>& shown, std::vector<NumberAtom>* atoms);
};

NumberAtoms::Impl::Impl(absl::Span<const Example> examples, const Ranker& r) : ranker(r) {
  bool any_digit = false;
  for (const Example& e : examples) {
    outputs_utf8.push_back(e.output);
    offsets.push_back(dsl::CharOffsets(e.output));
    std::u32string chars;
    for (size_t i = 0; i + 1 < offsets.back().size(); ++i) {
      size_t pos = offsets.back()[i];
      chars.push_back(dsl::DecodeUtf8(e.output, &pos));
      any_digit |= IsDigit(chars.back());
    }
    outputs.push_back(std::move(chars));
  }
  if (!any_digit) return;
  for (const MarksChars& m : kMarks) {
    bool seen = m.marks == dsl::NumberMarks::kDot;
    for (const std::u32string& o : outputs) {
      for (size_t i = 1; i + 1 < o.size() && !seen; ++i) {
        seen = (o[i] == m.group || o[i] == m.decimal) && IsDigit(o[i - 1]) && IsDigit(o[i + 1]);
      }
    }
    if (seen) marks.push_back(m);
  }
  // Sources, best first; one per vector of values.
  const int columns = static_cast<int>(examples.front().inputs.size());
  absl::flat_hash_set<std::vector<ValueKey>> seen_values;
  for (int c = 0; c < columns; ++c) {
    bool comma = false;
    for (const Example& e : examples) comma |= e.inputs[c].find(',') != std::string::npos;
    for (dsl::DecimalMark mark : {dsl::DecimalMark::kDot, dsl::DecimalMark::kComma}) {
      if (mark == dsl::DecimalMark::kComma && !comma) continue;
      std::vector<std::vector<dsl::NumberMatch>> found;
      for (const Example& e : examples) found.push_back(dsl::FindNumbers(e.inputs[c], mark));
      for (int slot = 0; slot < 2 * dsl::kMaxIndex; ++slot) {
        const int index = slot % 2 == 0 ? slot / 2 + 1 : -(slot / 2 + 1);  // 1, -1, 2, -2, ...
        Source s{Expr::Modification(Op::kReadNumber, {Arg::OfMark(mark), Arg::Index(index)}, c), {}};
        std::vector<ValueKey> key;
        for (const auto& numbers : found) {
          const auto n = static_cast<int>(numbers.size());
          const int j = index > 0 ? index - 1 : n + index;
          if (j < 0 || j >= n) break;
          s.values.push_back(numbers[static_cast<size_t>(j)].value);
          key.push_back(KeyOf(s.values.back(), false));
        }
        if (s.values.size() != examples.size() || !seen_values.insert(key).second) continue;
        bool negative = false;
        for (const Decimal& x : s.values) negative |= x.negative();
        sign_sensitive_ok.push_back(negative);
        sources.push_back(std::move(s));
      }
    }
  }
}

// The chain's part of the prior: ScoreExpr of the chain over a bare read,
// less that of the read.
double NumberAtoms::Impl::ChainScore(int pair) {
  const size_t c = static_cast<size_t>(pair) % chains.size();
  if (chain_score.empty()) chain_score.assign(chains.size(), std::nan(""));
  if (std::isnan(chain_score[c])) {
    const Expr read = Expr::Modification(
        Op::kReadNumber, {Arg::OfMark(dsl::DecimalMark::kDot), Arg::Index(1)}, 0);
    chain_score[c] = ranker.ScoreExpr(ChainExpr(chains[c], read)) - ranker.ScoreExpr(read);
  }
  return chain_score[c];
}

const absl::flat_hash_map<ValueKey, std::vector<int>>& NumberAtoms::Impl::IndexFor(int pivot,
                                                                                int decimals) {
  auto [it, fresh] = index.try_emplace({pivot, decimals});
  if (!fresh) return it->second;
  auto [values, first] = pivot_values.try_emplace(pivot);
  if (first) {
    values->second.resize(num_pairs());
    for (int i = 0; i < static_cast<int>(num_pairs()); ++i) {
      const Chain& c = ChainOf(i);
      if (SignSensitive(c) && !sign_sensitive_ok[static_cast<size_t>(SourceOf(i))]) continue;
      values->second[static_cast<size_t>(i)] = ApplyChain(c, sources[static_cast<size_t>(SourceOf(i))].values[pivot]);
    }
  }
  for (int i = 0; i < static_cast<int>(num_pairs()); ++i) {
    const std::optional<Decimal>& y = values->second[static_cast<size_t>(i)];
    if (!y) continue;
    if (decimals < 0) {
      it->second[KeyOf(*y, false)].push_back(i);
    } else if (std::optional<Decimal> r = y->RoundToDecimals(decimals, dsl::RoundingMode::kHalfAwayFromZero)) {
      it->second[KeyOf(*r, false)].push_back(i);
    }
  }
  return it->second;
}

void NumberAtoms::Impl::AtomsFor(const std::vector<int32_t>& start, int pivot, const MarksChars& m,
                                 const std::vector<Shown>& shown, std::vector<NumberAtom>* atoms) {
  // The format the examples agree on, field by field.
  dsl::NumberFormat f;
  uint8_t groupings = kNoGroups | kWestern | kIndian;
  int padded_width = -1;
  bool any_int_zero = false, any_no_int = false, all_equal_decimals = true, any_trailing_zero = false;
  char sign = 0;
  for (const Shown& s : shown) {
    groupings &= s.groupings;
    if (s.padded) {
      if (padded_width >= 0 && padded_width != s.int_digits) return;
      padded_width = s.int_digits;
    }
    any_no_int |= s.no_int;
    // "0.5" (a zero before the point) and ".5" (none) cannot share a format.
    any_int_zero |= !s.no_int && s.int_digits == 1 && !s.value.IsZero() &&
                    Decimal::FromInt(-1) < s.value && s.value < Decimal::FromInt(1);
    all_equal_decimals &= s.decimals == shown[static_cast<size_t>(pivot)].decimals;
    any_trailing_zero |= s.trailing_zero;
    if (s.sign == '+' || s.sign == '(') {
      if (sign != 0 && sign != s.sign) return;
      sign = s.sign;
    }
  }
  if (groupings == 0 || (any_no_int && any_int_zero)) return;
  f.grouping = (groupings & kNoGroups) ? dsl::Grouping::kNone
               : (groupings & kWestern) ? dsl::Grouping::kWestern
                                        : dsl::Grouping::kIndian;
  f.min_integer_digits = padded_width >= 0 ? padded_width : any_no_int ? 0 : 1;
  const dsl::SignStyle sign_style = sign == '+'   ? dsl::SignStyle::kAlways
                                    : sign == '(' ? dsl::SignStyle::kParentheses
                                                  : dsl::SignStyle::kMinusOnly;
  // kKeepScale: the decimals the value carries ("0.*"); kGeneral: those but
  // trailing zeros ("General"); d >= 0: exactly d ("0.00").
  std::vector<int> decimal_options = {kKeepScale};
  // General only plain: "General" has no room for padding or groups.
  if (!any_trailing_zero && f.min_integer_digits == 1 && f.grouping == dsl::Grouping::kNone) {
    decimal_options.push_back(kGeneral);
  }
  if (all_equal_decimals) decimal_options.push_back(shown[static_cast<size_t>(pivot)].decimals);
  for (int d : decimal_options) {
    f.keep_scale = d == kKeepScale;
    f.min_decimals = d < 0 ? 0 : d;
    f.max_decimals = d < 0 ? dsl::kMaxFormatPlaceholders : d;
    const std::string code = dsl::NumberFormatCode(f);
    absl::StatusOr<dsl::NumberFormat> shows = dsl::MakeNumberFormat(code, m.marks, sign_style);
    if (!shows.ok()) continue;
    // One index serves "0.*" and General (the value itself); formatting
    // below tells them apart.
    const auto& by_value = IndexFor(pivot, d < 0 ? kGeneral : d);
    const Decimal& v = shown[static_cast<size_t>(pivot)].value;
    auto it = by_value.find(KeyOf(v, false));
    if (it == by_value.end()) continue;
    // The pairs that give every example's piece give the same pieces, so a
    // few per source and kind of chain are enough (best first by the
    // prior), and the rows to fill still see Round beside Bin.
    std::vector<std::pair<double, int>> ranked;  // (chain score, pair), best first
    for (int pi : it->second) ranked.push_back({ChainScore(pi), pi});
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    absl::flat_hash_map<int, int> kept_of_kind;
    for (const auto& [chain_score_unused, pi] : ranked) {
      const Chain& chain = ChainOf(pi);
      const Source& source = sources[static_cast<size_t>(SourceOf(pi))];
      int& kept = kept_of_kind[SourceOf(pi) * 256 + static_cast<int>(chain.op)];
      if (kept >= kPairsPerKind) continue;
      bool ok = true;
      for (size_t k = 0; k < shown.size() && ok; ++k) {
        const std::vector<size_t>& off = offsets[k];
        const std::string_view piece = std::string_view(outputs_utf8[k]).substr(
            off[start[k]], off[shown[k].end] - off[start[k]]);
        const std::optional<Decimal> y = ApplyChain(chain, source.values[k]);
        ok = y && dsl::FormatDecimal(*y, *shows) == piece;
      }
      if (!ok) continue;
      ++kept;
      Expr e = Expr::Modification(
          Op::kFormat, {Arg::FormatCode(code), Arg::OfMarks(m.marks), Arg::OfSign(sign_style)},
          ChainExpr(chain, source.read));
      std::vector<int32_t> end;
      for (const Shown& s : shown) end.push_back(s.end);
      const double score = ranker.ScoreExpr(e);
      atoms->push_back({std::move(e), score, std::move(end)});
    }
  }
}

std::vector<NumberAtom> NumberAtoms::Impl::At(const std::vector<int32_t>& start, int pivot,
                                              int max_atoms) {
  std::vector<NumberAtom> atoms;
  if (sources.empty() || marks.empty()) return atoms;
  for (const MarksChars& m : marks) {
    std::vector<Shown> shown;
    for (size_t k = 0; k < outputs.size(); ++k) {
      std::optional<Shown> s = ShownAt(outputs[k], static_cast<size_t>(start[k]), m);
      if (!s) break;
      shown.push_back(*s);
    }
    if (shown.size() != outputs.size()) continue;
    AtomsFor(start, pivot, m, shown, &atoms);
  }
  std::stable_sort(atoms.begin(), atoms.end(),
                   [](const NumberAtom& a, const NumberAtom& b) { return a.score > b.score; });
  // At most kAtomsPerKind per piece and kind of step (none, Round, Bin), so
  // that the few alternatives an edge keeps are not all roundings.
  std::vector<NumberAtom> kept;
  absl::flat_hash_map<std::string, int> per_kind;
  for (NumberAtom& a : atoms) {
    if (static_cast<int>(kept.size()) >= max_atoms) break;
    const Expr* step = a.expr.inner();
    const int kind = step == nullptr ? 0 : static_cast<int>(step->op());
    std::string key(reinterpret_cast<const char*>(a.end.data()), a.end.size() * sizeof(int32_t));
    key += static_cast<char>(kind);
    if (per_kind[key]++ >= kAtomsPerKind) continue;
    kept.push_back(std::move(a));
  }
  return kept;
}

NumberAtoms::NumberAtoms(absl::Span<const Example> examples, const Ranker& ranker)
    : impl_(std::make_unique<Impl>(examples, ranker)) {}
NumberAtoms::~NumberAtoms() = default;

bool NumberAtoms::active() const { return !impl_->sources.empty() && !impl_->marks.empty(); }

std::vector<NumberAtom> NumberAtoms::At(const std::vector<int32_t>& start, int pivot,
                                        int max_atoms) {
  return impl_->At(start, pivot, max_atoms);
}

}  // namespace flashsynth::synth::internal
