// dsl/csv.cc: ParseCsv() and FormatCsvRecord().
//
// The reader walks the text one field at a time. Spirit X3 grammars (private
// to this file) recognise a quoted field, an unquoted field and the
// separators of RFC 4180; the loop around them decides what a mismatch means
// and where it happened.
// Every grammar is a loop over single characters with one character of
// lookahead, so a parse takes time linear in the text. No grammar uses `>`,
// so X3 never throws.
#include "dsl/csv.h"

#include <boost/spirit/home/x3.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dsl/status_macros.h"

namespace flashsynth::dsl {
namespace {

namespace x3 = boost::spirit::x3;

using Iter = const char*;

// RFC 4180, section 2, one production each. `escaped` keeps the quotes out
// of the attribute and turns each doubled quote into one.
const auto kQuotedField =
    x3::lit('"') >>
    *(~x3::char_('"') | (x3::lit("\"\"") >> x3::attr('"'))) >>
    x3::lit('"');
const auto kUnquotedField = *~x3::char_(",\"\r\n");
const auto kComma = x3::lit(',');
const auto kLineEnd = x3::lit("\r\n") | x3::lit('\n');

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

// Returns the length of the well-formed UTF-8 sequence starting at s[0]
// (Unicode 15, table 3-7: no overlongs, no surrogates, nothing past
// U+10FFFF), or 0 if none starts there. `n` > 0 bytes are readable.
size_t Utf8SequenceLength(const unsigned char* s, size_t n) {
  const unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; ++i) {
    if (!IsContinuationByte(s[i])) return 0;
  }
  return len;
}

// Returns the offset of the first byte of `s` that starts no well-formed
// UTF-8 sequence, or npos if `s` is valid UTF-8.
size_t FindInvalidUtf8(std::string_view s) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    const size_t len = Utf8SequenceLength(bytes + i, s.size() - i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

// Number of characters in valid UTF-8 text.
size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += IsContinuationByte(static_cast<unsigned char>(c)) ? 0 : 1;
  return n;
}

// Reads the records of one text. Holds views into the caller's text.
class Reader {
 public:
  Reader(std::string_view text, const CsvOptions& options)
      : options_(options), pos_(text.data()),
        end_(text.data() + text.size()), line_cursor_(text.data()) {
    if (text.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
      pos_ += kByteOrderMark.size();
    }
    body_ = pos_;
    line_cursor_ = pos_;
  }

  absl::StatusOr<std::vector<CsvRecord>> ReadAll();

 private:
  // Skips blank lines; returns whether a record starts at pos_.
  bool AtRecord();
  absl::Status ReadRecord(CsvRecord& record);
  // Reads one field into `cell`, leaving pos_ just past it.
  absl::Status ReadField(std::string& cell, bool& quoted);
  // Checks the cell read from the bytes [raw, raw_end) of the text.
  absl::Status CheckCell(Iter raw, Iter raw_end, const std::string& cell,
                         Iter cell_start) const;
  // The error for the character at pos_, which ends no field.
  absl::Status BadFieldEnd(bool quoted) const;
  // Checks the record has as many fields as the header; `blame` is where
  // the first extra field starts, or where the record ends.
  absl::Status CheckFieldCount(const CsvRecord& record, Iter blame) const;
  // The 1-based line of `at`; calls must not go backwards.
  int LineOf(Iter at);
  // "line L, column C: what", the position being that of `at`.
  std::string Where(Iter at) const;
  absl::Status Error(Iter at, std::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(Where(at), ": ", ToAbsl(what)));
  }

  const CsvOptions& options_;
  Iter pos_;          // next character to read
  Iter end_;          // one past the text
  Iter body_;         // the text after any byte order mark
  Iter line_cursor_;  // LineOf() has counted the lines before this
  int line_ = 1;      // the line of line_cursor_
  size_t num_fields_ = 0;  // of the header; 0 before it is read
};

absl::StatusOr<std::vector<CsvRecord>> Reader::ReadAll() {
  std::vector<CsvRecord> records;
  while (AtRecord()) {
    if (records.size() >= options_.max_records) {
      return Error(pos_, absl::StrFormat("more than %d records",
                                         options_.max_records));
    }
    CsvRecord record;
    FS_RETURN_IF_ERROR(ReadRecord(record));
    if (records.empty()) num_fields_ = record.cells.size();
    records.push_back(std::move(record));
  }
  return records;
}

bool Reader::AtRecord() {
  while (x3::parse(pos_, end_, kLineEnd)) {
  }
  return pos_ != end_;
}

