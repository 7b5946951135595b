// dsl/parser.cc: Parse(), the text form of programs (docs/dsl.md).
//
// Two levels. Spirit X3 reads the tokens: white space, identifiers, integers,
// columns and string literals with their escapes. A small recursive-descent
// driver reads the grammar over them, taking every operator's argument list
// from GetOpInfo(), so each operator is defined once. The grammar needs one
// token of look-ahead and never backtracks, so the first failure is the
// furthest point reached, and the error names what the grammar allowed there.
// Recursion happens only through composed modifications, whose depth is
// checked before descending, so deep input cannot overflow the stack.
#include "dsl/parser.h"

#include <boost/spirit/home/x3.hpp>

#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dsl/number_format.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"

namespace flashsynth::dsl {
namespace {

namespace x3 = boost::spirit::x3;
using Iterator = const char*;

// ---------------------------------------------------------------- Tokens

namespace lex {

// Where string literals write their decoded text (via x3::with).
struct OutTag;

struct AppendChar {
  template <typename Context>
  void operator()(Context& ctx) const {
    x3::get<OutTag>(ctx) += x3::_attr(ctx);
  }
};

struct AppendEscape {
  template <typename Context>
  void operator()(Context& ctx) const {
    char c = x3::_attr(ctx);
    x3::get<OutTag>(ctx) += c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
  }
};

// \uXXXX: a BMP character; surrogates fail the (expected) rule.
struct AppendCodePoint {
  template <typename Context>
  void operator()(Context& ctx) const {
    unsigned code = x3::_attr(ctx);
    x3::_pass(ctx) = code < 0xD800 || code > 0xDFFF;
    if (x3::_pass(ctx)) AppendUtf8(static_cast<char32_t>(code), &x3::get<OutTag>(ctx));
  }
};

const auto kSpace = *x3::char_(" \t\r\n");
const auto kIdentChar = x3::char_("A-Za-z0-9_");
const auto kIdentifier = x3::raw[x3::char_("A-Za-z_") >> *kIdentChar];
const auto kInteger = x3::raw[-x3::char_('-') >> +x3::char_("0-9")];
const auto kDecimal =
    x3::raw[-x3::char_('-') >> +x3::char_("0-9") >> -(x3::char_('.') >> +x3::char_("0-9"))];
const auto kColumn = x3::lit('x') >> x3::raw[+x3::char_("0-9")] >> !kIdentChar;

const auto kHex4 = x3::uint_parser<unsigned, 16, 4, 4>();
const auto kCodePoint =
    x3::rule<class CodePointTag>{"four hex digits naming a character outside D800-DFFF"} =
        kHex4[AppendCodePoint()];
const auto kEscape =
    x3::rule<class EscapeTag>{"an escape: \\\" \\\\ \\n \\r \\t or \\uXXXX"} =
        x3::char_("\"\\\\nrt")[AppendEscape()] | (x3::lit('u') > kCodePoint);
// Raw text: anything but the quote, the backslash and control characters.
const auto kPlainChar = x3::char_ - x3::char_('"') - x3::char_('\\') - x3::char_('\0', '\x1f');
const auto kString =
    x3::lit('"') > *(kPlainChar[AppendChar()] | (x3::lit('\\') > kEscape)) > x3::lit('"');

}  // namespace lex

// Byte length of the UTF-8 sequence that `lead` starts (1 for a stray byte).
size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF7) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Offset of the first byte of `s` that does not start a valid character,
// or s.size() when `s` is valid UTF-8.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    size_t n = SequenceLength(static_cast<unsigned char>(s[pos]));
    if (!IsValidUtf8(s.substr(pos, n)) || pos + n > s.size()) return pos;
    pos += n;
  }
  return pos;
}

// `name`, cut to a length that fits an error message.
std::string Shorten(std::string name) {
  constexpr size_t kMaxShown = 40;
  if (name.size() > kMaxShown) name = name.substr(0, kMaxShown) + "...";
  return name;
}

