#include "dsl/program.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dsl/number_format.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"

namespace flashsynth::dsl {

namespace {

using K = ArgKind;

// The one definition of every operator's name, kind and arguments.
const std::array<OpInfo, kNumOps>& OpTable() {
  static const auto* table = new std::array<OpInfo, kNumOps>{{
      {Op::kConstStr, "ConstStr", OpKind::kConst, {K::kString}},
      {Op::kSubStr, "SubStr", OpKind::kSubstring, {K::kPosition, K::kPosition}},
      {Op::kGetSpan, "GetSpan", OpKind::kSubstring,
       {K::kRegex, K::kIndex, K::kBoundary, K::kRegex, K::kIndex, K::kBoundary}},
      {Op::kGetToken, "GetToken", OpKind::kSubstring, {K::kType, K::kIndex}},
      {Op::kGetUpto, "GetUpto", OpKind::kSubstring, {K::kRegex}},
      {Op::kGetFrom, "GetFrom", OpKind::kSubstring, {K::kRegex}},
      {Op::kToCase, "ToCase", OpKind::kModification, {K::kCase}},
      {Op::kReplace, "Replace", OpKind::kModification, {K::kDelimiter, K::kDelimiter}},
      {Op::kTrim, "Trim", OpKind::kModification, {}},
      {Op::kGetFirst, "GetFirst", OpKind::kModification, {K::kType, K::kIndex}},
      {Op::kGetAll, "GetAll", OpKind::kModification, {K::kType}},
      {Op::kSubstitute, "Substitute", OpKind::kModification,
       {K::kType, K::kIndex, K::kString}},
      {Op::kSubstituteAll, "SubstituteAll", OpKind::kModification, {K::kType, K::kString}},
      {Op::kRemove, "Remove", OpKind::kModification, {K::kType, K::kIndex}},
      {Op::kRemoveAll, "RemoveAll", OpKind::kModification, {K::kType}},
      {Op::kReadNumber, "ReadNumber", OpKind::kModification, {K::kMark, K::kIndex},
       ValueType::kText, ValueType::kNumber},
      {Op::kScale, "Scale", OpKind::kModification, {K::kScale},
       ValueType::kNumber, ValueType::kNumber},
      {Op::kRound, "Round", OpKind::kModification, {K::kRounding, K::kDecimal},
       ValueType::kNumber, ValueType::kNumber},
      {Op::kBin, "Bin", OpKind::kModification, {K::kBinEdge, K::kDecimal, K::kDecimal},
       ValueType::kNumber, ValueType::kNumber},
      {Op::kFormat, "Format", OpKind::kModification, {K::kFormat, K::kMarks, K::kSign},
       ValueType::kNumber, ValueType::kText},
  }};
  return *table;
}

constexpr std::array<std::string_view, kNumTokenTypes> kTypeNames = {
    "Number", "Word", "Alphanum", "AllCaps", "PropCase", "Lower", "Digit", "Char"};
constexpr std::array<std::string_view, kNumCases> kCaseNames = {
    "Proper", "AllCaps", "Lower", "Title"};
constexpr std::array<std::string_view, kNumDecimalMarks> kDecimalMarkNames = {
    "Dot", "Comma", "Guess"};
// In dsl::RoundingMode's order.
constexpr std::array<std::string_view, kNumRoundingModes> kRoundingNames = {
    "Nearest", "NearestEven", "TowardZero", "AwayFromZero", "Floor", "Ceiling"};
constexpr std::array<std::string_view, kNumBinEdges> kBinEdgeNames = {
    "Low", "High", "HighInclusive"};
constexpr std::array<std::string_view, kNumNumberMarks> kNumberMarksNames = {
    "Dot", "Comma", "SpaceDot", "SpaceComma", "Apostrophe"};
constexpr std::array<std::string_view, kNumSignStyles> kSignNames = {"Minus", "Plus", "Parens"};

template <size_t N>
std::string_view NameAt(const std::array<std::string_view, N>& names, int i) {
  return i >= 0 && static_cast<size_t>(i) < N ? names[static_cast<size_t>(i)] : "?";
}

std::string ColumnName(int column) { return absl::StrCat("x", column + 1); }

std::string RegexToString(Regex r) {
  if (r.is_type()) return std::string(TokenTypeName(r.type()));
  return QuoteString(std::string(1, r.delimiter()));
}

std::string ArgToString(const Arg& a) {
  switch (a.kind()) {
    case K::kPosition:
    case K::kIndex:
      return absl::StrCat(a.number());
    case K::kType:
      return std::string(TokenTypeName(a.type()));
    case K::kRegex:
      return RegexToString(a.regex());
    case K::kCase:
      return std::string(CaseName(a.case_value()));
    case K::kBoundary:
      return std::string(BoundaryName(a.boundary()));
    case K::kDelimiter:
      return QuoteString(std::string(1, a.delimiter()));
    case K::kString:
    case K::kFormat:
      return QuoteString(a.text());
    case K::kMark:
      return std::string(DecimalMarkName(a.mark()));
    case K::kScale:
      return absl::StrCat(a.raw_value());
    case K::kRounding:
      return std::string(RoundingName(a.rounding()));
    case K::kDecimal:
      return a.text();
    case K::kBinEdge:
      return std::string(BinEdgeName(a.bin_edge()));
    case K::kMarks:
      return std::string(NumberMarksName(a.marks()));
    case K::kSign:
      return std::string(SignName(a.sign()));
  }
  return "?";
}

std::string LiteralToString(const MatchLiteral& m) {
  std::string match = absl::StrCat("Match(", ColumnName(m.column), ", ",
                                   RegexToString(m.regex), ", ", m.count, ")");
  return m.negated ? absl::StrCat("Not(", match, ")") : match;
}

std::string ConditionToString(const std::vector<MatchLiteral>& condition) {
  if (condition.empty()) return "True";
  if (condition.size() == 1) return LiteralToString(condition[0]);
  std::vector<std::string> parts;
  for (const MatchLiteral& m : condition) parts.push_back(LiteralToString(m));
  return absl::StrCat("And(", absl::StrJoin(parts, ", "), ")");
}

std::string ConcatToString(const std::vector<Expr>& body) {
  std::vector<std::string> parts;
  for (const Expr& e : body) parts.push_back(e.ToString());
  return absl::StrCat("Concat(", absl::StrJoin(parts, ", "), ")");
}

bool InRange(int v, int lo, int hi) { return lo <= v && v <= hi; }

// Checks one argument against its slot; `where` names the operator.
absl::Status ValidateArg(const Arg& a, ArgKind slot, std::string_view where) {
  if (a.kind() != slot) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(where), ": argument of the wrong kind"));
  }
  const int v = a.raw_value();
  bool ok = true;
  switch (slot) {
    case K::kPosition: ok = InRange(v, -kMaxPosition, kMaxPosition); break;
    case K::kIndex: ok = v != 0 && InRange(v, -kMaxIndex, kMaxIndex); break;
    case K::kType: ok = InRange(v, 0, kNumTokenTypes - 1); break;
    case K::kRegex:
      ok = v < kNumTokenTypes ? v >= 0 : v <= 127 && IsDelimiter(static_cast<char>(v));
      break;
    case K::kCase: ok = InRange(v, 0, kNumCases - 1); break;
    case K::kBoundary: ok = InRange(v, 0, 1); break;
    case K::kDelimiter: ok = IsDelimiter(static_cast<char>(v)) && InRange(v, 0, 127); break;
    case K::kString: ok = IsValidUtf8(a.text()); break;
    case K::kMark: ok = InRange(v, 0, kNumDecimalMarks - 1); break;
    case K::kScale: ok = v != 0 && InRange(v, -kMaxScale, kMaxScale); break;
    case K::kRounding: ok = InRange(v, 0, kNumRoundingModes - 1); break;
    case K::kDecimal: ok = a.decimal().has_value(); break;
    case K::kBinEdge: ok = InRange(v, 0, kNumBinEdges - 1); break;
    case K::kMarks: ok = InRange(v, 0, kNumNumberMarks - 1); break;
    case K::kSign: ok = InRange(v, 0, kNumSignStyles - 1); break;
    case K::kFormat: {
      absl::StatusOr<NumberFormat> f = ParseNumberFormat(a.text());
      if (!f.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            ToAbsl(where), ": format code ", ToAbsl(QuoteString(a.text())), ": ",
            f.status().message()));
      }
      break;
    }
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(where), ": argument ", ArgToString(a), " out of range"));
  }
  return absl::OkStatus();
}

