#include "dsl/match.h"

#include "dsl/text.h"

namespace flashsynth::dsl {

Utf8Text::Utf8Text(std::string_view text) : text_(text) {
  if (IsAscii(text)) {
    num_chars_ = text.size();
  } else {
    offsets_ = CharOffsets(text);
    num_chars_ = offsets_.size() - 1;
  }
}

char32_t Utf8Text::at(size_t i) const {
  if (offsets_.empty()) return static_cast<unsigned char>(text_[i]);
  size_t pos = offsets_[i];
  return DecodeUtf8(text_, &pos);
}

std::string_view Utf8Text::Slice(size_t begin, size_t end) const {
  const size_t b = ByteOffset(begin);
  return text_.substr(b, ByteOffset(end) - b);
}

namespace {

// Whether character `c` belongs to a run of token type `t`, for the types
// whose matches are maximal runs of one class.
bool InRun(TokenType t, char32_t c) {
  switch (t) {
    case TokenType::kNumber: return IsDigit(c);
    case TokenType::kWord: return IsLetter(c);
    case TokenType::kAlphanum: return IsLetter(c) || IsDigit(c);
    case TokenType::kAllCaps: return IsUpper(c);
    case TokenType::kLower: return IsLower(c);
    default: return false;
  }
}

bool IsCharToken(char32_t c) {
  return IsLetter(c) || IsDigit(c) || (c < 0x80 && IsDelimiter(static_cast<char>(c)));
}

// Calls `emit(Span)` for each match; stops when `emit` returns false.
template <typename Emit>
void ScanMatches(const Utf8Text& text, Regex regex, Emit emit) {
  const size_t n = text.size();
  if (!regex.is_type()) {
    const auto d = static_cast<unsigned char>(regex.delimiter());
    for (size_t i = 0; i < n; ++i) {
      if (text.at(i) == d && !emit(Span{i, i + 1})) return;
    }
    return;
  }
  const TokenType t = regex.type();
  if (t == TokenType::kDigit || t == TokenType::kChar) {
    for (size_t i = 0; i < n; ++i) {
      const char32_t c = text.at(i);
      const bool hit = t == TokenType::kDigit ? IsDigit(c) : IsCharToken(c);
      if (hit && !emit(Span{i, i + 1})) return;
    }
    return;
  }
  if (t == TokenType::kPropCase) {
    // [A-Z][a-z]+: an upper-case letter followed by a run of lower case.
    for (size_t i = 0; i + 1 < n;) {
      if (!IsUpper(text.at(i)) || !IsLower(text.at(i + 1))) {
        ++i;
        continue;
      }
      size_t j = i + 2;
      while (j < n && IsLower(text.at(j))) ++j;
      if (!emit(Span{i, j})) return;
      i = j;
    }
    return;
  }
  for (size_t i = 0; i < n;) {
    if (!InRun(t, text.at(i))) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < n && InRun(t, text.at(j))) ++j;
    if (!emit(Span{i, j})) return;
    i = j;
  }
}

}  // namespace

std::vector<Span> FindMatches(const Utf8Text& text, Regex regex) {
  std::vector<Span> spans;
  ScanMatches(text, regex, [&](Span s) {
    spans.push_back(s);
    return true;
  });
  return spans;
}

bool HasMatches(const Utf8Text& text, Regex regex, int count) {
  if (count <= 0) return true;
  int found = 0;
  ScanMatches(text, regex, [&](Span) { return ++found < count; });
  return found >= count;
}

}  // namespace flashsynth::dsl