// "A, B or C".
std::string OneOf(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// What the grammar expects in each slot, for "expected ..." messages. They are
// functions so that the text is built only when an error is reported.
using WhatFn = std::string (*)();

std::string PositionWhat() {
  return absl::StrCat("a position (an integer from -", kMaxPosition, " to ", kMaxPosition, ")");
}

std::string IndexWhat() {
  return absl::StrCat("an index (an integer from -", kMaxIndex, " to ", kMaxIndex, ", not 0)");
}

std::string MatchCountWhat() {
  return absl::StrCat("a match count (an integer from 1 to ", kMaxMatchCount, ")");
}

std::string ColumnWhat() { return absl::StrCat("a column x1 to x", kMaxColumns); }

std::string RegexWhat() {
  return "a regex: a token type such as Word or a one-character delimiter string such as \",\"";
}

std::string TypeWhat() {
  std::vector<std::string_view> names;
  for (int t = 0; t < kNumTokenTypes; ++t) names.push_back(TokenTypeName(TokenType(t)));
  return "a token type: " + OneOf(names);
}

std::string CaseWhat() {
  std::vector<std::string_view> names;
  for (int c = 0; c < kNumCases; ++c) names.push_back(CaseName(Case(c)));
  return "a case: " + OneOf(names);
}

std::string BoundaryWhat() {
  return "a boundary: " + OneOf({BoundaryName(Boundary::kStart), BoundaryName(Boundary::kEnd)});
}

std::string DelimiterWhat() {
  std::string out = "a delimiter: one of";
  for (char d : kDelimiters) {
    if (d != ' ') out += std::string(" ") + d;
  }
  return out + " or space";
}

template <typename Enum>
std::string NamesWhat(std::string_view noun, int count, std::string_view (*name)(Enum)) {
  std::vector<std::string_view> names;
  for (int i = 0; i < count; ++i) names.push_back(name(static_cast<Enum>(i)));
  return absl::StrCat(ToAbsl(noun), ": ", OneOf(names));
}
std::string MarkWhat() {
  return NamesWhat<DecimalMark>("a decimal mark", kNumDecimalMarks, DecimalMarkName);
}
std::string RoundingWhat() {
  return NamesWhat<RoundingMode>("a rounding", kNumRoundingModes, RoundingName);
}
std::string BinEdgeWhat() { return NamesWhat<BinEdge>("a bin edge", kNumBinEdges, BinEdgeName); }
std::string MarksWhat() {
  return NamesWhat<NumberMarks>("number marks", kNumNumberMarks, NumberMarksName);
}
std::string SignWhat() { return NamesWhat<SignStyle>("a sign style", kNumSignStyles, SignName); }
std::string ScaleWhat() {
  return absl::StrCat("a power of ten (an integer from -", kMaxScale, " to ", kMaxScale,
                      ", not 0)");
}
std::string DecimalWhat() { return "a decimal number such as 0.05, 10 or -2.5"; }

const char kOperatorWhat[] = "an operator name such as SubStr or ToCase";
const char kNumberSourceWhat[] = "a number expression: ReadNumber, Scale, Round or Bin";
const char kSourceWhat[] = "a column such as x2 or a substring or modification operator";

// ---------------------------------------------------------------- Grammar

class Parser {
 public:
  explicit Parser(std::string_view text)
      : text_(text), it_(text.data()), end_(text.data() + text.size()) {}

  absl::StatusOr<Program> ParseProgram();

 private:
  // Token level. Each reader skips white space first; on failure it returns
  // an error at the token's start naming what was expected there.
  Iterator Here();
  bool TryChar(char c);
  absl::Status ExpectChar(char c, std::string_view what = {});
  std::optional<std::string> TryIdentifier();
  absl::Status ExpectKeyword(std::string_view keyword);
  std::optional<int> TryColumn(Iterator* start);
  absl::StatusOr<int> Column();
  absl::StatusOr<int> Integer(int lo, int hi, bool allow_zero, WhatFn what);
  absl::StatusOr<std::string> String();
  absl::StatusOr<char> Delimiter();
  absl::StatusOr<Decimal> DecimalNumber();
  template <typename Enum, typename NameFn>
  absl::StatusOr<Enum> Named(int count, NameFn name, WhatFn what);
  // "line L, column C: <message>" for the position `where`.
  absl::Status Error(Iterator where, std::string_view message) const;
  absl::Status Expected(Iterator where, std::string_view what) const;

  // Grammar level, after the leading keyword and '(' where one is named.
  absl::StatusOr<std::vector<Branch>> SwitchBody();
  absl::StatusOr<std::vector<Expr>> ConcatBody();
  absl::StatusOr<Branch> SwitchCase();
  absl::StatusOr<std::vector<MatchLiteral>> Condition();
  absl::StatusOr<MatchLiteral> Literal();
  absl::StatusOr<MatchLiteral> Match();
  absl::StatusOr<Regex> RegexArg();
  absl::StatusOr<Arg> OneArg(ArgKind kind);
  absl::StatusOr<std::vector<Arg>> Args(const OpInfo& info, bool leading_comma);
  absl::StatusOr<Expr> ParseExpr(int depth);
  absl::StatusOr<Expr> SubstringRest(const OpInfo& info);
  absl::StatusOr<Expr> ModificationRest(const OpInfo& info, int depth);
  absl::StatusOr<Expr> Source(const OpInfo& info, std::vector<Arg> args, int depth);

  std::string_view text_;
  Iterator it_;
  Iterator end_;
};

Iterator Parser::Here() {
  x3::parse(it_, end_, lex::kSpace);
  return it_;
}

bool Parser::TryChar(char c) {
  if (Here() == end_ || *it_ != c) return false;
  ++it_;
  return true;
}

absl::Status Parser::ExpectChar(char c, std::string_view what) {
  if (TryChar(c)) return absl::OkStatus();
  return Expected(it_, what.empty() ? std::string("'") + c + "'" : std::string(what));
}

std::optional<std::string> Parser::TryIdentifier() {
  std::string id;
  Here();
  if (!x3::parse(it_, end_, lex::kIdentifier, id)) return std::nullopt;
  return id;
}

absl::Status Parser::ExpectKeyword(std::string_view keyword) {
  Iterator start = Here();
  std::optional<std::string> id = TryIdentifier();
  if (id && *id == keyword) return absl::OkStatus();
  return Expected(start, keyword);
}

// A column token `x<digits>`, 0-based; out-of-range values come back as -1.
std::optional<int> Parser::TryColumn(Iterator* start) {
  *start = Here();
  std::string digits;
  if (!x3::parse(it_, end_, lex::kColumn, digits)) return std::nullopt;
  int value = 0;
  for (char d : digits) {
    value = value * 10 + (d - '0');
    if (value > kMaxColumns) return -1;
  }
  return value - 1;
}

absl::StatusOr<int> Parser::Column() {
  Iterator start;
  std::optional<int> column = TryColumn(&start);
  if (column && *column >= 0) return *column;
  return Expected(start, ColumnWhat());
}

absl::StatusOr<int> Parser::Integer(int lo, int hi, bool allow_zero, WhatFn what) {
  Iterator start = Here();
  std::string token;
  if (x3::parse(it_, end_, lex::kInteger, token)) {
    bool negative = token[0] == '-';
    long value = 0;
    for (size_t i = negative ? 1 : 0; i < token.size() && value <= hi - lo; ++i) {
      value = value * 10 + (token[i] - '0');
    }
    if (negative) value = -value;
    if (lo <= value && value <= hi && (allow_zero || value != 0)) return static_cast<int>(value);
  }
  return Expected(start, what());
}

absl::StatusOr<std::string> Parser::String() {
  Iterator start = Here();
  std::string out;
  try {
    if (!x3::parse(it_, end_, x3::with<lex::OutTag>(out)[lex::kString])) {
      return Expected(start, "a string literal");
    }
  } catch (const x3::expectation_failure<Iterator>& e) {
    return Expected(e.where(), e.which());
  }
  std::string_view raw(start + 1, it_ - start - 2);
  size_t bad = FirstInvalidUtf8(raw);
  if (bad != raw.size()) return Expected(start + 1 + bad, "UTF-8 text in a string");
  return out;
}

absl::StatusOr<char> Parser::Delimiter() {
  Iterator start = Here();
  if (start != end_ && *start == '"') {
    FS_ASSIGN_OR_RETURN(std::string s, String());
    if (s.size() == 1 && IsDelimiter(s[0])) return s[0];
  }
  return Expected(start, DelimiterWhat());
}

absl::StatusOr<Decimal> Parser::DecimalNumber() {
  Iterator start = Here();
  std::string token;
  if (x3::parse(it_, end_, lex::kDecimal, token)) {
    if (std::optional<Decimal> d = ParseDecimalConstant(token)) return *d;
  }
  return Expected(start, DecimalWhat());
}

template <typename Enum, typename NameFn>
absl::StatusOr<Enum> Parser::Named(int count, NameFn name, WhatFn what) {
  Iterator start = Here();
  std::optional<std::string> id = TryIdentifier();
  for (int i = 0; id && i < count; ++i) {
    if (name(static_cast<Enum>(i)) == *id) return static_cast<Enum>(i);
  }
  return Expected(start, what());
}

absl::Status Parser::Error(Iterator where, std::string_view message) const {
  int line = 1;
  int column = 1;
  for (Iterator p = text_.data(); p < where; ++p) {
    if (*p == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(*p) & 0xC0) != 0x80) {
      ++column;  // count characters: skip UTF-8 continuation bytes
    }
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("line %d, column %d: %s", line, column, ToAbsl(message)));
}

