// dsl/text_test.cc: UTF-8 validation and decoding, character classes, case
// mapping and stripping.
//
// The expected values come from Python 3.11 (Unicode 14), not from this
// code: bytes.decode('utf-8') for validity, unicodedata categories for the
// classes (letter L*, upper Lu, lower Ll, digit Nd), str.isspace(),
// str.upper(), str.lower(), str.capitalize() and str.strip(). Title case is
// DSL.md's spreadsheet PROPER(): every maximal run of letters capitalized.
// Only characters whose properties did not change in Unicode 15 (ICU 72)
// are used.
#include "dsl/text.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/program.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

using namespace std::string_view_literals;  // NOLINT(build/namespaces)
using ::testing::ElementsAreArray;

struct ValidityCase {
  std::string_view bytes;
  bool valid;
};

TEST(IsValidUtf8Test, RejectsOverlongsSurrogatesTooLargeAndTruncatedSequences) {
  const std::vector<ValidityCase> cases = {
      // empty
      {"", true},
      {"abc", true},
      // NUL is a character
      {"\000"sv, true},
      {"\177", true},
      // U+00E9
      {"\303\251", true},
      // largest 2-byte
      {"\337\277", true},
      // smallest 3-byte
      {"\340\240\200", true},
      // just below the surrogates
      {"\355\237\277", true},
      // just above the surrogates
      {"\356\200\200", true},
      // a noncharacter is still valid
      {"\357\277\277", true},
      // U+1F600
      {"\360\237\230\200", true},
      // the largest code point
      {"\364\217\277\277", true},
      // a lone continuation byte
      {"\200", false},
      {"\277", false},
      {"a\200b", false},
      // overlong NUL
      {"\300\200", false},
      // overlong '/'
      {"\300\257", false},
      // overlong U+007F
      {"\301\277", false},
      // overlong '/', 3 bytes
      {"\340\200\257", false},
      // overlong U+07FF
      {"\340\237\277", false},
      // overlong '/', 4 bytes
      {"\360\200\200\257", false},
      // overlong U+FFFF
      {"\360\217\277\277", false},
      // surrogate U+D800
      {"\355\240\200", false},
      // surrogate U+DFFF
      {"\355\277\277", false},
      // a CESU-8 surrogate pair
      {"\355\240\275\355\270\200", false},
      // U+110000
      {"\364\220\200\200", false},
      {"\365\200\200\200", false},
      {"\367\277\277\277", false},
      // 5-byte form
      {"\370\210\200\200\200", false},
      // 6-byte form
      {"\374\204\200\200\200\200", false},
      {"\376", false},
      {"\377", false},
      // truncated 2-byte
      {"\303", false},
      // truncated 3-byte
      {"\342\202", false},
      // truncated 4-byte
      {"\360\237\230", false},
      // truncated at the end
      {"ab\303", false},
      // bad continuation
      {"\303(", false},
      {"\342(\241", false},
      {"\342\202(", false},
      {"\360\237\230(", false},
      // valid then truncated
      {"\303\251\303", false},
  };
  for (const ValidityCase& c : cases) {
    SCOPED_TRACE(QuoteString(c.bytes));
    EXPECT_EQ(IsValidUtf8(c.bytes), c.valid);
  }
}

TEST(IsAsciiTest, IsTrueExactlyWhenNoByteIsAbove127) {
  EXPECT_TRUE(IsAscii(""));
  EXPECT_TRUE(IsAscii("abc \x7f"));
  EXPECT_TRUE(IsAscii("\0"sv));
  EXPECT_FALSE(IsAscii("Zoë"));
  EXPECT_FALSE(IsAscii("abc\x80"));
}

struct CountCase {
  std::string_view text;
  size_t num_chars;
  std::vector<size_t> offsets;
};

TEST(CountCharsTest, CountsCodePointsAndCharOffsetsFindWhereEachStarts) {
  const std::vector<CountCase> cases = {
      {"", 0, {0}},
      {"abc", 3, {0, 1, 2, 3}},
      {"Zoë", 3, {0, 1, 2, 4}},
      {"😀", 1, {0, 4}},
      {"a😀b", 3, {0, 1, 5, 6}},
      // a combining mark counts
      {"cafe\314\201", 5, {0, 1, 2, 3, 4, 6}},
      {"北京市", 3, {0, 3, 6, 9}},
      {"\000a"sv, 2, {0, 1, 2}},
  };
  for (const CountCase& c : cases) {
    SCOPED_TRACE(QuoteString(c.text));
    EXPECT_EQ(CountChars(c.text), c.num_chars);
    EXPECT_THAT(CharOffsets(c.text), ElementsAreArray(c.offsets));
  }
}

struct CodecCase {
  char32_t code_point;
  std::string_view utf8;
};

