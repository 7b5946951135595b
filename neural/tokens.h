// neural/tokens.h: the two vocabularies of the RobustFill models.
//
// Example strings are read character by character (CharIds); programs are
// written as a sequence of program tokens (ProgramVocab), in the order of
// their printed form, so that a decoder emits them left to right.
//
// The program vocabulary is not a second copy of the grammar: it is built
// from dsl/program.h's tables (the operator table behind GetOpInfo(), the
// token types, cases, boundaries, delimiters and the position, index and
// count bounds). Only the framing tokens below are ours.
//
// Token sequence of a program (every argument slot comes from GetOpInfo()):
//
//   Concat(e1, ..., en)   e1 ... en EOS
//   Switch(cases)         Switch (Branch literal* Then e1 ... en)+ EOS
//   literal               Match|NotMatch column regex count
//   substring op          Op column arg*
//   modification          Op arg* (column | inner expression)
//   ConstStr(s)           ConstStr byte* EndString
//
// The column is always written (x1 too), and a string argument (ConstStr's
// text, a decimal constant as written, a number format code) is its UTF-8
// bytes followed by EndString, so that every prefix has one reading.
//
// Example:
//   ProgramVocab vocab;
//   absl::StatusOr<std::vector<int>> t =
//       TokenizeProgram(*dsl::Parse("Concat(GetToken(Word, -1))"), vocab);
//   // vocab.Describe(*t) == "GetToken x1 Word -1 EOS"
//   // *DetokenizeProgram(*t, vocab) is the program again
#ifndef FLASHSYNTH_NEURAL_TOKENS_H_
#define FLASHSYNTH_NEURAL_TOKENS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "dsl/program.h"

namespace flashsynth::neural {

// ---------------------------------------------------------------------------
// Characters of example inputs and outputs.

inline constexpr int kCharPad = 0;        // padding; never a real character
inline constexpr int kCharBos = 1;        // reserved: start of a string
inline constexpr int kCharEos = 2;        // ends every encoded string
inline constexpr int kCharUnk = 3;        // any character but printable ASCII
inline constexpr int kCharSeparator = 4;  // between the columns of an input row
inline constexpr int kCharFirstPrintable = 5;  // ' ' .. '~' follow
inline constexpr int kCharVocabSize = kCharFirstPrintable + 95;

// The id of one code point: printable ASCII has its own, the rest is kCharUnk.
int CharId(char32_t c);

// The ids of `text`'s characters (code points; a byte of invalid UTF-8 counts
// as one kCharUnk), at most `max_chars` of them, then kCharEos.
std::vector<int> EncodeText(std::string_view text, int max_chars);

// An input row: its cells joined by kCharSeparator, cut to `max_chars`
// characters, then kCharEos.
//
// Example:
//   EncodeRow({"ab", "c"}, 100) == {CharId('a'), CharId('b'), kCharSeparator,
//                                   CharId('c'), kCharEos}
std::vector<int> EncodeRow(absl::Span<const std::string> cells, int max_chars);

// ---------------------------------------------------------------------------
// Program tokens.

// What a program token stands for; `value` in ProgramToken says which one.
enum class TokenKind : uint8_t {
  kPad,        // padding, id 0
  kBos,        // decoder input before the first token
  kEos,        // ends a program
  kSwitch,     // starts a Switch program
  kBranch,     // starts one case of a Switch
  kThen,       // ends a case's condition
  kMatch,      // a Match literal: column, regex, count follow
  kNotMatch,   // a negated Match literal
  kEndString,  // ends a string argument
  kOp,         // value: dsl::Op
  kColumn,     // value: 0-based column
  kType,       // value: dsl::TokenType
  kCase,       // value: dsl::Case
  kBoundary,   // value: dsl::Boundary
  kDelimiter,  // value: the delimiter character
  kInteger,    // value: a position, index, count or power of ten
  kByte,       // value: one byte (0..255) of a string argument
  kMark,       // value: dsl::DecimalMark (ReadNumber)
  kRounding,   // value: dsl::RoundingMode (Round)
  kBinEdge,    // value: dsl::BinEdge (Bin)
  kMarks,      // value: dsl::NumberMarks (Format)
  kSign,       // value: dsl::SignStyle (Format)
};

struct ProgramToken {
  TokenKind kind;
  int value;         // see TokenKind; 0 for framing tokens
  std::string name;  // for messages: "GetToken", "x2", "Word", "-3", "'a'"
};

// Columns x1..x8 get tokens unless a model asks for more.
inline constexpr int kDefaultMaxColumns = 8;

// The program-token vocabulary. Ids are dense, 0..size()-1, PAD is 0. Two
// vocabularies with the same max_columns are identical in one build;
// fingerprint() changes whenever the DSL's tables change, so that a model
// file trained on another vocabulary is refused. Immutable, thread-safe.
class ProgramVocab {
 public:
  static constexpr int kPad = 0;
  static constexpr int kBos = 1;
  static constexpr int kEos = 2;

  // `max_columns` in 1..dsl::kMaxColumns; larger values are clamped.
  explicit ProgramVocab(int max_columns = kDefaultMaxColumns);

  int size() const { return static_cast<int>(tokens_.size()); }
  int max_columns() const { return max_columns_; }
  const ProgramToken& token(int id) const { return tokens_[static_cast<size_t>(id)]; }

  // The id of the token (kind, value), or -1 when there is none (a column
  // past max_columns(), an integer out of the DSL's bounds, ...).
  int Id(TokenKind kind, int value = 0) const;

  // Names of `ids` joined by spaces, e.g. "GetToken x1 Word -1 EOS".
  std::string Describe(absl::Span<const int> ids) const;

  // A 64-bit digest of every token's kind, value and name.
  uint64_t fingerprint() const { return fingerprint_; }

 private:
  void Add(TokenKind kind, int value, std::string name);

  int max_columns_;
  std::vector<ProgramToken> tokens_;
  std::vector<int> first_id_;   // per TokenKind: id of its first token
  std::vector<int> min_value_;  // per TokenKind: value of that token
  std::vector<int> count_;      // per TokenKind: tokens of that kind
  std::vector<int> delimiter_id_;  // per byte: delimiter token id or -1
  uint64_t fingerprint_ = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
};

// TokenizeProgram()
//
// The token ids of `program`, ending in EOS (no BOS). Returns
// kInvalidArgument when the program fails dsl::Validate() or reads a column
// past vocab.max_columns().
absl::StatusOr<std::vector<int>> TokenizeProgram(const dsl::Program& program,
                                                 const ProgramVocab& vocab);

// DetokenizeProgram()
//
// The program written by `ids` (which must end in EOS, with nothing after).
// Returns kInvalidArgument naming the first token that does not fit the
// grammar, or saying that the sequence stops early. A program read back
// always passes dsl::Validate().
absl::StatusOr<dsl::Program> DetokenizeProgram(absl::Span<const int> ids,
                                               const ProgramVocab& vocab);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_TOKENS_H_
