// dsl/text.h: UTF-8 text as the DSL sees it: characters are code points,
// classes and case mapping follow Unicode (ICU), and ASCII behaves exactly
// like Python's `str` methods that the RobustFill reference uses.
#ifndef FLASHSYNTH_DSL_TEXT_H_
#define FLASHSYNTH_DSL_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flashsynth::dsl {

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code
// points past U+10FFFF).
bool IsValidUtf8(std::string_view s);

bool IsAscii(std::string_view s);

// Decodes the code point starting at byte `*pos` of valid UTF-8 `s` and
// advances `*pos` past it.
char32_t DecodeUtf8(std::string_view s, size_t* pos);

void AppendUtf8(char32_t c, std::string* out);

// Number of code points in valid UTF-8 `s`.
size_t CountChars(std::string_view s);

// Byte offset of every code point of valid UTF-8 `s`, then s.size(): entry i
// is where character i starts, so characters [a, b) are bytes
// [offsets[a], offsets[b]).
std::vector<size_t> CharOffsets(std::string_view s);

// Character classes: Unicode general categories L*, Lu, Ll, Nd; on ASCII
// exactly [A-Za-z], [A-Z], [a-z], [0-9].
bool IsLetter(char32_t c);
bool IsUpper(char32_t c);
bool IsLower(char32_t c);
bool IsDigit(char32_t c);
// White space as Python's str.isspace() (ASCII: \t\n\v\f\r, \x1c-\x1f, space).
bool IsSpace(char32_t c);

// Full Unicode case mappings of valid UTF-8 text.
std::string ToUpper(std::string_view s);    // Python s.upper()
std::string ToLower(std::string_view s);    // Python s.lower()
std::string Capitalize(std::string_view s); // Python s.capitalize()
// Spreadsheet PROPER(): each maximal run of letters capitalized.
std::string ToTitle(std::string_view s);
// Python s.strip().
std::string_view Strip(std::string_view s);

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_TEXT_H_
