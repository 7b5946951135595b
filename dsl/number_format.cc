// dsl/number_format.cc: spreadsheet number format codes <-> NumberFormat.
#include "dsl/number_format.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace flashsynth::dsl {
namespace {

// Splits `s` into its UTF-8 characters, or nullopt when `s` is not valid
// UTF-8 (overlong forms, surrogates and values above U+10FFFF included).
std::optional<std::vector<std::string_view>> SplitUtf8(std::string_view s) {
  std::vector<std::string_view> chars;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    unsigned int cp;
    if (c < 0x80) {
      n = 1;
      cp = c;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      cp = c & 0x07;
    } else {
      return std::nullopt;
    }
    if (s.size() - i < n) return std::nullopt;
    for (size_t k = 1; k < n; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return std::nullopt;
    }
    chars.push_back(s.substr(i, n));
    i += n;
  }
  return chars;
}

bool IsPlaceholder(std::string_view c) { return c == "0" || c == "#"; }

// Characters a spreadsheet shows as they are without quotes (the subset).
bool IsPlainLiteral(std::string_view c) {
  static constexpr std::string_view kPlain[] = {
      "$", "\u20AC", "\u00A3", "\u00A5", "\u20B9", "-", "+", "(", ")", ":", " "};
  return std::find(std::begin(kPlain), std::end(kPlain), c) != std::end(kPlain);
}

absl::Status At(size_t column, std::string_view c, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("column ", column, ": '", std::string(c), "' ", std::string(why)));
}

// Why an unquoted character outside the subset is refused.
std::string_view WhyRefused(std::string_view c) {
  if (c == "%") return "scales the value, not supported";
  if (c == "E" || c == "e") return "is scientific notation, not supported";
  if (c == ";") return "starts another section, not supported";
  if (c == "[") return "starts a color, condition or locale, not supported";
  if (c == "?") return "is a space-padded digit, not supported";
  if (c == "@") return "is a text placeholder, not supported";
  if (c == "*") return "repeats a fill character, not supported";
  if (c == "_") return "adds padding, not supported";
  return "is not a format character here; quote literal text";
}

enum class Part { kPrefix, kInteger, kFraction, kSuffix };

}  // namespace

