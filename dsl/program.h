// dsl/program.h: the string DSL's abstract syntax (../shared/DSL.md).
//
// A Program is an immutable value: copies share their subtrees, and two
// programs compare equal exactly when they print the same. Every operator is
// described once, in the table behind `GetOpInfo()`; the printer, the parser,
// the JSON form and the sampler all read their argument lists from there.
//
//   Program  := Concat(e1, ..., en) | Switch((b1, Concat...), ..., (bn, Concat...))
//   Expr     := ConstStr(s) | a substring op reading a column
//             | a modification applied to a column or to an inner Expr
//             | Format(number)          (text)
//   number   := ReadNumber(text source) | Scale(number) | Round(number)
//             | Bin(number)             (the value layer: exact decimals)
//
// Example:
//   Program p = Program::Concat({
//       Expr::Modification(Op::kToCase, {Arg::OfCase(Case::kProper)},
//                          Expr::Substring(Op::kGetToken,
//                              {Arg::OfType(TokenType::kWord), Arg::Index(-1)})),
//       Expr::ConstStr(", ")});
//   // p.ToString() ==
//   //   R"(Concat(ToCase(Proper, GetToken(Word, -1)), ConstStr(", ")))"
#ifndef FLASHSYNTH_DSL_PROGRAM_H_
#define FLASHSYNTH_DSL_PROGRAM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "dsl/decimal.h"

namespace flashsynth::dsl {

// Bounds of the language (DSL.md section 1). Arguments outside them are
// rejected by `Validate()`; the interpreter stays total on any value anyway.
inline constexpr int kMaxPosition = 100;   // SubStr positions: -100..100
inline constexpr int kMaxIndex = 5;        // match indices: -5..-1, 1..5
inline constexpr int kMaxMatchCount = 100; // Match(x, r, k): 1..100
inline constexpr int kMaxColumns = 1000;   // columns x1..x1000
inline constexpr int kMaxNesting = 16;     // modifications inside modifications

// The eight token classes of RobustFill (DSL.md section 1).
enum class TokenType : uint8_t {
  kNumber, kWord, kAlphanum, kAllCaps, kPropCase, kLower, kDigit, kChar,
};
inline constexpr int kNumTokenTypes = 8;

// ToCase's argument. kTitle is the spreadsheet PROPER() extension.
enum class Case : uint8_t { kProper, kAllCaps, kLower, kTitle };
inline constexpr int kNumCases = 4;

enum class Boundary : uint8_t { kStart, kEnd };

// The 21 RobustFill delimiters, in ExeDec's token order, space last.
inline constexpr std::string_view kDelimiters = "&,.?!@()[]%{}/:;$#\"' ";
bool IsDelimiter(char c);

// A regex argument: a token class or one delimiter matched literally.
class Regex {
 public:
  static Regex Of(TokenType t) { return Regex(static_cast<int>(t)); }
  // `c` must satisfy IsDelimiter(c).
  static Regex Delimiter(char c) { return Regex(static_cast<unsigned char>(c)); }

  bool is_type() const { return code_ < kNumTokenTypes; }
  TokenType type() const { return static_cast<TokenType>(code_); }  // is_type()
  char delimiter() const { return static_cast<char>(code_); }        // !is_type()
  // A small integer naming the regex: type ordinal or delimiter byte.
  int code() const { return code_; }
  static Regex FromCode(int code) { return Regex(code); }

  friend bool operator==(Regex a, Regex b) { return a.code_ == b.code_; }
  friend bool operator!=(Regex a, Regex b) { return a.code_ != b.code_; }

