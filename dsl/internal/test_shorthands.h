// dsl/internal/test_shorthands.h: short names for the tests' tables only.
#ifndef FLASHSYNTH_DSL_INTERNAL_TEST_SHORTHANDS_H_
#define FLASHSYNTH_DSL_INTERNAL_TEST_SHORTHANDS_H_

#include "dsl/program.h"

namespace flashsynth::dsl::test_shorthands {

constexpr TokenType kNumber = TokenType::kNumber;
constexpr TokenType kWord = TokenType::kWord;
constexpr TokenType kAlphanum = TokenType::kAlphanum;
constexpr TokenType kAllCaps = TokenType::kAllCaps;
constexpr TokenType kPropCase = TokenType::kPropCase;
constexpr TokenType kLower = TokenType::kLower;
constexpr TokenType kDigit = TokenType::kDigit;
constexpr TokenType kChar = TokenType::kChar;
constexpr Boundary kStart = Boundary::kStart;
constexpr Boundary kEnd = Boundary::kEnd;

inline Regex Re(TokenType t) { return Regex::Of(t); }
inline Regex Re(char delimiter) { return Regex::Delimiter(delimiter); }

}  // namespace flashsynth::dsl::test_shorthands

#endif  // FLASHSYNTH_DSL_INTERNAL_TEST_SHORTHANDS_H_
