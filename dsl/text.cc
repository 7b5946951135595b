#include "dsl/text.h"

#include <unicode/uchar.h>
#include <unicode/ucasemap.h>
#include <unicode/utypes.h>

#include <memory>

namespace flashsynth::dsl {

namespace {

bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence at s[pos], or 0 if ill-formed.
size_t SequenceLength(std::string_view s, size_t pos) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) return 1;
  size_t n;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2; min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3; min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4; min = 0x10000;
  } else {
    return 0;
  }
  if (pos + n > s.size()) return 0;
  char32_t c = b0 & (0x7F >> n);
  for (size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if (!IsContinuation(b)) return 0;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  return n;
}

enum class Mapping { kUpper, kLower, kCapitalize };

// Applies an ICU full case mapping to valid UTF-8 `s`.
std::string IcuMap(std::string_view s, Mapping mapping) {
  UErrorCode err = U_ZERO_ERROR;
  const uint32_t options = mapping == Mapping::kCapitalize
                               ? (U_TITLECASE_WHOLE_STRING | U_TITLECASE_NO_BREAK_ADJUSTMENT)
                               : 0;
  std::unique_ptr<UCaseMap, decltype(&ucasemap_close)> map(
      ucasemap_open("", options, &err), &ucasemap_close);
  if (U_FAILURE(err)) return std::string(s);
  // Full case mapping grows text at most threefold per character.
  std::string out(s.size() * 3 + 4, '\0');
  auto run = [&](std::string* dest) {
    err = U_ZERO_ERROR;
    const auto src = s.data();
    const auto len = static_cast<int32_t>(s.size());
    const auto cap = static_cast<int32_t>(dest->size());
    switch (mapping) {
      case Mapping::kUpper: return ucasemap_utf8ToUpper(map.get(), dest->data(), cap, src, len, &err);
      case Mapping::kLower: return ucasemap_utf8ToLower(map.get(), dest->data(), cap, src, len, &err);
      case Mapping::kCapitalize:
        return ucasemap_utf8ToTitle(map.get(), dest->data(), cap, src, len, &err);
    }
    return int32_t{0};
  };
  int32_t n = run(&out);
  if (err == U_BUFFER_OVERFLOW_ERROR) {
    out.assign(static_cast<size_t>(n) + 1, '\0');
    n = run(&out);
  }
  if (U_FAILURE(err)) return std::string(s);
  out.resize(static_cast<size_t>(n));
  return out;
}

char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (size_t pos = 0; pos < s.size();) {
    const size_t n = SequenceLength(s, pos);
    if (n == 0) return false;
    pos += n;
  }
  return true;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

char32_t DecodeUtf8(std::string_view s, size_t* pos) {
  const auto b0 = static_cast<unsigned char>(s[*pos]);
  if (b0 < 0x80) {
    ++*pos;
    return b0;
  }
  const size_t n = (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : 4;
  char32_t c = b0 & (0x7F >> n);
  for (size_t i = 1; i < n && *pos + i < s.size(); ++i) {
    c = (c << 6) | (static_cast<unsigned char>(s[*pos + i]) & 0x3F);
  }
  *pos += n;
  return c;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += !IsContinuation(static_cast<unsigned char>(c));
  return n;
}

std::vector<size_t> CharOffsets(std::string_view s) {
  std::vector<size_t> offsets;
  offsets.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsContinuation(static_cast<unsigned char>(s[i]))) offsets.push_back(i);
  }
  offsets.push_back(s.size());
  return offsets;
}

bool IsLetter(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  return u_isalpha(static_cast<UChar32>(c));
}
bool IsUpper(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return u_charType(static_cast<UChar32>(c)) == U_UPPERCASE_LETTER;
}
bool IsLower(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  return u_charType(static_cast<UChar32>(c)) == U_LOWERCASE_LETTER;
}
bool IsDigit(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return u_charType(static_cast<UChar32>(c)) == U_DECIMAL_DIGIT_NUMBER;
}
bool IsSpace(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  // CPython: bidirectional class WS, B or S, or category Zs.
  const auto dir = u_charDirection(static_cast<UChar32>(c));
  return dir == U_WHITE_SPACE_NEUTRAL || dir == U_BLOCK_SEPARATOR ||
         dir == U_SEGMENT_SEPARATOR ||
         u_charType(static_cast<UChar32>(c)) == U_SPACE_SEPARATOR;
}

std::string ToUpper(std::string_view s) {
  if (!IsAscii(s)) return IcuMap(s, Mapping::kUpper);
  std::string out(s);
  for (char& c : out) c = AsciiUpper(c);
  return out;
}

std::string ToLower(std::string_view s) {
  if (!IsAscii(s)) return IcuMap(s, Mapping::kLower);
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

std::string Capitalize(std::string_view s) {
  if (!IsAscii(s)) return IcuMap(s, Mapping::kCapitalize);
  std::string out = ToLower(s);
  if (!out.empty()) out[0] = AsciiUpper(out[0]);
  return out;
}

std::string ToTitle(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    size_t start = pos;
    const bool letter = IsLetter(DecodeUtf8(s, &pos));
    size_t end = pos;
    while (end < s.size()) {
      size_t next = end;
      if (IsLetter(DecodeUtf8(s, &next)) != letter) break;
      end = next;
    }
    const std::string_view run = s.substr(start, end - start);
    if (letter) {
      out += Capitalize(run);
    } else {
      out += run;
    }
    pos = end;
  }
  return out;
}

std::string_view Strip(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    size_t next = begin;
    if (!IsSpace(DecodeUtf8(s, &next))) break;
    begin = next;
  }
  const std::vector<size_t> offsets = CharOffsets(s.substr(begin));
  size_t end_char = offsets.size() - 1;
  while (end_char > 0) {
    size_t pos = begin + offsets[end_char - 1];
    if (!IsSpace(DecodeUtf8(s, &pos))) break;
    --end_char;
  }
  return s.substr(begin, offsets[end_char]);
}

}  // namespace flashsynth::dsl