absl::Status Parser::Expected(Iterator where, std::string_view what) const {
  return Error(where, "expected " + std::string(what));
}

absl::StatusOr<Program> Parser::ParseProgram() {
  Iterator start = Here();
  std::optional<std::string> id = TryIdentifier();
  std::optional<Program> program;
  if (id && *id == "Concat") {
    FS_ASSIGN_OR_RETURN(std::vector<Expr> body, ConcatBody());
    program = Program::Concat(std::move(body));
  } else if (id && *id == "Switch") {
    FS_ASSIGN_OR_RETURN(std::vector<Branch> cases, SwitchBody());
    program = Program::Switch(std::move(cases));
  } else {
    return Expected(start, "Concat or Switch");
  }
  if (Here() != end_) return Expected(it_, "end of input");
  if (absl::Status valid = Validate(*program); !valid.ok()) {
    return Error(start, std::string(valid.message()));
  }
  return *std::move(program);
}

// "(" case { "," case } ")", after "Switch".
absl::StatusOr<std::vector<Branch>> Parser::SwitchBody() {
  FS_RETURN_IF_ERROR(ExpectChar('('));
  std::vector<Branch> cases;
  do {
    FS_ASSIGN_OR_RETURN(Branch branch, SwitchCase());
    cases.push_back(std::move(branch));
  } while (TryChar(','));
  FS_RETURN_IF_ERROR(ExpectChar(')', "',' or ')'"));
  return cases;
}

