// dsl/decimal.h: exact decimal numbers and their text forms, the value layer
// under the (future) number operators of the DSL. Spreadsheet rounding
// (ROUND, ROUNDUP, ROUNDDOWN, MROUND, FLOOR, CEILING) is done on decimal
// digits, never on binary floating point: 2.675 rounds to 2.68, as a user
// expects (docs: shared/reference/values.md).
#ifndef FLASHSYNTH_DSL_DECIMAL_H_
#define FLASHSYNTH_DSL_DECIMAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/numeric/int128.h"

namespace flashsynth::dsl {

// How a value is rounded to a place or a multiple. The names after each mode
// are the spreadsheet functions that use it.
enum class RoundingMode {
  kHalfAwayFromZero,  // ROUND, MROUND: 2.5 -> 3, -2.5 -> -3
  kHalfEven,          // banker's: 2.5 -> 2, 3.5 -> 4
  kTowardZero,        // ROUNDDOWN, TRUNC: -2.7 -> -2
  kAwayFromZero,      // ROUNDUP: 2.1 -> 3, -2.1 -> -3
  kFloor,             // FLOOR: toward minus infinity, -2.1 -> -3
  kCeiling,           // CEILING: toward plus infinity, -2.7 -> -2
};

// Decimal
//
// An exact decimal value: (-1)^negative * coefficient * 10^exponent, with
// a coefficient of at most kMaxDigits (38) decimal digits and an exponent
// within [-kMaxExponent, kMaxExponent]. The scale is kept as written
// (2.50 has coefficient 250 and exponent -2), but == and < compare values:
// 2.50 == 2.5. Negative zero does not exist: a zero is never negative, so
// "-0" and "-0.00" read as 0 and format as "0".
//
// Every operation that can leave the range returns std::nullopt instead of
// overflowing; nothing here uses binary floating point.
//
// Example:
//   std::optional<Decimal> x = ParseDecimal("2.675", NumberReading{});
//   x->RoundToDecimals(2, RoundingMode::kHalfAwayFromZero)->ToString()
//   // == "2.68"
class Decimal {
 public:
  static constexpr int kMaxDigits = 38;
  static constexpr int kMaxExponent = 9999;

  // Zero.
  Decimal() = default;

  // The value (-1)^negative * coefficient * 10^exponent, or nullopt when
  // coefficient has more than kMaxDigits digits or exponent is out of range.
  static std::optional<Decimal> FromParts(bool negative,
                                          absl::uint128 coefficient,
                                          int exponent);
  static Decimal FromInt(int64_t value);

  bool negative() const { return negative_; }         // never for zero
  absl::uint128 coefficient() const { return coefficient_; }
  int exponent() const { return exponent_; }
  bool IsZero() const { return coefficient_ == 0; }

  // Plain notation keeping the scale, '-' for negatives, no grouping:
  // "2.50", "-0.032", "7500" (for 75E2). Never an exponent, so 1E9999 is
  // 10,000 characters long. ParseDecimal reads it back to an equal value
  // with the same ToString().
  std::string ToString() const;

  Decimal Negate() const;
  // The value times 10^k: 23.4 scaled by -2 is 0.234. Exact; nullopt when
  // the exponent leaves the range.
  std::optional<Decimal> ScaleByPowerOfTen(int k) const;
  // ROUND(x, places) and its siblings: the value rounded to `places` digits
  // after the point (places < 0 rounds to tens, hundreds, ...). The result
  // has exponent -places when the value had more digits, else it is the
  // value unchanged. Nullopt only when -places is out of the exponent range.
  std::optional<Decimal> RoundToDecimals(int places, RoundingMode mode) const;
  // MROUND(x, step) with kHalfAwayFromZero, FLOOR(x, step) with kFloor,
  // CEILING(x, step) with kCeiling: the multiple of `step` chosen by `mode`
  // (48213 to 50 is 48200, 12.62 to 0.05 is 12.60). Negative values round
  // symmetrically (spreadsheets' MROUND(-x, m) errs instead). Nullopt when
  // step <= 0 or the exact computation needs more than 128 bits.
  std::optional<Decimal> RoundToMultiple(const Decimal& step,
                                         RoundingMode mode) const;
  // Exact sum and difference; nullopt when the exact result needs more
  // than kMaxDigits digits (1E40 + 1 does) or leaves the exponent range.
  std::optional<Decimal> Add(const Decimal& other) const;
  std::optional<Decimal> Subtract(const Decimal& other) const;

  // Compares values, not representations: 2.50 == 2.5, 0 == -0.
  friend bool operator==(const Decimal& a, const Decimal& b);
  friend bool operator<(const Decimal& a, const Decimal& b);
  friend bool operator!=(const Decimal& a, const Decimal& b) { return !(a == b); }
  friend bool operator>(const Decimal& a, const Decimal& b) { return b < a; }
  friend bool operator<=(const Decimal& a, const Decimal& b) { return !(b < a); }
  friend bool operator>=(const Decimal& a, const Decimal& b) { return !(a < b); }