 private:
  explicit Regex(int code) : code_(code) {}
  int code_;
};

// Operators. Substring ops read one input column; modifications transform a
// column or the output of an inner expression (RobustFill's Compose). The
// number operators are modifications too, over typed values: ReadNumber
// reads a number from text, Scale, Round and Bin transform it, Format
// writes it as text (docs/dsl.md, "Numbers").
enum class Op : uint8_t {
  kConstStr,
  kSubStr, kGetSpan, kGetToken, kGetUpto, kGetFrom,
  kToCase, kReplace, kTrim, kGetFirst, kGetAll,
  kSubstitute, kSubstituteAll, kRemove, kRemoveAll,
  kReadNumber, kScale, kRound, kBin, kFormat,
};
inline constexpr int kNumOps = 20;

enum class OpKind : uint8_t { kConst, kSubstring, kModification };

// What an expression gives, and what a modification takes from its source.
// A column is text; a Concat joins text.
enum class ValueType : uint8_t { kText, kNumber };

// Bounds of the number operators' arguments.
inline constexpr int kMaxScale = 12;  // Scale(k): 10^k, k in -12..12, not 0
// Which end of its bin Bin() gives: [Low, High) is the bin; HighInclusive
// is High minus one unit of the bin's width and offset (1 for whole
// numbers, 0.1 for a width of 0.5), the last value written in "140-149".
enum class BinEdge : uint8_t { kLow, kHigh, kHighInclusive };
inline constexpr int kNumBinEdges = 3;
// The marks Format() writes: group mark and decimal mark.
enum class NumberMarks : uint8_t {
  kDot,         // 1,234.5
  kComma,       // 1.234,5
  kSpaceDot,    // 1 234.5
  kSpaceComma,  // 1 234,5
  kApostrophe,  // 1'234.5
};
inline constexpr int kNumNumberMarks = 5;
inline constexpr int kNumRoundingModes = 6;  // dsl::RoundingMode
inline constexpr int kNumSignStyles = 3;     // dsl::SignStyle
inline constexpr int kNumDecimalMarks = 3;   // dsl::DecimalMark

// What one argument slot holds.
enum class ArgKind : uint8_t {
  kPosition,   // int, -kMaxPosition..kMaxPosition
  kIndex,      // int, +-1..+-kMaxIndex (GetFirst: a count, same range)
  kType,       // TokenType
  kRegex,      // Regex
  kCase,       // Case
  kBoundary,   // Boundary
  kDelimiter,  // one delimiter character
  kString,     // UTF-8 text (ConstStr, the replacement of Substitute)
  kMark,       // DecimalMark: how ReadNumber reads ("Dot", "Comma", "Guess")
  kScale,      // int, -kMaxScale..kMaxScale, not 0
  kRounding,   // RoundingMode
  kDecimal,    // an exact decimal constant (a step, a width, an offset)
  kBinEdge,    // BinEdge
  kFormat,     // a number format code, "#,##0.00" (dsl/number_format.h)
  kMarks,      // NumberMarks
  kSign,       // SignStyle
};

struct OpInfo {
  Op op;
  std::string_view name;  // as printed: "GetToken"
  OpKind kind;
  std::vector<ArgKind> args;
  ValueType source = ValueType::kText;  // what a modification reads
  ValueType result = ValueType::kText;  // what the expression gives
};
// Whether `op` is one of the kNumOps operators.
bool IsValidOp(Op op);
const OpInfo& GetOpInfo(Op op);
// The operator printed as `name`, if any.
std::optional<Op> OpByName(std::string_view name);

std::string_view TokenTypeName(TokenType t);  // "Number"
std::string_view CaseName(Case c);            // "Proper"
std::string_view BoundaryName(Boundary b);    // "Start"
std::string_view DecimalMarkName(DecimalMark m);  // "Dot", "Comma", "Guess"
std::string_view RoundingName(RoundingMode m);    // "Nearest", "Floor", ...
std::string_view BinEdgeName(BinEdge e);          // "Low", "High", "HighInclusive"
std::string_view NumberMarksName(NumberMarks m);  // "Dot", "Comma", ...
std::string_view SignName(SignStyle s);           // "Minus", "Plus", "Parens"

// A decimal constant as the text form writes it: an optional '-', digits,
// optionally '.' and digits ("0.05", "-2.5", "10"), at most
// kMaxDecimalConstant characters; nullopt for anything else.
inline constexpr size_t kMaxDecimalConstant = 60;
std::optional<Decimal> ParseDecimalConstant(std::string_view text);

// The NumberFormat that Format(code, marks, sign) writes with, or the
// reason the code is refused (ParseNumberFormat's message).
absl::StatusOr<NumberFormat> MakeNumberFormat(std::string_view code, NumberMarks marks,
                                              SignStyle sign);

// One argument value; its kind is fixed by the operator's slot.
class Arg {
 public:
  static Arg Position(int k) { return Arg(ArgKind::kPosition, k); }
  static Arg Index(int i) { return Arg(ArgKind::kIndex, i); }
  static Arg OfType(TokenType t) { return Arg(ArgKind::kType, static_cast<int>(t)); }
  static Arg OfRegex(Regex r) { return Arg(ArgKind::kRegex, r.code()); }
  static Arg OfCase(Case c) { return Arg(ArgKind::kCase, static_cast<int>(c)); }
  static Arg OfBoundary(Boundary b) { return Arg(ArgKind::kBoundary, static_cast<int>(b)); }
  static Arg Delimiter(char d) { return Arg(ArgKind::kDelimiter, static_cast<unsigned char>(d)); }
  static Arg String(std::string s) { return Arg(std::move(s)); }
  static Arg OfMark(DecimalMark m) { return Arg(ArgKind::kMark, static_cast<int>(m)); }
  static Arg Scale(int k) { return Arg(ArgKind::kScale, k); }
  static Arg OfRounding(RoundingMode m) { return Arg(ArgKind::kRounding, static_cast<int>(m)); }
  // Kept in its shortest exact form: 0.050 and 0.05 are the same argument.
  static Arg OfDecimal(const Decimal& d);
  static Arg OfBinEdge(BinEdge e) { return Arg(ArgKind::kBinEdge, static_cast<int>(e)); }
  static Arg FormatCode(std::string code) { return Arg(ArgKind::kFormat, std::move(code)); }
  static Arg OfMarks(NumberMarks m) { return Arg(ArgKind::kMarks, static_cast<int>(m)); }
  static Arg OfSign(SignStyle s) { return Arg(ArgKind::kSign, static_cast<int>(s)); }