absl::Status ValidateColumn(int column, std::string_view where) {
  if (!InRange(column, 0, kMaxColumns - 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(where), ": column must be x1..x", kMaxColumns, ", got x", column + 1));
  }
  return absl::OkStatus();
}

std::string_view TypeNoun(ValueType t) { return t == ValueType::kText ? "text" : "a number"; }

// What the argument kinds alone do not say: steps and widths are positive.
absl::Status ValidateNumberArgs(const Expr& e) {
  if (e.op() != Op::kRound && e.op() != Op::kBin) return absl::OkStatus();
  const Arg& step = e.arg(1);  // Round's step, Bin's width
  const std::optional<Decimal> v = step.decimal();
  if (v && (v->IsZero() || v->negative())) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(GetOpInfo(e.op()).name), ": the ", e.op() == Op::kRound ? "step" : "width",
        " must be positive, got ", step.text()));
  }
  return absl::OkStatus();
}

absl::Status ValidateExprAtDepth(const Expr& e, int depth) {
  if (!IsValidOp(e.op())) return absl::InvalidArgumentError("unknown operator");
  const OpInfo& info = GetOpInfo(e.op());
  if (depth > kMaxNesting) {
    return absl::InvalidArgumentError(
        absl::StrCat("nesting deeper than ", kMaxNesting, " at ", ToAbsl(info.name)));
  }
  if (e.args().size() != info.args.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(info.name), " takes ", info.args.size(), " arguments, got ", e.args().size()));
  }
  for (size_t i = 0; i < info.args.size(); ++i) {
    FS_RETURN_IF_ERROR(ValidateArg(e.arg(i), info.args[i], info.name));
  }
  FS_RETURN_IF_ERROR(ValidateNumberArgs(e));
  if (const Expr* inner = e.inner()) {
    if (info.kind != OpKind::kModification || inner->kind() == OpKind::kConst) {
      return absl::InvalidArgumentError(absl::StrCat(
          ToAbsl(info.name), " cannot be applied to ", ToAbsl(GetOpInfo(inner->op()).name)));
    }
    if (inner->result() != info.source) {
      return absl::InvalidArgumentError(absl::StrCat(
          ToAbsl(info.name), " reads ", ToAbsl(TypeNoun(info.source)), ", but ",
          ToAbsl(GetOpInfo(inner->op()).name), " gives ", ToAbsl(TypeNoun(inner->result()))));
    }
    return ValidateExprAtDepth(*inner, depth + 1);
  }
  if (info.kind != OpKind::kConst && info.source != ValueType::kText) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(info.name), " reads a number: its source must be ReadNumber, Scale, Round or Bin, "
        "not a column"));
  }
  if (info.kind != OpKind::kConst) return ValidateColumn(e.column(), info.name);
  return absl::OkStatus();
}