absl::StatusOr<NumberFormat> ParseNumberFormat(std::string_view code) {
  if (code.empty()) return absl::InvalidArgumentError("empty format code");
  if (code == "General") return ParseNumberFormat("0.###" + std::string(kMaxFormatPlaceholders - 3, '#'));
  std::optional<std::vector<std::string_view>> chars = SplitUtf8(code);
  if (!chars) return absl::InvalidArgumentError("format code is not valid UTF-8");
  const std::vector<std::string_view>& cs = *chars;

  NumberFormat f;
  f.min_integer_digits = 0;
  Part part = Part::kPrefix;
  int int_placeholders = 0, frac_placeholders = 0;
  size_t dot_column = 0;
  bool seen_int_zero = false, seen_frac_hash = false, seen_star = false;
  bool any_placeholder = false;
  std::vector<int> comma_at;  // integer placeholders before each ','


  // Appends literal text to the prefix, or to the suffix once digits began.
  auto literal = [&](std::string_view text) {
    if (part == Part::kPrefix) {
      f.prefix += text;
    } else {
      part = Part::kSuffix;
      f.suffix += text;
    }
  };

  bool prev_placeholder = false;  // the character before is an unescaped 0 or #
  for (size_t i = 0; i < cs.size(); ++i) {
    const std::string_view c = cs[i];
    const size_t col = i + 1;
    const bool after_placeholder = prev_placeholder;
    prev_placeholder = IsPlaceholder(c);
    if (seen_star && (IsPlaceholder(c) || c == "." || c == "*")) {
      return At(col, c, "follows '*', which ends the fraction");
    }
    if (c == "*" && part == Part::kFraction) {
      // flashsynth's extension: every decimal the value has (up to 100).
      seen_star = true;
      f.keep_scale = true;
      f.max_decimals = kMaxFormatPlaceholders;
      ++frac_placeholders;
      continue;
    }
    if (IsPlaceholder(c)) {
      if (part == Part::kSuffix) return At(col, c, "follows literal text, not supported");
      if (part == Part::kPrefix) part = Part::kInteger;
      any_placeholder = true;
      if (part == Part::kInteger) {
        if (c == "0") {
          seen_int_zero = true;
          ++f.min_integer_digits;
        } else if (seen_int_zero) {
          return At(col, c, "after '0' in the integer part, not supported");
        }
        if (++int_placeholders > kMaxFormatPlaceholders) {
          return At(col, c, "is one digit placeholder too many");
        }
      } else {  // kFraction
        if (c == "#") {
          seen_frac_hash = true;
        } else if (seen_frac_hash) {
          return At(col, c, "after '#' in the fraction, not supported");
        } else {
          ++f.min_decimals;
        }
        if (++frac_placeholders > kMaxFormatPlaceholders) {
          return At(col, c, "is one digit placeholder too many");
        }
        f.max_decimals = frac_placeholders;
      }
    } else if (c == ".") {
      if (part == Part::kFraction) return At(col, c, "is a second decimal point");
      if (part == Part::kSuffix) return At(col, c, "follows literal text, not supported");
      part = Part::kFraction;
      dot_column = col;
    } else if (c == ",") {
      const bool after = after_placeholder;
      const bool before = i + 1 < cs.size() && IsPlaceholder(cs[i + 1]);
      if (after && !before) {
        return At(col, c, "after the last digit scales the value by 1000, not supported");
      }
      if (!after || !before) return At(col, c, "must sit between digit placeholders");
      if (part == Part::kFraction) return At(col, c, "in the fraction, not supported");
      f.grouping = Grouping::kWestern;
      comma_at.push_back(int_placeholders);
    } else if (c == "\"") {
      size_t j = i + 1;
      std::string text;
      while (j < cs.size() && cs[j] != "\"") text += cs[j++];
      if (j == cs.size()) return At(col, c, "opens a quote that is never closed");
      literal(text);
      i = j;
    } else if (c == "\\") {
      if (i + 1 == cs.size()) return At(col, c, "escapes nothing");
      literal(cs[++i]);
    } else if (IsPlainLiteral(c)) {
      literal(c);
    } else {
      return At(col, c, WhyRefused(c));
    }
  }
  if (!any_placeholder) {
    return absl::InvalidArgumentError("format code has no digit placeholder ('0' or '#')");
  }
  if (dot_column != 0 && frac_placeholders == 0) {
    return At(dot_column, ".", "has no digit placeholder after it");
  }
  // "#,##,##0": a group of 2 before the last group of 3 is Indian grouping.
  const size_t commas = comma_at.size();
  if (commas >= 2 && int_placeholders - comma_at[commas - 1] == 3 &&
      comma_at[commas - 1] - comma_at[commas - 2] == 2) {
    f.grouping = Grouping::kIndian;
  }
  return f;
}

std::string NumberFormatCode(const NumberFormat& f) {
  // Quotes literal text; a '"' is written as \" outside the quotes.
  auto quote = [](std::string_view text) {
    std::string out;
    bool open = false;
    for (char c : text) {
      if (c == '"') {
        if (open) out += '"';
        open = false;
        out += "\\\"";
      } else {
        if (!open) out += '"';
        open = true;
        out += c;
      }
    }
    if (open) out += '"';
    return out;
  };
  const int zeros = std::max(f.min_integer_digits, 0);
  std::string integer;
  if (f.grouping == Grouping::kNone) {
    integer = zeros == 0 ? "#" : std::string(zeros, '0');
  } else {
    const bool indian = f.grouping == Grouping::kIndian;
    const int width = std::max(zeros, indian ? 6 : 4);
    for (int k = width - 1; k >= 0; --k) {  // k: places left of the point
      integer += k < zeros ? '0' : '#';
      const bool mark = indian ? (k == 3 || (k > 3 && k % 2 == 1)) : (k > 0 && k % 3 == 0);
      if (mark) integer += ',';
    }
  }
  const int min_decimals = std::max(f.min_decimals, 0);
  const int max_decimals = std::max(f.max_decimals, min_decimals);
  std::string fraction;
  if (f.keep_scale && min_decimals < kMaxFormatPlaceholders) {
    fraction = "." + std::string(min_decimals, '0') + "*";
  } else if (max_decimals > 0) {
    fraction = "." + std::string(min_decimals, '0') +
               std::string(max_decimals - min_decimals, '#');
  }
  const std::string code = quote(f.prefix) + integer + fraction + quote(f.suffix);
  if (code == "0.###" + std::string(kMaxFormatPlaceholders - 3, '#')) return "General";
  return code;
}

}  // namespace flashsynth::dsl
