// dsl/match.h: token matches, found in one linear scan (no backtracking).
//
// Matches are maximal, non-overlapping and found left to right, exactly as
// Python's re.finditer finds RobustFill's regexes (docs/dsl.md lists them).
#ifndef FLASHSYNTH_DSL_MATCH_H_
#define FLASHSYNTH_DSL_MATCH_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "dsl/program.h"

namespace flashsynth::dsl {

// Valid UTF-8 text indexed by character (code point).
//
// Example:
//   Utf8Text t("Zoë 42");
//   // t.size() == 6, t.Slice(0, 3) == "Zoë"
class Utf8Text {
 public:
  explicit Utf8Text(std::string_view text);

  std::string_view text() const { return text_; }
  size_t size() const { return num_chars_; }  // in characters
  char32_t at(size_t i) const;                // i < size()
  // Characters [begin, end); requires begin <= end <= size().
  std::string_view Slice(size_t begin, size_t end) const;

 private:
  size_t ByteOffset(size_t char_index) const {
    return offsets_.empty() ? char_index : offsets_[char_index];
  }
  std::string_view text_;
  size_t num_chars_;
  std::vector<size_t> offsets_;  // empty when the text is ASCII
};

// A match: characters [begin, end).
struct Span {
  size_t begin;
  size_t end;
  friend bool operator==(Span a, Span b) { return a.begin == b.begin && a.end == b.end; }
};

// Every match of `regex` in `text`, left to right. Time linear in the text.
std::vector<Span> FindMatches(const Utf8Text& text, Regex regex);

// Whether `text` has at least `count` matches of `regex` (stops early).
bool HasMatches(const Utf8Text& text, Regex regex, int count);

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_MATCH_H_
