// dsl/number_reader.h: the numbers written in a piece of text, as the DSL's
// ReadNumber sees them ("Total: 1,234.50 USD" holds 1234.50; "3.14,1.41"
// holds 3.14 and 1.41; "12;47" holds 12 and 47).
#ifndef FLASHSYNTH_DSL_NUMBER_READER_H_
#define FLASHSYNTH_DSL_NUMBER_READER_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "dsl/decimal.h"

namespace flashsynth::dsl {

// One number found in a text: its bytes [begin, end) and its value.
struct NumberMatch {
  size_t begin = 0;
  size_t end = 0;
  Decimal value;
};

// The longest run of text FindNumbers() reads as one number; longer runs of
// digits and marks hold no number (Decimal keeps 38 digits).
inline constexpr size_t kMaxNumberBytes = 400;

// FindNumbers()
//
// The numbers in `text`, left to right, read with decimal mark `mark`:
//   - A text that is one number as a whole, once white space is stripped
//     (ParseDecimal(): currency signs, accounting parentheses, a trailing
//     '%', group marks including spaces, an exponent), is that one number:
//     "(1,234.00)" is -1234.00, "$57" is 57, "1 234,5" with kComma 1234.5.
//   - Otherwise the numbers are read from left to right: digits with group
//     marks and one decimal mark where ParseDecimal() accepts them, and an
//     exponent ("3.2E-002"); the longest such run that ends before a
//     non-digit wins ("1,234,5678" reads 1234 and 5678 with kDot). A '-',
//     '+' or U+2212 just before the digits is a sign unless a letter, a
//     digit or a mark precedes it: "x=-5" holds -5, "2021-05-03" holds
//     2021, 5 and 3, "A-7" holds 7. Letters around digits do not matter:
//     "ID42b" holds 42.
// Never fails: a text with no number gives an empty list; invalid UTF-8
// gives none, and a run of digits and marks longer than kMaxNumberBytes
// gives none inside it. Linear in the text
// but for ParseDecimal() calls on runs of at most kMaxNumberBytes.
std::vector<NumberMatch> FindNumbers(std::string_view text, DecimalMark mark);

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_NUMBER_READER_H_