  ArgKind kind() const { return kind_; }
  int number() const { return value_; }  // kPosition, kIndex
  TokenType type() const { return static_cast<TokenType>(value_); }
  Regex regex() const { return Regex::FromCode(value_); }
  Case case_value() const { return static_cast<Case>(value_); }
  Boundary boundary() const { return static_cast<Boundary>(value_); }
  char delimiter() const { return static_cast<char>(value_); }
  const std::string& text() const { return text_; }  // kString, kDecimal, kFormat
  DecimalMark mark() const { return static_cast<DecimalMark>(value_); }
  RoundingMode rounding() const { return static_cast<RoundingMode>(value_); }
  BinEdge bin_edge() const { return static_cast<BinEdge>(value_); }
  NumberMarks marks() const { return static_cast<NumberMarks>(value_); }
  SignStyle sign() const { return static_cast<SignStyle>(value_); }
  // kDecimal: the value, or nullopt for text that is not a decimal (only in
  // hand-built, invalid programs).
  std::optional<Decimal> decimal() const;
  // Whether the argument carries text rather than an integer.
  bool has_text() const {
    return kind_ == ArgKind::kString || kind_ == ArgKind::kDecimal || kind_ == ArgKind::kFormat;
  }

  // For generic code (hashing, tokens): the integer behind a non-string arg.
  int raw_value() const { return value_; }

  friend bool operator==(const Arg& a, const Arg& b) {
    return a.kind_ == b.kind_ && a.value_ == b.value_ && a.text_ == b.text_;
  }
  friend bool operator!=(const Arg& a, const Arg& b) { return !(a == b); }

 private:
  Arg(ArgKind kind, int value) : kind_(kind), value_(value) {}
  explicit Arg(std::string s) : kind_(ArgKind::kString), value_(0), text_(std::move(s)) {}
  Arg(ArgKind kind, std::string s) : kind_(kind), value_(0), text_(std::move(s)) {}
  ArgKind kind_;
  int value_;
  std::string text_;
};

// One expression of a Concat. Cheap to copy (shares its node).
class Expr {
 public:
  // ConstStr(text).
  static Expr ConstStr(std::string text);
  // A substring op reading column `column` (0-based: x1 is 0).
  static Expr Substring(Op op, std::vector<Arg> args, int column = 0);
  // A modification of column `column`.
  static Expr Modification(Op op, std::vector<Arg> args, int column = 0);
  // A modification of `inner`'s output (Compose(op, inner)).
  static Expr Modification(Op op, std::vector<Arg> args, Expr inner);

