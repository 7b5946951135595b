#include "dsl/decimal.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/numeric/int128.h"
#include "dsl/text.h"

namespace flashsynth::dsl {

namespace {

using absl::uint128;

// 10^n for n in [0, 38]; 10^38 < 2^128 / 3.
uint128 Pow10(int n) {
  static const std::array<uint128, Decimal::kMaxDigits + 1> kTable = [] {
    std::array<uint128, Decimal::kMaxDigits + 1> t{};
    t[0] = 1;
    for (size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
    return t;
  }();
  return kTable[n];
}

const uint128 kLimit = Pow10(Decimal::kMaxDigits);  // first value too large

int CountDigits(uint128 c) {
  int n = 1;
  while (n < Decimal::kMaxDigits + 1 && c >= Pow10(n)) ++n;
  return n;
}

// c * 10^k, or nullopt past 2^128 - 1.
std::optional<uint128> MulPow10(uint128 c, int k) {
  if (c == 0) return uint128(0);
  if (k > Decimal::kMaxDigits) return std::nullopt;
  uint128 p = Pow10(k);
  if (c > absl::Uint128Max() / p) return std::nullopt;
  return c * p;
}

std::string CoefficientDigits(uint128 c) {
  std::string s;
  do {
    s.push_back(static_cast<char>('0' + static_cast<int>(c % 10)));
    c /= 10;
  } while (c != 0);
  std::reverse(s.begin(), s.end());
  return s;
}

// The magnitude of `d` in plain notation: integer digits (at least "0")
// and fraction digits (exactly -exponent of them, or none).
void SplitDigits(const Decimal& d, std::string* int_part, std::string* frac) {
  std::string digits = CoefficientDigits(d.coefficient());
  frac->clear();
  if (d.exponent() >= 0) {
    *int_part = d.IsZero() ? "0" : digits + std::string(d.exponent(), '0');
    return;
  }
  const size_t n = static_cast<size_t>(-d.exponent());
  if (digits.size() <= n) digits.insert(0, n - digits.size() + 1, '0');
  *int_part = digits.substr(0, digits.size() - n);
  *frac = digits.substr(digits.size() - n);
}

// Whether a quotient with remainder r (0 <= r < divisor) and sign
// `negative` moves one step away from zero under `mode`.
bool RoundsAway(uint128 quotient, uint128 r, uint128 divisor, bool negative,
                RoundingMode mode) {
  if (r == 0) return false;
  const uint128 rest = divisor - r;  // r vs rest compares 2r vs divisor
  switch (mode) {
    case RoundingMode::kHalfAwayFromZero: return r >= rest;
    case RoundingMode::kHalfEven:
      return r > rest || (r == rest && quotient % 2 == 1);
    case RoundingMode::kTowardZero: return false;
    case RoundingMode::kAwayFromZero: return true;
    case RoundingMode::kFloor: return negative;
    case RoundingMode::kCeiling: return !negative;
  }
  return false;
}

// Drops trailing zeros of *c (raising *e) until *c < 10^38.
bool FitCoefficient(uint128* c, int* e) {
  while (*c >= kLimit) {
    if (*c % 10 != 0) return false;
    *c /= 10;
    ++*e;
  }
  return true;
}

// Compares |a| and |b|: -1, 0 or 1.
int CompareMagnitude(const Decimal& a, const Decimal& b) {
  if (a.IsZero() || b.IsZero()) {
    return a.IsZero() ? (b.IsZero() ? 0 : -1) : 1;
  }
  const int adj_a = CountDigits(a.coefficient()) + a.exponent();
  const int adj_b = CountDigits(b.coefficient()) + b.exponent();
  if (adj_a != adj_b) return adj_a < adj_b ? -1 : 1;
  // Same leading place: aligning multiplies by < 10^38, staying in 38 digits.
  uint128 ca = a.coefficient(), cb = b.coefficient();
  if (a.exponent() > b.exponent()) ca *= Pow10(a.exponent() - b.exponent());
  if (b.exponent() > a.exponent()) cb *= Pow10(b.exponent() - a.exponent());
  return ca == cb ? 0 : (ca < cb ? -1 : 1);
}

}  // namespace

std::optional<Decimal> Decimal::FromParts(bool negative, uint128 coefficient,
                                          int exponent) {
  if (coefficient >= kLimit) return std::nullopt;
  if (exponent < -kMaxExponent || exponent > kMaxExponent) return std::nullopt;
  Decimal d;
  d.negative_ = negative && coefficient != 0;
  d.coefficient_ = coefficient;
  d.exponent_ = exponent;
  return d;
}

Decimal Decimal::FromInt(int64_t value) {
  // Magnitude without overflow for INT64_MIN.
  const uint64_t magnitude = value < 0 ? uint64_t{0} - static_cast<uint64_t>(value)
                                       : static_cast<uint64_t>(value);
  return *FromParts(value < 0, magnitude, 0);
}

std::string Decimal::ToString() const {
  std::string int_part, frac;
  SplitDigits(*this, &int_part, &frac);
  return (negative_ ? "-" : "") + int_part + (frac.empty() ? "" : "." + frac);
}

Decimal Decimal::Negate() const {
  Decimal d = *this;
  d.negative_ = !negative_ && coefficient_ != 0;
  return d;
}

std::optional<Decimal> Decimal::ScaleByPowerOfTen(int k) const {
  if (k < -2 * kMaxExponent || k > 2 * kMaxExponent) return std::nullopt;
  return FromParts(negative_, coefficient_, exponent_ + k);
}

std::optional<Decimal> Decimal::RoundToDecimals(int places,
                                                RoundingMode mode) const {
  if (places < -kMaxExponent || places > kMaxExponent) return std::nullopt;
  const int target = -places;
  if (exponent_ >= target) return *this;
  const int shift = target - exponent_;
  // Past 38 places the whole coefficient is a remainder below one half:
  // quotient 0, and remainder 1 of 3 rounds exactly like it.
  const bool tiny = shift > kMaxDigits;
  const uint128 divisor = tiny ? 3 : Pow10(shift);
  uint128 q = tiny ? 0 : coefficient_ / divisor;
  const uint128 r = tiny ? (coefficient_ != 0 ? 1 : 0) : coefficient_ % divisor;
  const bool away = RoundsAway(q, r, divisor, negative_, mode);
  if (away) ++q;
  return FromParts(negative_, q, target);
}

std::optional<Decimal> Decimal::RoundToMultiple(const Decimal& step,
                                                RoundingMode mode) const {
  if (step.IsZero() || step.negative()) return std::nullopt;
  if (IsZero()) return Decimal();
  const int e = std::min(exponent_, step.exponent_);
  const std::optional<uint128> x = MulPow10(coefficient_, exponent_ - e);
  const std::optional<uint128> s = MulPow10(step.coefficient_, step.exponent_ - e);
  if (!x || !s) return std::nullopt;
  uint128 n = *x / *s;
  if (RoundsAway(n, *x % *s, *s, negative_, mode)) ++n;
  if (n != 0 && step.coefficient_ > absl::Uint128Max() / n) return std::nullopt;
  uint128 c = n * step.coefficient_;
  int exponent = step.exponent_;
  if (!FitCoefficient(&c, &exponent)) return std::nullopt;
  return FromParts(negative_, c, exponent);
}

std::optional<Decimal> Decimal::Add(const Decimal& other) const {
  if (other.IsZero()) return *this;
  if (IsZero()) return other;
  const int e = std::min(exponent_, other.exponent_);
  const std::optional<uint128> a = MulPow10(coefficient_, exponent_ - e);
  const std::optional<uint128> b = MulPow10(other.coefficient_, other.exponent_ - e);
  // Both below 10^38 or the exact sum cannot have 38 digits anyway.
  if (!a || !b || *a >= kLimit || *b >= kLimit) return std::nullopt;
  uint128 c;
  bool negative = negative_;
  if (negative_ == other.negative_) {
    c = *a + *b;  // < 2 * 10^38, no wraparound
  } else if (*a >= *b) {
    c = *a - *b;
  } else {
    c = *b - *a;
    negative = other.negative_;
  }
  int exponent = e;
  if (!FitCoefficient(&c, &exponent)) return std::nullopt;
  return FromParts(negative, c, exponent);
}

std::optional<Decimal> Decimal::Subtract(const Decimal& other) const {
  return Add(other.Negate());
}

bool operator==(const Decimal& a, const Decimal& b) {
  return a.negative_ == b.negative_ && CompareMagnitude(a, b) == 0;
}

bool operator<(const Decimal& a, const Decimal& b) {
  if (a.negative_ != b.negative_) return a.negative_;
  const int c = CompareMagnitude(a, b);
  return a.negative_ ? c > 0 : c < 0;
}

// Text forms ----------------------------------------------------------

namespace {

constexpr std::string_view kUnicodeMinus = "\u2212";
constexpr std::string_view kCurrencies[] = {"$", "\u20AC", "\u00A3", "\u00A5",
                                            "\u20B9"};  // $ € £ ¥ ₹
// Marks that may separate digits: the two points and the spaces used as
// group marks (space, no-break space, narrow no-break space).
constexpr std::string_view kMarks[] = {".", ",", " ", "\u00A0", "\u202F"};

bool ConsumePrefix(std::string_view* s, std::string_view p) {
  if (s->substr(0, p.size()) != p) return false;
  s->remove_prefix(p.size());
  return true;
}

bool ConsumeSuffix(std::string_view* s, std::string_view p) {
  if (s->size() < p.size() || s->substr(s->size() - p.size()) != p) return false;
  s->remove_suffix(p.size());
  return true;
}

// -1 for '-' or U+2212, +1 for '+', 0 when no sign starts *s.
int ConsumeSign(std::string_view* s) {
  if (ConsumePrefix(s, "+")) return 1;
  if (ConsumePrefix(s, "-") || ConsumePrefix(s, kUnicodeMinus)) return -1;
  return 0;
}

std::string_view ConsumeCurrency(std::string_view* s, bool at_end) {
  for (std::string_view c : kCurrencies) {
    if (at_end ? ConsumeSuffix(s, c) : ConsumePrefix(s, c)) return c;
  }
  return {};
}

// Peels sign, currency and percent off *s (already stripped), leaving the
// digits. False when they are combined in a way numbers are not written.
bool ReadWrapping(std::string_view* s, NumberWrapping* w, bool* negative) {
  int sign = ConsumeSign(s);
  std::string_view currency = ConsumeCurrency(s, /*at_end=*/false);
  if (!currency.empty()) {
    *s = Strip(*s);
    if (sign == 0) sign = ConsumeSign(s);
  }
  if (sign != 0 && w->parentheses) return false;
  *negative = w->parentheses || sign < 0;
  w->plus_sign = sign > 0;
  if (ConsumeSuffix(s, "%")) {
    if (!currency.empty()) return false;  // "$5%" is no amount
    w->percent = true;
    *s = Strip(*s);
  } else if (currency.empty()) {
    currency = ConsumeCurrency(s, /*at_end=*/true);
    if (!currency.empty()) *s = Strip(*s);
  }
  w->currency = std::string(currency);
  return true;
}

// "E-002" after the mantissa: optional sign, then digits. Values past the
// exponent range are capped (the result is then rejected).
bool ParseExponent(std::string_view s, int64_t* exponent) {
  const int sign = ConsumeSign(&s);
  if (s.empty()) return false;
  int64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = std::min<int64_t>(value * 10 + (c - '0'), 10 * Decimal::kMaxExponent);
  }
  *exponent = sign < 0 ? -value : value;
  return true;
}

// The mantissa as digit runs separated by single marks:
// "1,234.5" is runs {1, 234, 5} and marks {",", "."}.
struct Pieces {
  std::vector<std::string_view> runs;   // may be empty ("" before ".5")
  std::vector<std::string_view> marks;  // runs.size() - 1 of them
};

std::optional<Pieces> SplitMantissa(std::string_view s) {
  Pieces p;
  size_t start = 0, i = 0;
  while (i < s.size()) {
    if (s[i] >= '0' && s[i] <= '9') { ++i; continue; }
    std::string_view rest = s.substr(i);
    std::string_view mark;
    for (std::string_view m : kMarks) {
      if (ConsumePrefix(&rest, m)) { mark = m; break; }
    }
    if (mark.empty()) return std::nullopt;
    p.runs.push_back(s.substr(start, i - start));
    p.marks.push_back(mark);
    i += mark.size();
    start = i;
  }
  p.runs.push_back(s.substr(start));
  return p;
}

// DecimalMark::kGuess on the marks of `p` (see the header).
std::string_view GuessDecimalMark(const Pieces& p) {
  const auto count = [&](std::string_view m) {
    return std::count(p.marks.begin(), p.marks.end(), m);
  };
  const auto last = [&](std::string_view m) {
    return std::find(p.marks.rbegin(), p.marks.rend(), m) - p.marks.rbegin();
  };
  const auto dots = count("."), commas = count(",");
  if (dots > 0 && commas > 0) return last(".") < last(",") ? "." : ",";
  if (dots > 1) return ",";
  if (commas > 1 || dots == 1) return ".";
  if (commas == 0) return ".";
  const bool looks_grouped = p.marks.size() == 1 && p.runs[0].size() >= 1 &&
                             p.runs[0].size() <= 3 && p.runs[0][0] != '0' &&
                             p.runs[1].size() == 3;
  return looks_grouped ? "." : ",";
}

// Western (1,234,567) or Indian (12,34,567) groups of an integer part.
bool ValidGroups(const std::vector<std::string_view>& g) {
  const size_t n = g.size();
  bool western = g[0].size() >= 1 && g[0].size() <= 3;
  bool indian = g[0].size() >= 1 && g[0].size() <= 2 && g[n - 1].size() == 3;
  for (size_t i = 1; i < n; ++i) {
    western = western && g[i].size() == 3;
    if (i + 1 < n) indian = indian && g[i].size() == 2;
  }
  return western || indian;
}

// Integer and fraction digits of the mantissa, with group marks checked.
bool ReadDigits(const Pieces& p, std::string_view decimal_mark,
                std::string* digits, size_t* fraction_size) {
  const auto dec = std::find(p.marks.begin(), p.marks.end(), decimal_mark);
  const size_t int_runs = static_cast<size_t>(dec - p.marks.begin()) + 1;
  // At most one decimal mark, and it must be the last mark.
  if (dec != p.marks.end() && int_runs != p.marks.size()) return false;
  const std::vector<std::string_view> groups(p.runs.begin(),
                                             p.runs.begin() + int_runs);
  if (groups.size() > 1) {
    for (size_t i = 0; i + 1 < groups.size(); ++i) {
      if (p.marks[i] != p.marks[0]) return false;  // one kind of group mark
    }
    if (!ValidGroups(groups)) return false;
  }
  digits->clear();
  for (std::string_view g : groups) digits->append(g);
  *fraction_size = 0;
  if (dec != p.marks.end()) {
    digits->append(p.runs.back());
    *fraction_size = p.runs.back().size();
  }
  return !digits->empty();
}

// The unsigned number in `s`: mantissa, then an optional exponent.
std::optional<Decimal> ParseUnsigned(std::string_view s, DecimalMark how) {
  int64_t exponent = 0;
  const size_t e = s.find_first_of("eE");
  if (e != std::string_view::npos) {
    if (!ParseExponent(s.substr(e + 1), &exponent)) return std::nullopt;
    s = s.substr(0, e);
  }
  const std::optional<Pieces> pieces = SplitMantissa(s);
  if (!pieces) return std::nullopt;
  const std::string_view mark = how == DecimalMark::kDot     ? "."
                                : how == DecimalMark::kComma ? ","
                                                             : GuessDecimalMark(*pieces);
  std::string digits;
  size_t fraction_size = 0;
  if (!ReadDigits(*pieces, mark, &digits, &fraction_size)) return std::nullopt;
  exponent -= static_cast<int64_t>(fraction_size);
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  while (digits.size() > Decimal::kMaxDigits && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  if (digits.size() > Decimal::kMaxDigits) return std::nullopt;
  if (exponent < -Decimal::kMaxExponent || exponent > Decimal::kMaxExponent) {
    return std::nullopt;
  }
  uint128 c = 0;
  for (char d : digits) c = c * 10 + static_cast<unsigned>(d - '0');
  return Decimal::FromParts(false, c, static_cast<int>(exponent));
}

// Inserts `mark` between digit groups counted from the right.
std::string Group(const std::string& digits, Grouping grouping,
                  const std::string& mark) {
  if (grouping == Grouping::kNone) return digits;
  std::string out;
  size_t in_group = 0, group_size = 3;
  for (size_t i = digits.size(); i > 0; --i) {
    if (in_group == group_size) {
      out.insert(0, mark);
      in_group = 0;
      if (grouping == Grouping::kIndian) group_size = 2;
    }
    out.insert(out.begin(), digits[i - 1]);
    ++in_group;
  }
  return out;
}

std::string ApplySign(const std::string& body, bool negative, SignStyle style) {
  if (!negative) return style == SignStyle::kAlways ? "+" + body : body;
  return style == SignStyle::kParentheses ? "(" + body + ")" : "-" + body;
}

}  // namespace

std::optional<Decimal> ParseDecimal(std::string_view text,
                                    const NumberReading& how,
                                    NumberWrapping* wrapping) {
  if (!IsValidUtf8(text)) return std::nullopt;
  std::string_view s = Strip(text);
  NumberWrapping w;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    w.parentheses = true;
    s = Strip(s.substr(1, s.size() - 2));
  }
  bool negative = false;
  if (!ReadWrapping(&s, &w, &negative)) return std::nullopt;
  std::optional<Decimal> d = ParseUnsigned(s, how.decimal_mark);
  if (!d) return std::nullopt;
  if (wrapping != nullptr) *wrapping = std::move(w);
  return negative ? d->Negate() : *d;
}

std::string FormatDecimal(const Decimal& value, const NumberFormat& f) {
  const int max_decimals =
      std::clamp(std::max(f.min_decimals, f.max_decimals), 0, Decimal::kMaxExponent);
  const int min_decimals = std::clamp(f.min_decimals, 0, max_decimals);
  const Decimal v =
      value.RoundToDecimals(max_decimals, RoundingMode::kHalfAwayFromZero)
          .value_or(value);
  std::string int_part, frac;
  SplitDigits(v, &int_part, &frac);
  while (!f.keep_scale && frac.size() > static_cast<size_t>(min_decimals) && frac.back() == '0') {
    frac.pop_back();
  }
  frac.resize(std::max(frac.size(), static_cast<size_t>(min_decimals)), '0');
  if (int_part == "0") int_part.clear();
  const size_t min_int = static_cast<size_t>(std::max(f.min_integer_digits, 0));
  if (int_part.size() < min_int) int_part.insert(0, min_int - int_part.size(), '0');
  if (int_part.empty() && frac.empty()) int_part = "0";
  std::string body = f.prefix + Group(int_part, f.grouping, f.group_mark);
  if (!frac.empty()) body += f.decimal_mark + frac;
  body += f.suffix;
  if (v.IsZero()) return body;
  return ApplySign(body, v.negative(), f.sign);
}


}  // namespace flashsynth::dsl