// "(" expr { "," expr } ")", after "Concat".
absl::StatusOr<std::vector<Expr>> Parser::ConcatBody() {
  FS_RETURN_IF_ERROR(ExpectChar('('));
  std::vector<Expr> body;
  do {
    Iterator start = Here();
    FS_ASSIGN_OR_RETURN(Expr e, ParseExpr(/*depth=*/0));
    if (e.result() != ValueType::kText) {
      return Error(start, absl::StrCat(ToAbsl(GetOpInfo(e.op()).name),
                                       " gives a number; write it as text with Format(...)"));
    }
    body.push_back(std::move(e));
  } while (TryChar(','));
  FS_RETURN_IF_ERROR(ExpectChar(')', "',' or ')'"));
  return body;
}

// "(" condition "," "Concat" "(" ... ")" ")".
absl::StatusOr<Branch> Parser::SwitchCase() {
  FS_RETURN_IF_ERROR(ExpectChar('(', "'(' starting a case (condition, Concat(...))"));
  Branch branch;
  FS_ASSIGN_OR_RETURN(branch.condition, Condition());
  FS_RETURN_IF_ERROR(ExpectChar(','));
  FS_RETURN_IF_ERROR(ExpectKeyword("Concat"));
  FS_ASSIGN_OR_RETURN(branch.body, ConcatBody());
  FS_RETURN_IF_ERROR(ExpectChar(')'));
  return branch;
}

