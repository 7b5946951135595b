// dsl/csv_test.cc: ParseCsv() and FormatCsvRecord().
#include "dsl/csv.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace flashsynth::dsl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Cells = std::vector<std::vector<std::string>>;
using namespace std::string_view_literals;  // "\0"sv keeps its NUL

std::vector<std::vector<std::string>> CellsOf(
    const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> out;
  for (const CsvRecord& r : records) out.push_back(r.cells);
  return out;
}

std::vector<int> LinesOf(const std::vector<CsvRecord>& records) {
  std::vector<int> out;
  for (const CsvRecord& r : records) out.push_back(r.line);
  return out;
}

CsvOptions WithMaxCellChars(size_t n) {
  CsvOptions options;
  options.max_cell_chars = n;
  return options;
}

CsvOptions WithMaxRecords(size_t n) {
  CsvOptions options;
  options.max_records = n;
  return options;
}

struct GoodCase {
  std::string_view name;
  std::string_view text;
  Cells cells;
  std::vector<int> lines;
  CsvOptions options = {};
};

const std::vector<GoodCase>& GoodCases() {
  static const auto* cases = new std::vector<GoodCase>{
      {"plain rows", "a,b\n1,2\n", {{"a", "b"}, {"1", "2"}}, {1, 2}},
      {"no final line end", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}, {1, 2}},
      {"crlf line ends", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}, {1, 2}},
      {"mixed line ends", "a,b\r\n1,2\n3,4\r\n",
       {{"a", "b"}, {"1", "2"}, {"3", "4"}}, {1, 2, 3}},
      {"quoted comma", "a,b\n\"x,1\",y\n", {{"a", "b"}, {"x,1", "y"}}, {1, 2}},
      {"doubled quotes", "a\n\"say \"\"hi\"\"\"\n",
       {{"a"}, {"say \"hi\""}}, {1, 2}},
      {"a cell of one quote", "a\n\"\"\"\"\n", {{"a"}, {"\""}}, {1, 2}},
      {"embedded lf", "a,b\n\"l1\nl2\",z\nq,r\n",
       {{"a", "b"}, {"l1\nl2", "z"}, {"q", "r"}}, {1, 2, 4}},
      {"embedded crlf is kept", "a,b\r\n\"l1\r\nl2\",z\r\n",
       {{"a", "b"}, {"l1\r\nl2", "z"}}, {1, 2}},
      {"lone cr inside quotes", "a\n\"x\ry\"\n", {{"a"}, {"x\ry"}}, {1, 2}},
      {"byte order mark skipped", "\xEF\xBB\xBF" "a,b\n1,2\n",
       {{"a", "b"}, {"1", "2"}}, {1, 2}},
      {"blank lines skipped", "\na,b\n\n1,2\n\r\n\n3,4\n\n",
       {{"a", "b"}, {"1", "2"}, {"3", "4"}}, {2, 4, 7}},
      {"empty cells", "a,b,c\n,,\n", {{"a", "b", "c"}, {"", "", ""}}, {1, 2}},
      {"trailing comma at end of text", "a,b\nx,", {{"a", "b"}, {"x", ""}},
       {1, 2}},
      {"quoted empty cells", "a,b\n\"\",\"\"\n", {{"a", "b"}, {"", ""}},
       {1, 2}},
      {"a lone quoted empty cell is a record", "\"\"\n", {{""}}, {1}},
      {"spaces are kept", " a , b \n", {{" a ", " b "}}, {1}},
      {"utf-8 cells", "名前,é\n😀,x\n", {{"名前", "é"}, {"😀", "x"}}, {1, 2}},
      {"utf-8 boundaries",
       "\xC2\x80,\xDF\xBF,\xE0\xA0\x80,\xED\x9F\xBF,\xEE\x80\x80,"
       "\xF0\x90\x80\x80,\xF4\x8F\xBF\xBF\n",
       {{"\u0080", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\U00010000",
         "\U0010FFFF"}},
       {1}},
      {"nul byte is a character", "a\0b,c\n"sv, {{std::string("a\0b", 3), "c"}},
       {1}},
      {"empty text", "", {}, {}},
      {"only line ends", "\n\r\n\n", {}, {}},
      {"only a byte order mark", "\xEF\xBB\xBF", {}, {}},
      {"a second byte order mark is data", "\xEF\xBB\xBF\xEF\xBB\xBF" "a\n",
       {{"\xEF\xBB\xBF" "a"}}, {1}},
      {"header example", "a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\n",
       {{"a", "b"}, {"x,1", "say \"hi\""}}, {1, 2}},
      {"cell at the character limit", "ééé,\"a\"\"b\"\n", {{"ééé", "a\"b"}},
       {1}, WithMaxCellChars(3)},
      {"records at the limit", "a\nb\n", {{"a"}, {"b"}}, {1, 2},
       WithMaxRecords(2)},
  };
  return *cases;
}