  Op op() const;
  OpKind kind() const { return GetOpInfo(op()).kind; }
  // What the expression gives: text, or a number (only inside a Format).
  ValueType result() const { return GetOpInfo(op()).result; }
  const std::vector<Arg>& args() const;
  const Arg& arg(size_t i) const { return args()[i]; }
  // The column read: by a substring op, or by a modification without inner.
  int column() const;
  // The inner expression of a composed modification, else null.
  const Expr* inner() const;
  // Nodes in this expression (arguments not counted).
  int size() const;

  std::string ToString() const;
  size_t Hash() const;
  friend bool operator==(const Expr& a, const Expr& b);
  friend bool operator!=(const Expr& a, const Expr& b) { return !(a == b); }

 private:
  struct Node;
  explicit Expr(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
  std::shared_ptr<const Node> node_;
};

// Match(x_column, regex, count): the column has at least `count` matches;
// `negated` turns it into its negation.
struct MatchLiteral {
  int column = 0;  // 0-based
  Regex regex = Regex::Of(TokenType::kNumber);
  int count = 1;
  bool negated = false;
  friend bool operator==(const MatchLiteral& a, const MatchLiteral& b) {
    return a.column == b.column && a.regex == b.regex && a.count == b.count &&
           a.negated == b.negated;
  }
};

// A Switch case: when every literal holds (an empty list is `True`), the
// program's output is the concatenation of `body`.
struct Branch {
  std::vector<MatchLiteral> condition;
  std::vector<Expr> body;
  friend bool operator==(const Branch& a, const Branch& b) {
    return a.condition == b.condition && a.body == b.body;
  }
};

// A whole program. Cheap to copy; thread-safe to share.
class Program {
 public:
  // Concat(exprs...). `exprs` may not be empty (Validate() says so).
  static Program Concat(std::vector<Expr> exprs);
  // Switch(cases...): the first case whose condition holds gives the output.
  static Program Switch(std::vector<Branch> cases);

  bool is_switch() const;
  // A Concat program is one branch with an empty condition.
  const std::vector<Branch>& branches() const;
  // The expressions of a Concat program (the first branch's body).
  const std::vector<Expr>& exprs() const { return branches().front().body; }

  // Number of columns the program reads: 1 + the largest column index used.
  int NumColumnsUsed() const;
  // AST nodes: Concat/Switch, each expression node, each literal.
  int size() const;

  // The canonical text form; Parse(ToString()) == *this.
  std::string ToString() const;
  size_t Hash() const;
  friend bool operator==(const Program& a, const Program& b);
  friend bool operator!=(const Program& a, const Program& b) { return !(a == b); }

  template <typename H>
  friend H AbslHashValue(H h, const Program& p) {
    return H::combine(std::move(h), p.Hash());
  }

 private:
  struct Rep;
  explicit Program(std::shared_ptr<const Rep> rep) : rep_(std::move(rep)) {}
  std::shared_ptr<const Rep> rep_;
};

// Whether `program` has number operators: in a valid program they stand
// below a Format, the only one that gives text.
bool ReadsNumbers(const Program& program);

// Returns OK when every operator has the right arguments within the bounds
// above, strings are valid UTF-8, compositions are modification(substring or
// modification) no deeper than kMaxNesting, every source gives the type its
// operator reads (a number operator reads a number expression, ReadNumber
// text), every Concat part is text, and no Concat is empty; else
// kInvalidArgument naming the first fault.
absl::Status Validate(const Program& program);
absl::Status ValidateExpr(const Expr& expr);

// Writes `s` as a double-quoted DSL string literal: `"` and `\` escaped,
// \n \r \t, other control characters as \u00XX; other text raw.
std::string QuoteString(std::string_view s);

}  // namespace flashsynth::dsl

namespace std {
template <>
struct hash<flashsynth::dsl::Program> {
  size_t operator()(const flashsynth::dsl::Program& p) const { return p.Hash(); }
};
template <>
struct hash<flashsynth::dsl::Expr> {
  size_t operator()(const flashsynth::dsl::Expr& e) const { return e.Hash(); }
};
}  // namespace std

#endif  // FLASHSYNTH_DSL_PROGRAM_H_