absl::StatusOr<std::vector<MatchLiteral>> Parser::Condition() {
  Iterator start = Here();
  std::optional<std::string> id = TryIdentifier();
  std::vector<MatchLiteral> literals;
  if (id && *id == "True") return literals;
  if (id && *id == "And") {
    FS_RETURN_IF_ERROR(ExpectChar('('));
    do {
      FS_ASSIGN_OR_RETURN(MatchLiteral m, Literal());
      literals.push_back(m);
    } while (TryChar(','));
    FS_RETURN_IF_ERROR(ExpectChar(')', "',' or ')'"));
    return literals;
  }
  it_ = start;  // Match or Not: read again as a literal
  if (id && (*id == "Match" || *id == "Not")) {
    FS_ASSIGN_OR_RETURN(MatchLiteral m, Literal());
    literals.push_back(m);
    return literals;
  }
  return Expected(start, "a condition: True, Match, Not or And");
}

absl::StatusOr<MatchLiteral> Parser::Literal() {
  Iterator start = Here();
  std::optional<std::string> id = TryIdentifier();
  if (id && *id == "Match") return Match();
  if (!id || *id != "Not") return Expected(start, "Match or Not");
  FS_RETURN_IF_ERROR(ExpectChar('('));
  FS_RETURN_IF_ERROR(ExpectKeyword("Match"));
  FS_ASSIGN_OR_RETURN(MatchLiteral m, Match());
  FS_RETURN_IF_ERROR(ExpectChar(')'));
  m.negated = true;
  return m;
}

// "(" column "," regex "," int ")", after "Match".
absl::StatusOr<MatchLiteral> Parser::Match() {
  MatchLiteral m;
  FS_RETURN_IF_ERROR(ExpectChar('('));
  FS_ASSIGN_OR_RETURN(m.column, Column());
  FS_RETURN_IF_ERROR(ExpectChar(','));
  FS_ASSIGN_OR_RETURN(m.regex, RegexArg());
  FS_RETURN_IF_ERROR(ExpectChar(','));
  FS_ASSIGN_OR_RETURN(m.count,
                      Integer(1, kMaxMatchCount, /*allow_zero=*/false, MatchCountWhat));
  FS_RETURN_IF_ERROR(ExpectChar(')'));
  return m;
}

// A token type name or a one-character delimiter string.
absl::StatusOr<Regex> Parser::RegexArg() {
  if (Here() != end_ && *it_ == '"') {
    FS_ASSIGN_OR_RETURN(char d, Delimiter());
    return Regex::Delimiter(d);
  }
  FS_ASSIGN_OR_RETURN(TokenType t, Named<TokenType>(kNumTokenTypes, TokenTypeName, RegexWhat));
  return Regex::Of(t);
}