absl::Status Reader::ReadRecord(CsvRecord& record) {
  record.line = LineOf(pos_);
  Iter blame = nullptr;  // start of the first field past the header's
  while (true) {
    if (num_fields_ != 0 && record.cells.size() == num_fields_) blame = pos_;
    std::string cell;
    bool quoted = false;
    FS_RETURN_IF_ERROR(ReadField(cell, quoted));
    record.cells.push_back(std::move(cell));
    if (x3::parse(pos_, end_, kComma)) continue;
    if (pos_ == end_) break;
    Iter record_end = pos_;
    if (!x3::parse(pos_, end_, kLineEnd)) return BadFieldEnd(quoted);
    if (blame == nullptr) blame = record_end;
    break;
  }
  if (blame == nullptr) blame = end_;
  return CheckFieldCount(record, blame);
}

absl::Status Reader::ReadField(std::string& cell, bool& quoted) {
  const Iter start = pos_;
  quoted = pos_ != end_ && *pos_ == '"';
  if (!quoted) {
    x3::parse(pos_, end_, kUnquotedField);  // matches the empty string too
    cell.assign(start, pos_);
    return CheckCell(start, pos_, cell, start);
  }
  if (!x3::parse(pos_, end_, kQuotedField, cell)) {
    // Only the end of the text can stop a quoted field short of its quote.
    return Error(end_, absl::StrCat("quoted field opened at ",
                                    Where(start),
                                    " has no closing quote"));
  }
  return CheckCell(start + 1, pos_ - 1, cell, start);
}

absl::Status Reader::CheckCell(Iter raw, Iter raw_end, const std::string& cell,
                               Iter cell_start) const {
  const size_t bad = FindInvalidUtf8(std::string_view(raw, raw_end - raw));
  if (bad != std::string_view::npos) {
    return Error(raw + bad,
                 absl::StrFormat("cell is not valid UTF-8 (byte 0x%02X)",
                                 static_cast<unsigned char>(raw[bad])));
  }
  const size_t chars = CountChars(cell);
  if (chars > options_.max_cell_chars) {
    return Error(cell_start,
                 absl::StrFormat("cell has %d characters, more than the "
                                 "limit of %d",
                                 chars, options_.max_cell_chars));
  }
  return absl::OkStatus();
}

absl::Status Reader::BadFieldEnd(bool quoted) const {
  if (*pos_ == '\r') {
    return Error(pos_, "carriage return (CR) not followed by a line feed "
                       "outside quotes");
  }
  if (quoted) {
    return Error(pos_, "text after the closing quote of a quoted field "
                       "(a quote inside a quoted field must be doubled)");
  }
  return Error(pos_, "quote inside an unquoted field (quote the whole field "
                     "and double the quote)");
}

absl::Status Reader::CheckFieldCount(const CsvRecord& record,
                                     Iter blame) const {
  if (num_fields_ == 0 || record.cells.size() == num_fields_) {
    return absl::OkStatus();
  }
  return Error(blame,
               absl::StrFormat("record has %d field%s, the header has %d",
                               record.cells.size(),
                               record.cells.size() == 1 ? "" : "s",
                               num_fields_));
}

int Reader::LineOf(Iter at) {
  for (; line_cursor_ < at; ++line_cursor_) {
    if (*line_cursor_ == '\n') ++line_;
  }
  return line_;
}

std::string Reader::Where(Iter at) const {
  int line = 1;
  int column = 1;
  for (Iter p = body_; p < at; ++p) {
    if (*p == '\n') {
      ++line;
      column = 1;
    } else if (!IsContinuationByte(static_cast<unsigned char>(*p))) {
      ++column;
    }
  }
  return absl::StrFormat("line %d, column %d", line, column);
}

// Whether a reader would misread `cell` at `index` of `cells` unquoted.
bool NeedsQuotes(const std::vector<std::string>& cells, size_t index) {
  const std::string& cell = cells[index];
  if (cell.find_first_of(",\"\r\n") != std::string::npos) return true;
  // A lone empty cell would read as a blank line, which ParseCsv() skips.
  if (cells.size() == 1 && cell.empty()) return true;
  // At the start of a text, a leading U+FEFF would read as a byte order mark.
  return index == 0 &&
         std::string_view(cell).substr(0, kByteOrderMark.size()) ==
             kByteOrderMark;
}

void AppendQuoted(const std::string& cell, std::string& out) {
  out += '"';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(std::string_view text,
                                                const CsvOptions& options) {
  return Reader(text, options).ReadAll();
}

std::string FormatCsvRecord(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    if (NeedsQuotes(cells, i)) {
      AppendQuoted(cells[i], out);
    } else {
      out += cells[i];
    }
  }
  out += '\n';
  return out;
}

}  // namespace flashsynth::dsl
