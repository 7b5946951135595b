// dsl/number_format.h: spreadsheet number format codes ("#,##0.00",
// "0.0#", "00000", "\"$\"#,##0") read into a NumberFormat (dsl/decimal.h)
// and written back, so the (future) DSL text form can name a display format
// the way users already know it (docs: shared/reference/values.md, "Format
// codes users know").
#ifndef FLASHSYNTH_DSL_NUMBER_FORMAT_H_
#define FLASHSYNTH_DSL_NUMBER_FORMAT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "dsl/decimal.h"

namespace flashsynth::dsl {

// The most digit placeholders ParseNumberFormat accepts on each side of '.'.
inline constexpr int kMaxFormatPlaceholders = 100;

// ParseNumberFormat()
//
// Reads one spreadsheet number format code of the common subset into a
// NumberFormat with Western grouping marks (',' and '.') and
// SignStyle::kMinusOnly:
//   - '0' is a digit always shown, '#' a digit shown when significant.
//     Integer part: min_integer_digits is the number of '0's ("00000" is 5,
//     "#,##0" is 1, "#" and "#.00" are 0); every '#' must come before every
//     '0'. Fraction part: min_decimals is the number of '0's, max_decimals
//     the number of placeholders ("0.00" is 2 and 2, "0.0#" is 1 and 2);
//     every '0' must come before every '#'.
//   - ',' between two integer placeholders turns on Grouping::kWestern.
//   - '.' starts the fraction; it needs at least one placeholder after it.
//   - flashsynth's extensions: '*' at the end of the fraction shows the
//     decimals the value carries, trailing zeros included (keep_scale, up
//     to kMaxFormatPlaceholders): "0.*" shows 7.5 as "7.5", 2.50 as
//     "2.50" and 3.2E-2 as "0.032"; "0.00*" at least two decimals.
//     "General" is the spreadsheet's: every decimal but trailing zeros
//     ("0.###..." with kMaxFormatPlaceholders '#'s; 2.50 shows "2.5").
//     Group marks after a group of two ("#,##,##0") mean Indian grouping
//     (12,34,567); a spreadsheet groups that in 3s.
//   - Literal text before the first placeholder is the prefix, after the
//     last one the suffix: "..." quoted text, a backslash-escaped single
//     character (\% is a literal '%'), and unquoted $ € £ ¥ ₹ - + ( ) :
//     and space. Literal text between placeholders is refused.
//
// Differences from a spreadsheet, all from what FormatDecimal does:
// min_integer_digits 0 drops the leading zero of a fraction ("#.00" shows
// 0.5 as ".50") but a zero value still shows "0" where a spreadsheet shows
// "" for "#"; "#.##" shows 5 as "5", not "5.".
//
// Returns kInvalidArgument, with the 1-based column in code points of the
// offending character where there is one ("column 4: '%' scales the value,
// not supported"), for: an empty code; invalid UTF-8; '%' (scales by 100);
// ',' after the last placeholder (scales by 1000: "0.0,,"); 'E'/'e'
// (scientific); ';' (sections); '[' (colors, conditions, locales); '?',
// '@', '*' (but at the end of the fraction), '_'; any other unquoted character not listed above; ',' not
// between integer placeholders; a second '.'; a placeholder or '.' after
// literal text; "#" after "0" in the integer part or "0" after "#" in the
// fraction; an unterminated quote or a trailing backslash; no placeholder
// at all ("General", "\"x\""); more than kMaxFormatPlaceholders on a side.
// Never crashes, on any input.
//
// Example:
//   absl::StatusOr<NumberFormat> f = ParseNumberFormat("\"$\"#,##0.00");
//   FormatDecimal(*ParseDecimal("1234.5", {}), *f) == "$1,234.50"
absl::StatusOr<NumberFormat> ParseNumberFormat(std::string_view code);

// NumberFormatCode()
//
// The canonical code of `f` in the subset above: the integer part is
// max(min_integer_digits, 4) placeholders with Western grouping ("#,##0",
// "00,000"), max(min_integer_digits, 6) with Indian ("#,##,##0"), or
// min_integer_digits '0's without ("00000", or "#" for 0), then '.',
// min_decimals '0's and the rest up to max_decimals '#'s ('*' when
// keep_scale and min_decimals is below kMaxFormatPlaceholders; "General"
// for exactly General's fields); the
// prefix and suffix quoted ("\"$\"", "\" pts\""), a '"' in them written
// as \". ParseNumberFormat(NumberFormatCode(f)) == f for every f that
// ParseNumberFormat returns. Fields the subset cannot say are normalised,
// not refused: the group and decimal marks and the sign style are ignored, negative counts are taken as 0,
// max_decimals below min_decimals as min_decimals, and counts above
// kMaxFormatPlaceholders are written out in full (the reader refuses them).
//
// Example:
//   NumberFormat f;
//   f.grouping = Grouping::kWestern;
//   f.min_decimals = f.max_decimals = 2;
//   NumberFormatCode(f) == "#,##0.00"
std::string NumberFormatCode(const NumberFormat& f);

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_NUMBER_FORMAT_H_