absl::StatusOr<Arg> Parser::OneArg(ArgKind kind) {
  switch (kind) {
    case ArgKind::kPosition: {
      FS_ASSIGN_OR_RETURN(
          int k, Integer(-kMaxPosition, kMaxPosition, /*allow_zero=*/true, PositionWhat));
      return Arg::Position(k);
    }
    case ArgKind::kIndex: {
      FS_ASSIGN_OR_RETURN(int i,
                          Integer(-kMaxIndex, kMaxIndex, /*allow_zero=*/false, IndexWhat));
      return Arg::Index(i);
    }
    case ArgKind::kType: {
      FS_ASSIGN_OR_RETURN(TokenType t, Named<TokenType>(kNumTokenTypes, TokenTypeName, TypeWhat));
      return Arg::OfType(t);
    }
    case ArgKind::kRegex: {
      FS_ASSIGN_OR_RETURN(Regex r, RegexArg());
      return Arg::OfRegex(r);
    }
    case ArgKind::kCase: {
      FS_ASSIGN_OR_RETURN(Case c, Named<Case>(kNumCases, CaseName, CaseWhat));
      return Arg::OfCase(c);
    }
    case ArgKind::kBoundary: {
      FS_ASSIGN_OR_RETURN(Boundary b, Named<Boundary>(2, BoundaryName, BoundaryWhat));
      return Arg::OfBoundary(b);
    }
    case ArgKind::kDelimiter: {
      FS_ASSIGN_OR_RETURN(char d, Delimiter());
      return Arg::Delimiter(d);
    }
    case ArgKind::kString: {
      FS_ASSIGN_OR_RETURN(std::string s, String());
      return Arg::String(std::move(s));
    }
    case ArgKind::kMark: {
      FS_ASSIGN_OR_RETURN(DecimalMark m,
                          Named<DecimalMark>(kNumDecimalMarks, DecimalMarkName, MarkWhat));
      return Arg::OfMark(m);
    }
    case ArgKind::kScale: {
      FS_ASSIGN_OR_RETURN(int k, Integer(-kMaxScale, kMaxScale, /*allow_zero=*/false, ScaleWhat));
      return Arg::Scale(k);
    }
    case ArgKind::kRounding: {
      FS_ASSIGN_OR_RETURN(RoundingMode m,
                          Named<RoundingMode>(kNumRoundingModes, RoundingName, RoundingWhat));
      return Arg::OfRounding(m);
    }
    case ArgKind::kDecimal: {
      FS_ASSIGN_OR_RETURN(Decimal d, DecimalNumber());
      return Arg::OfDecimal(d);
    }
    case ArgKind::kBinEdge: {
      FS_ASSIGN_OR_RETURN(BinEdge e, Named<BinEdge>(kNumBinEdges, BinEdgeName, BinEdgeWhat));
      return Arg::OfBinEdge(e);
    }
    case ArgKind::kFormat: {
      Iterator start = Here();
      FS_ASSIGN_OR_RETURN(std::string code, String());
      absl::StatusOr<NumberFormat> f = ParseNumberFormat(code);
      if (!f.ok()) {
        return Error(start, absl::StrCat("format code: ", f.status().message()));
      }
      return Arg::FormatCode(std::move(code));
    }
    case ArgKind::kMarks: {
      FS_ASSIGN_OR_RETURN(NumberMarks m,
                          Named<NumberMarks>(kNumNumberMarks, NumberMarksName, MarksWhat));
      return Arg::OfMarks(m);
    }
    case ArgKind::kSign: {
      FS_ASSIGN_OR_RETURN(SignStyle st, Named<SignStyle>(kNumSignStyles, SignName, SignWhat));
      return Arg::OfSign(st);
    }
  }
  return absl::InternalError("parser: unknown argument kind");
}

// The operator's arguments, comma-separated; `leading_comma` when something
// (a column) came before the first.
absl::StatusOr<std::vector<Arg>> Parser::Args(const OpInfo& info, bool leading_comma) {
  std::vector<Arg> args;
  for (size_t i = 0; i < info.args.size(); ++i) {
    if (i > 0 || leading_comma) FS_RETURN_IF_ERROR(ExpectChar(','));
    FS_ASSIGN_OR_RETURN(Arg a, OneArg(info.args[i]));
    args.push_back(std::move(a));
  }
  return args;
}

