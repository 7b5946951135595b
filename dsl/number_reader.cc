#include "dsl/number_reader.h"

#include <optional>
#include <string>

#include "dsl/text.h"

namespace flashsynth::dsl {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsMark(char c) { return c == '.' || c == ','; }
// A byte of a letter or a digit: ASCII alphanumerics, and any non-ASCII
// byte (letters of other scripts; their exact class does not matter here).
bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
}

// Where a sign before the digits at `at` starts, or `at` when there is none.
size_t SignStart(std::string_view text, size_t at) {
  size_t s = at;
  if (s >= 1 && (text[s - 1] == '-' || text[s - 1] == '+')) {
    s -= 1;
  } else if (s >= 3 && text.substr(s - 3, 3) == "\u2212") {
    s -= 3;
  } else {
    return at;
  }
  if (s > 0 && (IsWordByte(text[s - 1]) || IsMark(text[s - 1]))) return at;
  return s;
}

// The end of the run of digits, marks and exponents that starts at `at`.
size_t RunEnd(std::string_view text, size_t at) {
  size_t i = at;
  while (i < text.size()) {
    const char c = text[i];
    if (IsDigit(c) || IsMark(c)) {
      ++i;
    } else if ((c == 'e' || c == 'E') && i > at && IsDigit(text[i - 1])) {
      size_t j = i + 1;
      if (j < text.size() && (text[j] == '-' || text[j] == '+')) ++j;
      if (j < text.size() && IsDigit(text[j])) {
        i = j;
      } else {
        break;
      }
    } else {
      break;
    }
  }
  return i;
}

}  // namespace

std::vector<NumberMatch> FindNumbers(std::string_view text, DecimalMark mark) {
  std::vector<NumberMatch> out;
  if (!IsValidUtf8(text)) return out;
  const NumberReading how{mark};
  const std::string_view stripped = Strip(text);
  if (std::optional<Decimal> whole = ParseDecimal(stripped, how)) {
    const size_t begin = static_cast<size_t>(stripped.data() - text.data());
    out.push_back({begin, begin + stripped.size(), *whole});
    return out;
  }
  size_t i = 0;
  while (i < text.size()) {
    // A number starts at a digit, or at a mark right before one (".5").
    const bool starts = IsDigit(text[i]) ||
                        (IsMark(text[i]) && i + 1 < text.size() && IsDigit(text[i + 1]) &&
                         (i == 0 || !IsDigit(text[i - 1])));
    if (!starts) {
      ++i;
      continue;
    }
    const size_t run_end = RunEnd(text, i);
    const size_t sign = SignStart(text, i);
    bool found = false;
    if (run_end - i <= kMaxNumberBytes) {
      // Longest first; a candidate ends after a digit, before a non-digit.
      for (size_t end = run_end; end > i && !found; --end) {
        if (!IsDigit(text[end - 1]) || (end < text.size() && IsDigit(text[end]))) continue;
        if (std::optional<Decimal> v = ParseDecimal(text.substr(sign, end - sign), how)) {
          out.push_back({sign, end, *v});
          i = end;
          found = true;
        }
      }
    }
    if (!found && run_end - i > kMaxNumberBytes) {
      i = run_end;  // no number in an overlong run
    } else if (!found) {
      // Skip the digits (and a leading mark): no number starts inside them.
      ++i;
      while (i < text.size() && IsDigit(text[i])) ++i;
    }
  }
  return out;
}

}  // namespace flashsynth::dsl