TEST(Utf8CodecTest, EncodesAndDecodesEveryLengthAtItsBounds) {
  const std::vector<CodecCase> cases = {
      {0x0, "\000"sv},
      {0x41, "A"},
      {0x7F, "\177"},
      {0x80, "\302\200"},
      {0xE9, "\303\251"},
      {0x7FF, "\337\277"},
      {0x800, "\340\240\200"},
      {0xD7FF, "\355\237\277"},
      {0xE000, "\356\200\200"},
      {0xFFFD, "\357\277\275"},
      {0xFFFF, "\357\277\277"},
      {0x10000, "\360\220\200\200"},
      {0x1F600, "\360\237\230\200"},
      {0x10FFFF, "\364\217\277\277"},
  };
  for (const CodecCase& c : cases) {
    SCOPED_TRACE(static_cast<uint32_t>(c.code_point));
    std::string encoded = "x";
    AppendUtf8(c.code_point, &encoded);
    EXPECT_EQ(encoded.substr(1), c.utf8);
    size_t pos = 1;
    EXPECT_EQ(DecodeUtf8(encoded, &pos), c.code_point);
    EXPECT_EQ(pos, encoded.size());
  }
}

TEST(CharacterClassTest, OnAsciiAreExactlyTheRobustFillRanges) {
  for (char32_t c = 0; c < 0x80; ++c) {
    SCOPED_TRACE(static_cast<uint32_t>(c));
    const bool upper = c >= 'A' && c <= 'Z';
    const bool lower = c >= 'a' && c <= 'z';
    EXPECT_EQ(IsUpper(c), upper);
    EXPECT_EQ(IsLower(c), lower);
    EXPECT_EQ(IsLetter(c), upper || lower);
    EXPECT_EQ(IsDigit(c), c >= '0' && c <= '9');
  }
}

struct ClassCase {
  char32_t c;
  bool letter;
  bool upper;
  bool lower;
  bool digit;
  bool space;
};

TEST(CharacterClassTest, BeyondAsciiFollowTheGeneralCategory) {
  const std::vector<ClassCase> cases = {
      // Ll
      {0xE9, true, false, true, false, false},
      // Lu
      {0xDC, true, true, false, false, false},
      // Lt: a letter, neither upper nor lower
      {0x1C5, true, false, false, false, false},
      // Lo
      {0xAA, true, false, false, false, false},
      // Lm
      {0x2B0, true, false, false, false, false},
      // Lo
      {0x4E2D, true, false, false, false, false},
      // Ll
      {0xDF, true, false, true, false, false},
      // Lu
      {0x3A9, true, true, false, false, false},
      // Ll
      {0x3C9, true, false, true, false, false},
      // MATHEMATICAL BOLD CAPITAL A, Lu
      {0x1D400, true, true, false, false, false},
      // ARABIC-INDIC THREE, Nd
      {0x663, false, false, false, true, false},
      // MATHEMATICAL BOLD DIGIT ZERO, Nd
      {0x1D7CE, false, false, false, true, false},
      // No: not a decimal digit
      {0xB2, false, false, false, false, false},
      // Nl: not a letter
      {0x216B, false, false, false, false, false},
      // No
      {0xBD, false, false, false, false, false},
      // Mn
      {0x301, false, false, false, false, false},
      // Zs
      {0xA0, false, false, false, false, true},
      // Zl
      {0x2028, false, false, false, false, true},
      // Zp
      {0x2029, false, false, false, false, true},
      // Cc, white space in Python
      {0x85, false, false, false, false, true},
      // Cf, not white space
      {0x200B, false, false, false, false, false},
      // Cf since Unicode 6.3, not white space
      {0x180E, false, false, false, false, false},
      // Cf
      {0xFEFF, false, false, false, false, false},
      // Zs
      {0x3000, false, false, false, false, true},
      // So
      {0x1F600, false, false, false, false, false},
      // Sc
      {0x20AC, false, false, false, false, false},
      // Pd
      {0x2014, false, false, false, false, false},
      // Pc
      {0x5F, false, false, false, false, false},
  };
  for (const ClassCase& c : cases) {
    SCOPED_TRACE(static_cast<uint32_t>(c.c));
    EXPECT_EQ(IsLetter(c.c), c.letter);
    EXPECT_EQ(IsUpper(c.c), c.upper);
    EXPECT_EQ(IsLower(c.c), c.lower);
    EXPECT_EQ(IsDigit(c.c), c.digit);
    EXPECT_EQ(IsSpace(c.c), c.space);
  }
}

TEST(IsSpaceTest, AgreesWithPythonIsspaceOnEveryCodePoint) {
  // Every code point for which Python's str.isspace() is true.
  const std::vector<char32_t> spaces = {
      0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E,
      0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002,
      0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
      0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
  };
  size_t next = 0;
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    const bool want = next < spaces.size() && spaces[next] == c;
    if (want) ++next;
    if (IsSpace(c) != want) ADD_FAILURE() << "U+" << std::hex << static_cast<uint32_t>(c);
  }
  EXPECT_EQ(next, spaces.size());
}