absl::Status ValidateLiteral(const MatchLiteral& m) {
  FS_RETURN_IF_ERROR(ValidateColumn(m.column, "Match"));
  FS_RETURN_IF_ERROR(ValidateArg(Arg::OfRegex(m.regex), K::kRegex, "Match"));
  if (!InRange(m.count, 1, kMaxMatchCount)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Match: count must be 1..", kMaxMatchCount, ", got ", m.count));
  }
  return absl::OkStatus();
}

size_t HashCombine(size_t seed, size_t v) {
  return seed ^ (v + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

}  // namespace

bool IsDelimiter(char c) {
  return c != '\0' && kDelimiters.find(c) != std::string_view::npos;
}

bool IsValidOp(Op op) { return static_cast<int>(op) < kNumOps; }

const OpInfo& GetOpInfo(Op op) {
  // An out-of-range op (only in hand-built programs) gets a nameless entry
  // that Validate() rejects and the interpreter refuses to run.
  static const auto* unknown = new OpInfo{Op::kConstStr, "?", OpKind::kConst, {}};
  return IsValidOp(op) ? OpTable()[static_cast<size_t>(op)] : *unknown;
}

std::optional<Op> OpByName(std::string_view name) {
  for (const OpInfo& info : OpTable()) {
    if (info.name == name) return info.op;
  }
  return std::nullopt;
}

// Out-of-range values (only in hand-built, invalid programs) print as "?".
std::string_view TokenTypeName(TokenType t) {
  const auto i = static_cast<size_t>(t);
  return i < kTypeNames.size() ? kTypeNames[i] : "?";
}
std::string_view CaseName(Case c) {
  const auto i = static_cast<size_t>(c);
  return i < kCaseNames.size() ? kCaseNames[i] : "?";
}
std::string_view BoundaryName(Boundary b) { return b == Boundary::kStart ? "Start" : "End"; }
std::string_view DecimalMarkName(DecimalMark m) {
  return NameAt(kDecimalMarkNames, static_cast<int>(m));
}
std::string_view RoundingName(RoundingMode m) { return NameAt(kRoundingNames, static_cast<int>(m)); }
std::string_view BinEdgeName(BinEdge e) { return NameAt(kBinEdgeNames, static_cast<int>(e)); }
std::string_view NumberMarksName(NumberMarks m) {
  return NameAt(kNumberMarksNames, static_cast<int>(m));
}
std::string_view SignName(SignStyle s) { return NameAt(kSignNames, static_cast<int>(s)); }

absl::StatusOr<NumberFormat> MakeNumberFormat(std::string_view code, NumberMarks marks,
                                              SignStyle sign) {
  FS_ASSIGN_OR_RETURN(NumberFormat f, ParseNumberFormat(code));
  switch (marks) {
    case NumberMarks::kDot: f.group_mark = ","; f.decimal_mark = "."; break;
    case NumberMarks::kComma: f.group_mark = "."; f.decimal_mark = ","; break;
    case NumberMarks::kSpaceDot: f.group_mark = " "; f.decimal_mark = "."; break;
    case NumberMarks::kSpaceComma: f.group_mark = " "; f.decimal_mark = ","; break;
    case NumberMarks::kApostrophe: f.group_mark = "'"; f.decimal_mark = "."; break;
  }
  f.sign = sign;
  return f;
}

Arg Arg::OfDecimal(const Decimal& d) {
  std::string text = d.ToString();
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return Arg(ArgKind::kDecimal, std::move(text));
}

std::optional<Decimal> ParseDecimalConstant(std::string_view text) {
  size_t i = text.substr(0, 1) == "-" ? 1 : 0;
  const size_t int_digits = text.find_first_not_of("0123456789", i);
  const size_t int_end = int_digits == std::string_view::npos ? text.size() : int_digits;
  if (text.size() > kMaxDecimalConstant || int_end == i) return std::nullopt;
  if (int_end < text.size()) {
    if (text[int_end] != '.' || int_end + 1 == text.size() ||
        text.find_first_not_of("0123456789", int_end + 1) != std::string_view::npos) {
      return std::nullopt;
    }
  }
  return ParseDecimal(text, NumberReading{});
}

std::optional<Decimal> Arg::decimal() const {
  if (kind_ != ArgKind::kDecimal) return std::nullopt;
  return ParseDecimalConstant(text_);
}

std::string QuoteString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04X", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// ---------------------------------------------------------------- Expr

struct Expr::Node {
  Op op;
  int column;  // 0 when `inner` is set or for ConstStr
  std::vector<Arg> args;
  std::optional<Expr> inner;
  size_t hash;
  int size;
};

namespace {
size_t HashArgs(Op op, int column, const std::vector<Arg>& args) {
  size_t h = HashCombine(static_cast<size_t>(op) + 1, static_cast<size_t>(column));
  for (const Arg& a : args) {
    h = HashCombine(h, static_cast<size_t>(a.kind()));
    h = HashCombine(h, a.has_text() ? std::hash<std::string>()(a.text())
                                    : static_cast<size_t>(a.raw_value()));
  }
  return h;
}
}  // namespace

Expr Expr::ConstStr(std::string text) {
  std::vector<Arg> args;
  args.push_back(Arg::String(std::move(text)));
  size_t h = HashArgs(Op::kConstStr, 0, args);
  return Expr(std::make_shared<const Node>(Node{Op::kConstStr, 0, std::move(args),
                                                std::nullopt, h, 1}));
}

Expr Expr::Substring(Op op, std::vector<Arg> args, int column) {
  size_t h = HashArgs(op, column, args);
  return Expr(std::make_shared<const Node>(
      Node{op, column, std::move(args), std::nullopt, h, 1}));
}

Expr Expr::Modification(Op op, std::vector<Arg> args, int column) {
  return Substring(op, std::move(args), column);
}

Expr Expr::Modification(Op op, std::vector<Arg> args, Expr inner) {
  size_t h = HashCombine(HashArgs(op, 0, args), inner.Hash());
  int size = 1 + inner.size();
  return Expr(std::make_shared<const Node>(
      Node{op, 0, std::move(args), std::move(inner), h, size}));
}

Op Expr::op() const { return node_->op; }
const std::vector<Arg>& Expr::args() const { return node_->args; }
int Expr::column() const { return node_->column; }
const Expr* Expr::inner() const { return node_->inner ? &*node_->inner : nullptr; }
int Expr::size() const { return node_->size; }
size_t Expr::Hash() const { return node_->hash; }

bool operator==(const Expr& a, const Expr& b) {
  if (a.node_ == b.node_) return true;
  const Expr::Node& x = *a.node_;
  const Expr::Node& y = *b.node_;
  return x.hash == y.hash && x.op == y.op && x.column == y.column &&
         x.args == y.args && x.inner == y.inner;
}

std::string Expr::ToString() const {
  const OpInfo& info = GetOpInfo(op());
  std::vector<std::string> parts;
  if (info.kind == OpKind::kSubstring && column() != 0) parts.push_back(ColumnName(column()));
  for (const Arg& a : args()) parts.push_back(ArgToString(a));
  if (info.kind == OpKind::kModification) {
    if (inner() != nullptr) {
      parts.push_back(inner()->ToString());
    } else if (column() != 0) {
      parts.push_back(ColumnName(column()));
    }
  }
  return absl::StrCat(ToAbsl(info.name), "(", absl::StrJoin(parts, ", "), ")");
}

// ---------------------------------------------------------------- Program

struct Program::Rep {
  bool is_switch;
  std::vector<Branch> branches;
  size_t hash;
};

namespace {
size_t HashBranches(bool is_switch, const std::vector<Branch>& branches) {
  size_t h = is_switch ? 0x51u : 0xc0u;
  for (const Branch& b : branches) {
    h = HashCombine(h, b.condition.size());
    for (const MatchLiteral& m : b.condition) {
      h = HashCombine(h, static_cast<size_t>(m.column) * 1000003u +
                             static_cast<size_t>(m.regex.code()) * 131u +
                             static_cast<size_t>(m.count) * 2u + (m.negated ? 1u : 0u));
    }
    h = HashCombine(h, b.body.size());
    for (const Expr& e : b.body) h = HashCombine(h, e.Hash());
  }
  return h;
}
}  // namespace

Program Program::Concat(std::vector<Expr> exprs) {
  std::vector<Branch> branches(1);
  branches[0].body = std::move(exprs);
  size_t h = HashBranches(false, branches);
  return Program(std::make_shared<const Rep>(Rep{false, std::move(branches), h}));
}

Program Program::Switch(std::vector<Branch> cases) {
  size_t h = HashBranches(true, cases);
  return Program(std::make_shared<const Rep>(Rep{true, std::move(cases), h}));
}

bool Program::is_switch() const { return rep_->is_switch; }
const std::vector<Branch>& Program::branches() const { return rep_->branches; }
size_t Program::Hash() const { return rep_->hash; }

bool operator==(const Program& a, const Program& b) {
  if (a.rep_ == b.rep_) return true;
  return a.rep_->hash == b.rep_->hash && a.rep_->is_switch == b.rep_->is_switch &&
         a.rep_->branches == b.rep_->branches;
}

namespace {
int MaxColumn(const Expr& e) {
  if (e.inner() != nullptr) return MaxColumn(*e.inner());
  return e.kind() == OpKind::kConst ? -1 : e.column();
}
}  // namespace

int Program::NumColumnsUsed() const {
  int max_column = -1;
  for (const Branch& b : branches()) {
    for (const MatchLiteral& m : b.condition) max_column = std::max(max_column, m.column);
    for (const Expr& e : b.body) max_column = std::max(max_column, MaxColumn(e));
  }
  return max_column + 1;
}

int Program::size() const {
  int n = 1;
  for (const Branch& b : branches()) {
    n += static_cast<int>(b.condition.size());
    for (const Expr& e : b.body) n += e.size();
  }
  return n;
}

std::string Program::ToString() const {
  if (!is_switch()) return ConcatToString(exprs());
  std::vector<std::string> cases;
  for (const Branch& b : branches()) {
    cases.push_back(absl::StrCat("(", ConditionToString(b.condition), ", ",
                                 ConcatToString(b.body), ")"));
  }
  return absl::StrCat("Switch(", absl::StrJoin(cases, ", "), ")");
}

bool ReadsNumbers(const Program& program) {
  for (const Branch& b : program.branches()) {
    for (const Expr& e : b.body) {
      if (e.op() == Op::kFormat) return true;
    }
  }
  return false;
}

absl::Status ValidateExpr(const Expr& expr) { return ValidateExprAtDepth(expr, 0); }

absl::Status Validate(const Program& program) {
  if (program.branches().empty()) {
    return absl::InvalidArgumentError("Switch needs at least one case");
  }
  if (!program.is_switch() && program.branches().size() != 1) {
    return absl::InvalidArgumentError("a Concat program has exactly one branch");
  }
  for (const Branch& b : program.branches()) {
    if (!program.is_switch() && !b.condition.empty()) {
      return absl::InvalidArgumentError("a Concat program has no condition");
    }
    if (b.body.empty()) return absl::InvalidArgumentError("Concat needs at least one expression");
    for (const MatchLiteral& m : b.condition) FS_RETURN_IF_ERROR(ValidateLiteral(m));
    for (const Expr& e : b.body) {
      FS_RETURN_IF_ERROR(ValidateExpr(e));
      if (e.result() != ValueType::kText) {
        return absl::InvalidArgumentError(absl::StrCat(
            ToAbsl(GetOpInfo(e.op()).name),
            " gives a number; a Concat joins text: write it with Format(...)"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace flashsynth::dsl