// An operator application; `depth` counts the modifications around it.
absl::StatusOr<Expr> Parser::ParseExpr(int depth) {
  Iterator start = Here();
  std::optional<std::string> name = TryIdentifier();
  if (!name) return Expected(start, kOperatorWhat);
  std::optional<Op> op = OpByName(*name);
  if (!op) return Error(start, "unknown operator '" + Shorten(*name) + "'");
  const OpInfo& info = GetOpInfo(*op);
  FS_RETURN_IF_ERROR(ExpectChar('('));
  switch (info.kind) {
    case OpKind::kConst: {
      FS_ASSIGN_OR_RETURN(std::string text, String());
      FS_RETURN_IF_ERROR(ExpectChar(')'));
      return Expr::ConstStr(std::move(text));
    }
    case OpKind::kSubstring:
      return SubstringRest(info);
    case OpKind::kModification:
      return ModificationRest(info, depth);
  }
  return absl::InternalError("parser: unknown operator kind");
}

// [ column "," ] args ")".
absl::StatusOr<Expr> Parser::SubstringRest(const OpInfo& info) {
  Iterator start;
  std::optional<int> column = TryColumn(&start);
  if (column && *column < 0) return Expected(start, ColumnWhat());
  FS_ASSIGN_OR_RETURN(std::vector<Arg> args, Args(info, /*leading_comma=*/column.has_value()));
  FS_RETURN_IF_ERROR(ExpectChar(')'));
  return Expr::Substring(info.op, std::move(args), column.value_or(0));
}

// args [ "," source ] ")"; with no args, [ source ] ")". A number operator
// needs its source.
absl::StatusOr<Expr> Parser::ModificationRest(const OpInfo& info, int depth) {
  FS_ASSIGN_OR_RETURN(std::vector<Arg> args, Args(info, /*leading_comma=*/false));
  if (info.source != ValueType::kText) {
    FS_RETURN_IF_ERROR(ExpectChar(',', absl::StrCat("',' and ", kNumberSourceWhat)));
  } else if (TryChar(')')) {
    return Expr::Modification(info.op, std::move(args), /*column=*/0);
  }
  if (!info.args.empty() && info.source == ValueType::kText) {
    FS_RETURN_IF_ERROR(ExpectChar(',', "',' or ')'"));
  }
  FS_ASSIGN_OR_RETURN(Expr e, Source(info, std::move(args), depth));
  FS_RETURN_IF_ERROR(ExpectChar(')'));
  return e;
}

// A column or an inner substring op or modification.
absl::StatusOr<Expr> Parser::Source(const OpInfo& info, std::vector<Arg> args, int depth) {
  Iterator start;
  if (std::optional<int> column = TryColumn(&start)) {
    if (*column < 0) return Expected(start, ColumnWhat());
    if (info.source != ValueType::kText) return Expected(start, kNumberSourceWhat);
    return Expr::Modification(info.op, std::move(args), *column);
  }
  std::optional<std::string> name = TryIdentifier();
  it_ = start;  // ParseExpr() reads the name again
  if (!name) return Expected(start, kSourceWhat);
  if (depth + 1 > kMaxNesting) {
    return Expected(start,
                    absl::StrCat("a column: modifications nest at most ", kMaxNesting, " deep"));
  }
  FS_ASSIGN_OR_RETURN(Expr inner, ParseExpr(depth + 1));
  if (inner.kind() == OpKind::kConst) {
    return Expected(start, std::string(kSourceWhat) + ", not ConstStr");
  }
  if (inner.result() != info.source) {
    return Error(start, absl::StrCat(ToAbsl(info.name), " reads ",
                                     info.source == ValueType::kText ? "text" : "a number",
                                     ", but ", ToAbsl(GetOpInfo(inner.op()).name), " gives ",
                                     inner.result() == ValueType::kText ? "text" : "a number"));
  }
  return Expr::Modification(info.op, std::move(args), std::move(inner));
}

}  // namespace

absl::StatusOr<Program> Parse(std::string_view text) {
  try {
    return Parser(text).ParseProgram();
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("parser: ", e.what()));
  } catch (...) {
    return absl::InternalError("parser: unknown exception");
  }
}

}  // namespace flashsynth::dsl