struct CaseCase {
  std::string_view text;
  std::string_view upper;
  std::string_view lower;
  std::string_view capitalized;
  std::string_view title;
};

TEST(CaseMappingTest, MapsAsPythonStrMethodsAndTitleCasesEveryRunOfLetters) {
  const std::vector<CaseCase> cases = {
      {"", "", "", "", ""},
      {"abc", "ABC", "abc", "Abc", "Abc"},
      {"ABC", "ABC", "abc", "Abc", "Abc"},
      {"hELLO wORLD", "HELLO WORLD", "hello world", "Hello world", "Hello World"},
      {"o'neil 2nd", "O'NEIL 2ND", "o'neil 2nd", "O'neil 2nd", "O'Neil 2Nd"},
      {"123 abc", "123 ABC", "123 abc", "123 abc", "123 Abc"},
      {" lead", " LEAD", " lead", " lead", " Lead"},
      {"x2y_z", "X2Y_Z", "x2y_z", "X2y_z", "X2Y_Z"},
      // ß upper-cases to SS
      {"straße", "STRASSE", "straße", "Straße", "Straße"},
      {"ß", "SS", "ß", "Ss", "Ss"},
      {"zoë ünal", "ZOË ÜNAL", "zoë ünal", "Zoë ünal", "Zoë Ünal"},
      {"ÉCOLE normale", "ÉCOLE NORMALE", "école normale", "École normale", "École Normale"},
      // dž title-cases to Dž
      {"ǆemal", "ǄEMAL", "ǆemal", "ǅemal", "ǅemal"},
      {"ǅ", "Ǆ", "ǆ", "ǅ", "ǅ"},
      // İ lower-cases to i + U+0307
      {"İstanbul", "İSTANBUL", "i\314\207stanbul", "İstanbul", "İstanbul"},
      // final sigma
      {"ΟΔΟΣ ΟΔΟΣ", "ΟΔΟΣ ΟΔΟΣ", "οδος οδος", "Οδος οδος", "Οδος Οδος"},
      // ligature
      {"ﬁnance", "FINANCE", "ﬁnance", "Finance", "Finance"},
      // ŉ upper-cases to ʼN
      {"ŉ", "ʼN", "ŉ", "ʼN", "ʼN"},
      {"l'été 2ème", "L'ÉTÉ 2ÈME", "l'été 2ème", "L'été 2ème", "L'Été 2Ème"},
      // capitalize maps the first character even when it is not a letter
      {"'élan", "'ÉLAN", "'élan", "'élan", "'Élan"},
      {" élan", " ÉLAN", " élan", " élan", " Élan"},
      {"(école)", "(ÉCOLE)", "(école)", "(école)", "(École)"},
      {"1ébc", "1ÉBC", "1ébc", "1ébc", "1Ébc"},
      {"北京abc", "北京ABC", "北京abc", "北京abc", "北京abc"},
      {"ǈubljana", "ǇUBLJANA", "ǉubljana", "ǈubljana", "ǈubljana"},
  };
  for (const CaseCase& c : cases) {
    SCOPED_TRACE(QuoteString(c.text));
    EXPECT_EQ(ToUpper(c.text), c.upper);
    EXPECT_EQ(ToLower(c.text), c.lower);
    EXPECT_EQ(Capitalize(c.text), c.capitalized);
    EXPECT_EQ(ToTitle(c.text), c.title);
  }
}

struct StripCase {
  std::string_view text;
  std::string_view stripped;
};

TEST(StripTest, RemovesWhatPythonStripRemoves) {
  const std::vector<StripCase> cases = {
      {"", ""},
      {"   ", ""},
      {"  a b  ", "a b"},
      {"\t\n x \r\n", "x"},
      // \v \f and \x1c-\x1f are white space in Python
      {"\013\014x\034\035\036\037", "x"},
      {"ab", "ab"},
      {" a\302\240", "a"},
      {"\343\200\200x\342\200\203", "x"},
      {"\302\205x\342\200\250\342\200\251", "x"},
      // ZERO WIDTH SPACE stays
      {"\342\200\213x\342\200\213", "\342\200\213x\342\200\213"},
      {"\357\273\277x", "\357\273\277x"},
      {"\341\240\216x", "\341\240\216x"},
      {"\302\240\302\240", ""},
      {"é \302\240", "é"},
      {" 😀 ", "😀"},
  };
  for (const StripCase& c : cases) {
    SCOPED_TRACE(QuoteString(c.text));
    EXPECT_EQ(Strip(c.text), c.stripped);
  }
}

}  // namespace
}  // namespace flashsynth::dsl
