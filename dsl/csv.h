// dsl/csv.h: an RFC 4180 CSV reader with precise error positions.
//
// Accepts quoted fields (with embedded commas, doubled quotes and line
// breaks), LF or CRLF line ends, an optional UTF-8 byte order mark and an
// optional line end after the last record. Cells are returned exactly as
// written (never trimmed). No I/O: the caller passes the whole text.
#ifndef FLASHSYNTH_DSL_CSV_H_
#define FLASHSYNTH_DSL_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace flashsynth::dsl {

// A spreadsheet's per-cell limit (Excel: 32,767 characters).
inline constexpr size_t kMaxCellChars = 32767;

struct CsvOptions {
  size_t max_cell_chars = kMaxCellChars;   // longer cells are an error
  size_t max_records = 10'000'000;         // more records are an error
};

struct CsvRecord {
  std::vector<std::string> cells;
  int line = 0;  // 1-based line on which the record starts
};

// ParseCsv()
//
// Splits `text` into records. A line with no characters at all is skipped
// (a trailing blank line is common). Every record must have as many cells as the
// first. On malformed input returns kInvalidArgument whose message starts
// with "line L, column C: " (1-based; columns count characters) and says what
// is wrong: a quote inside an unquoted field, text after a closing quote, an
// unterminated quoted field (naming the line where it opened), a ragged
// record ("record has 3 fields, the header has 2"), a cell that is not valid
// UTF-8 or longer than max_cell_chars, a CR outside quotes not followed by
// LF, or more than max_records records.
// The position is that of the offending character (for a ragged record: its
// first extra field, or its end; for a long cell: its start). A byte order
// mark is not counted in line 1's columns. An empty text gives no records.
// Runs in time linear in the text.
//
// Example:
//   absl::StatusOr<std::vector<CsvRecord>> r = ParseCsv("a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\n");
//   // (*r)[1].cells == {"x,1", "say \"hi\""}
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(std::string_view text,
                                                const CsvOptions& options = {});

// Writes one record as a CSV line ending in "\n", quoting a cell only when it
// holds a comma, a quote, CR or LF (minimal quoting, as Python's csv module),
// doubling the quotes inside. So that ParseCsv() reads back exactly the cells
// written, two more cells are quoted: the only cell of a one-cell record when
// it is empty (`""`, else a blank line), and a first cell starting with U+FEFF
// (else, at the start of a text, a byte order mark).
//
// Example:
//   FormatCsvRecord({"x,1", "say \"hi\"", "plain"})
//   // == "\"x,1\",\"say \"\"hi\"\"\",plain\n"
std::string FormatCsvRecord(const std::vector<std::string>& cells);

}  // namespace flashsynth::dsl

#endif  // FLASHSYNTH_DSL_CSV_H_