 private:
  bool negative_ = false;
  absl::uint128 coefficient_ = 0;  // < 10^kMaxDigits
  int exponent_ = 0;               // in [-kMaxExponent, kMaxExponent]
};

// Which character separates the integer part from the fraction.
enum class DecimalMark {
  kDot,    // 1,234.5 (group marks: ',' space U+00A0 U+202F)
  kComma,  // 1.234,5 (group marks: '.' space U+00A0 U+202F)
  // From the text: when both '.' and ',' occur the last one is the decimal
  // mark; a mark that occurs twice or more is the group mark; a single '.'
  // is the decimal mark. A single ',' is ambiguous: followed by exactly 3
  // digits, after 1 to 3 digits not starting with 0, it is read as a group
  // mark ("1,234" is 1234, English style); otherwise it is the decimal mark
  // ("1,5" is 1.5, "0,125" is 0.125, "1,23" is 1.23).
  kGuess,
};

// How ParseDecimal reads marks; by default '.' is the decimal mark.
struct NumberReading {
  DecimalMark decimal_mark = DecimalMark::kDot;
};

// What ParseDecimal found around the digits.
struct NumberWrapping {
  bool percent = false;      // a trailing '%'; the value is as written
  bool parentheses = false;  // accounting negative: (1,234.00)
  bool plus_sign = false;    // an explicit '+'
  std::string currency;      // "$", "€", "£", "¥", "₹" or empty
};

// ParseDecimal()
//
// Reads one number that takes the whole of `text` once surrounding white
// space is stripped:
//   - a sign '+', '-' or U+2212, or accounting parentheses "(1,234.00)"
//     (negative; no sign inside);
//   - a currency symbol ($ € £ ¥ ₹) before or after, with or without a
//     space ("$57", "-$5", "$-5", "12 €");
//   - digits, with group marks only at valid places: Western (groups of 3,
//     "1,234,567") or Indian (3, then 2s: "1,23,45,679"), one kind of group
//     mark per number and none in the fraction; leading zeros are fine
//     ("007.5"); ".5" and "5." are fine, "." is not;
//   - the decimal mark as `how` says (see DecimalMark);
//   - an exponent "E-002", "e3";
//   - a trailing '%' (with or without a space): the value stays as written
//     (5% reads 5) and wrapping->percent says it was there; not together
//     with a currency symbol ("$5%" is rejected).
// Returns nullopt for anything else: "", ".", "1.2.3", "12abc", "--5",
// "1,23" (with kDot), invalid UTF-8, more than Decimal::kMaxDigits
// significant digits (trailing zeros are dropped first when that makes the
// number fit), or an exponent out of range. `wrapping`, when not null,
// receives the decorations (only on success).
//
// Example:
//   ParseDecimal("(1,234.00)", NumberReading{})->ToString() == "-1234.00"
//   ParseDecimal("1.234,5", {DecimalMark::kComma})->ToString() == "1234.5"
std::optional<Decimal> ParseDecimal(std::string_view text,
                                    const NumberReading& how,
                                    NumberWrapping* wrapping = nullptr);

enum class Grouping {
  kNone,     // 1234567
  kWestern,  // 1,234,567
  kIndian,   // 12,34,567
};

enum class SignStyle {
  kMinusOnly,    // -5, 5
  kAlways,       // -5, +5 (zero gets no sign)
  kParentheses,  // (5), 5: the parentheses wrap prefix and suffix too
};

// A display format, as spreadsheet codes say it: "0.00" is
// min_decimals = max_decimals = 2; "0.0#" is 1 and 2; "00000" is
// min_integer_digits = 5; "#,##0" is Grouping::kWestern.
struct NumberFormat {
  int min_decimals = 0;   // fraction digits always shown (zero padded)
  int max_decimals = 0;   // rounded half away from zero beyond this
  int min_integer_digits = 1;  // zero padded: 57 with 5 is "00057"
  Grouping grouping = Grouping::kNone;
  std::string group_mark = ",";    // "." " " "\u202F" ...
  std::string decimal_mark = ".";  // or ","
  SignStyle sign = SignStyle::kMinusOnly;
  std::string prefix;  // after the sign: "$" gives "-$5"
  std::string suffix;  // before a closing parenthesis: " kg", "%"
  // Show the decimals the value carries, trailing zeros included (2.50 as
  // "2.50", 7.5 as "7.5"), at least min_decimals, at most max_decimals;
  // when false, trailing zeros are dropped down to min_decimals.
  bool keep_scale = false;
};

// Field by field: two formats are equal when every field is.
inline bool operator==(const NumberFormat& a, const NumberFormat& b) {
  return a.min_decimals == b.min_decimals && a.max_decimals == b.max_decimals &&
         a.min_integer_digits == b.min_integer_digits &&
         a.grouping == b.grouping && a.group_mark == b.group_mark &&
         a.decimal_mark == b.decimal_mark && a.sign == b.sign &&
         a.prefix == b.prefix && a.suffix == b.suffix && a.keep_scale == b.keep_scale;
}
inline bool operator!=(const NumberFormat& a, const NumberFormat& b) {
  return !(a == b);
}

// FormatDecimal()
//
// The text of `value` in format `f`: rounded half away from zero to
// f.max_decimals (max(min, max) is used), trailing fraction zeros dropped
// down to f.min_decimals unless f.keep_scale, grouped and signed as `f`
// says. A value that
// rounds to zero has no sign ("-0.001" with 2 decimals is "0.00").
//
// Example:
//   NumberFormat f;
//   f.grouping = Grouping::kIndian;
//   f.prefix = "₹";
//   FormatDecimal(*ParseDecimal("12345678.9", {}), f) == "₹1,23,45,679"
std::string FormatDecimal(const Decimal& value, const NumberFormat& f);

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_DECIMAL_H_