TEST(ParseCsvTest, ReadsWellFormedTextIntoCellsAndLines) {
  for (const GoodCase& c : GoodCases()) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(c.text, c.options);
    ASSERT_TRUE(records.ok()) << records.status();
    EXPECT_EQ(CellsOf(*records), c.cells);
    EXPECT_EQ(LinesOf(*records), c.lines);
  }
}

struct BadCase {
  std::string_view name;
  std::string_view text;
  std::string_view position;  // "line L, column C"
  std::string_view what;      // part of the message after the position
  CsvOptions options = {};
};

const std::vector<BadCase>& BadCases() {
  static const auto* cases = new std::vector<BadCase>{
      {"bare quote in an unquoted field", "a,b\nx\"y,z\n", "line 2, column 2",
       "quote inside an unquoted field"},
      {"bare quote after utf-8 text", "a,b\nééé\"x,1\n", "line 2, column 4",
       "quote inside an unquoted field"},
      {"text after a closing quote", "a,b\n\"x\"y,z\n", "line 2, column 4",
       "text after the closing quote"},
      {"space after a closing quote", "\"a\" ,b\n", "line 1, column 4",
       "text after the closing quote"},
      {"unterminated quoted field", "a,b\n\"open,1\n2,3\n", "line 4, column 1",
       "quoted field opened at line 2, column 1 has no closing quote"},
      {"unterminated after a doubled quote", "a,b\nx,\"y\"\"", "line 2, column 7",
       "quoted field opened at line 2, column 3 has no closing quote"},
      {"too many fields", "a,b\n1,2,3\n", "line 2, column 5",
       "record has 3 fields, the header has 2"},
      {"too few fields", "a,b,c\n1,2\n", "line 2, column 4",
       "record has 2 fields, the header has 3"},
      {"too few fields at the end of the text", "a,b\n1", "line 2, column 2",
       "record has 1 field, the header has 2"},
      {"ragged record after a multi-line cell", "a,b\n\"x\ny\",2,3\n",
       "line 3, column 6", "record has 3 fields, the header has 2"},
      {"lone continuation byte", "a,b\nx\x80,y\n", "line 2, column 2",
       "not valid UTF-8 (byte 0x80)"},
      {"byte 0xff", "a,b\nx,\xFF\n", "line 2, column 3",
       "not valid UTF-8 (byte 0xFF)"},
      {"overlong two-byte slash", "a,b\nx,\xC0\xAF\n", "line 2, column 3",
       "not valid UTF-8 (byte 0xC0)"},
      {"overlong two-byte 0xc1", "a,b\né\xC1\xBF,y\n", "line 2, column 2",
       "not valid UTF-8 (byte 0xC1)"},
      {"overlong three-byte", "a,b\n\xE0\x80\xAF,y\n", "line 2, column 1",
       "not valid UTF-8 (byte 0xE0)"},
      {"overlong four-byte", "a,b\n\xF0\x80\x80\xAF,y\n", "line 2, column 1",
       "not valid UTF-8 (byte 0xF0)"},
      {"utf-16 surrogate", "a,b\n\xED\xA0\x80,y\n", "line 2, column 1",
       "not valid UTF-8 (byte 0xED)"},
      {"past U+10FFFF", "a,b\n\xF4\x90\x80\x80,y\n", "line 2, column 1",
       "not valid UTF-8 (byte 0xF4)"},
      {"lead byte 0xf5", "a,b\n\xF5\x80\x80\x80,y\n", "line 2, column 1",
       "not valid UTF-8 (byte 0xF5)"},
      {"sequence cut by a comma", "a,b\n\xE2\x82,y\n", "line 2, column 1",
       "not valid UTF-8 (byte 0xE2)"},
      {"sequence cut by the end of the text", "a,b\nx,y\xE2\x82",
       "line 2, column 4", "not valid UTF-8 (byte 0xE2)"},
      {"bad byte in a multi-line quoted cell", "a,b\n\"x\ny\xFF\",1\n",
       "line 3, column 2", "not valid UTF-8 (byte 0xFF)"},
      {"bad byte in the header after a byte order mark",
       "\xEF\xBB\xBF" "é\xFF,b\n", "line 1, column 2",
       "not valid UTF-8 (byte 0xFF)"},
      {"cell over the character limit", "a,b\nabcd,1\n", "line 2, column 1",
       "cell has 4 characters, more than the limit of 3", WithMaxCellChars(3)},
      {"quoted cell over the character limit", "a,b\n1,\"ab\"\"cd\"\n",
       "line 2, column 3", "cell has 5 characters, more than the limit of 3",
       WithMaxCellChars(3)},
      {"too many records", "a\nb\n\nc\n", "line 4, column 1",
       "more than 2 records", WithMaxRecords(2)},
      {"lone cr ends a line", "a,b\r1,2\n", "line 1, column 4",
       "carriage return (CR) not followed by a line feed"},
      {"lone cr after a quoted field", "a\n\"x\"\ry\n", "line 2, column 4",
       "carriage return (CR) not followed by a line feed"},
  };
  return *cases;
}

TEST(ParseCsvTest, ReportsEachMalformationWithItsLineAndColumn) {
  for (const BadCase& c : BadCases()) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(c.text, c.options);
    ASSERT_FALSE(records.ok()) << "parsed " << records->size() << " records";
    EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(records.status().message());
    EXPECT_THAT(message, StartsWith(std::string(c.position) + ": "));
    EXPECT_THAT(message, HasSubstr(std::string(c.what)));
  }
}

TEST(ParseCsvTest, ReadsALargeTableInOnePass) {
  std::string text = "id,text\n";
  for (int i = 0; i < 100000; ++i) text += "7,\"a \"\"b\"\", c\"\n";
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 100001u);
  EXPECT_THAT(records->back().cells, ElementsAre("7", "a \"b\", c"));
  EXPECT_EQ(records->back().line, 100001);
}

struct FormatCase {
  std::vector<std::string> cells;
  std::string_view line;
};

TEST(FormatCsvRecordTest, QuotesOnlyCellsThatNeedIt) {
  const std::vector<FormatCase> cases = {
      {{"a", "b"}, "a,b\n"},
      {{" x ", "é"}, " x ,é\n"},
      {{"x,1"}, "\"x,1\"\n"},
      {{"say \"hi\""}, "\"say \"\"hi\"\"\"\n"},
      {{"a\nb", "c"}, "\"a\nb\",c\n"},
      {{"a\r\nb", "c\rd"}, "\"a\r\nb\",\"c\rd\"\n"},
      {{"", ""}, ",\n"},
      // A lone empty cell would read back as a blank line.
      {{""}, "\"\"\n"},
      // A leading U+FEFF would read back as a byte order mark.
      {{"\xEF\xBB\xBF" "x", "\xEF\xBB\xBF" "y"},
       "\"\xEF\xBB\xBF" "x\",\xEF\xBB\xBF" "y\n"},
      {{}, "\n"},
  };
  for (const FormatCase& c : cases) {
    SCOPED_TRACE(c.line);
    EXPECT_EQ(FormatCsvRecord(c.cells), c.line);
  }
}

TEST(FormatCsvRecordTest, RoundTripsTrickyCellsThroughParseCsv) {
  const std::vector<std::vector<std::string>> tables[] = {
      {{"plain", "with,comma", "with \"quote\"", "\""},
       {"line\nbreak", "crlf\r\nin", "lone\rcr", ""},
       {" spaces ", "é😀", "\xEF\xBB\xBF" "bom", "\"\""},
       {",", "trailing,", "\n", "\r\n"},
       {"", "", "", ""}},
      {{""}, {"x"}, {""}},
      {{"\xEF\xBB\xBF"}, {"\xEF\xBB\xBF"}},
  };
  for (const auto& table : tables) {
    std::string text;
    for (const auto& cells : table) text += FormatCsvRecord(cells);
    SCOPED_TRACE(text);
    absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
    ASSERT_TRUE(records.ok()) << records.status();
    EXPECT_EQ(CellsOf(*records), table);
  }
}

}  // namespace
}  // namespace flashsynth::dsl
