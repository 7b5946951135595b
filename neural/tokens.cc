#include "neural/tokens.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "neural/program_grammar.h"

namespace flashsynth::neural {

// ---------------------------------------------------------------------------
// Characters.

int CharId(char32_t c) {
  if (c < 0x20 || c > 0x7e) return kCharUnk;
  return kCharFirstPrintable + static_cast<int>(c - 0x20);
}

std::vector<int> EncodeText(std::string_view text, int max_chars) {
  std::vector<int> ids;
  const bool utf8 = dsl::IsValidUtf8(text);
  size_t pos = 0;
  while (pos < text.size() && static_cast<int>(ids.size()) < max_chars) {
    if (utf8) {
      ids.push_back(CharId(dsl::DecodeUtf8(text, &pos)));
    } else {  // one id per byte; non-ASCII bytes are unknown
      ids.push_back(CharId(static_cast<unsigned char>(text[pos++])));
    }
  }
  ids.push_back(kCharEos);
  return ids;
}

std::vector<int> EncodeRow(absl::Span<const std::string> cells, int max_chars) {
  std::vector<int> ids;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) ids.push_back(kCharSeparator);
    std::vector<int> cell = EncodeText(cells[i], max_chars);
    ids.insert(ids.end(), cell.begin(), cell.end() - 1);  // without its EOS
  }
  if (static_cast<int>(ids.size()) > max_chars) ids.resize(static_cast<size_t>(max_chars));
  ids.push_back(kCharEos);
  return ids;
}

// ---------------------------------------------------------------------------
// ProgramVocab.

namespace {

constexpr int kNumKinds = static_cast<int>(TokenKind::kSign) + 1;  // the last kind
// Integers cover every position, index and count the DSL allows.
constexpr int kMinInteger = -std::max(dsl::kMaxPosition, dsl::kMaxIndex);
constexpr int kMaxInteger = std::max({dsl::kMaxPosition, dsl::kMaxIndex, dsl::kMaxMatchCount});

uint64_t Fnv1a(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string ByteName(int b) {
  if (b >= 0x20 && b < 0x7f) return absl::StrCat("'", std::string(1, static_cast<char>(b)), "'");
  return absl::StrFormat("'\\x%02X'", b);
}

}  // namespace

ProgramVocab::ProgramVocab(int max_columns)
    : max_columns_(std::clamp(max_columns, 1, dsl::kMaxColumns)),
      first_id_(kNumKinds, -1),
      min_value_(kNumKinds, 0),
      count_(kNumKinds, 0),
      delimiter_id_(256, -1) {
  Add(TokenKind::kPad, 0, "PAD");
  Add(TokenKind::kBos, 0, "BOS");
  Add(TokenKind::kEos, 0, "EOS");
  Add(TokenKind::kSwitch, 0, "Switch");
  Add(TokenKind::kBranch, 0, "Branch");
  Add(TokenKind::kThen, 0, "Then");
  Add(TokenKind::kMatch, 0, "Match");
  Add(TokenKind::kNotMatch, 0, "NotMatch");
  Add(TokenKind::kEndString, 0, "EndString");
  for (int op = 0; op < dsl::kNumOps; ++op) {
    Add(TokenKind::kOp, op, std::string(dsl::GetOpInfo(static_cast<dsl::Op>(op)).name));
  }
  for (int c = 0; c < max_columns_; ++c) Add(TokenKind::kColumn, c, absl::StrCat("x", c + 1));
  for (int t = 0; t < dsl::kNumTokenTypes; ++t) {
    Add(TokenKind::kType, t, std::string(dsl::TokenTypeName(static_cast<dsl::TokenType>(t))));
  }
  for (int c = 0; c < dsl::kNumCases; ++c) {  // "case:" keeps AllCaps apart from the type
    Add(TokenKind::kCase, c, absl::StrCat("case:", ToAbsl(dsl::CaseName(static_cast<dsl::Case>(c)))));
  }
  Add(TokenKind::kBoundary, 0, std::string(dsl::BoundaryName(dsl::Boundary::kStart)));
  Add(TokenKind::kBoundary, 1, std::string(dsl::BoundaryName(dsl::Boundary::kEnd)));
  for (char d : dsl::kDelimiters) {
    delimiter_id_[static_cast<unsigned char>(d)] = size();
    Add(TokenKind::kDelimiter, static_cast<unsigned char>(d), dsl::QuoteString(std::string(1, d)));
  }
  for (int i = kMinInteger; i <= kMaxInteger; ++i) Add(TokenKind::kInteger, i, absl::StrCat(i));
  for (int b = 0; b < 256; ++b) Add(TokenKind::kByte, b, ByteName(b));
  // The number operators' named arguments; prefixes keep equal names apart.
  for (int m = 0; m < dsl::kNumDecimalMarks; ++m) {
    Add(TokenKind::kMark, m,
        absl::StrCat("read:", ToAbsl(dsl::DecimalMarkName(static_cast<dsl::DecimalMark>(m)))));
  }
  for (int m = 0; m < dsl::kNumRoundingModes; ++m) {
    Add(TokenKind::kRounding, m, std::string(dsl::RoundingName(static_cast<dsl::RoundingMode>(m))));
  }
  for (int e = 0; e < dsl::kNumBinEdges; ++e) {
    Add(TokenKind::kBinEdge, e, std::string(dsl::BinEdgeName(static_cast<dsl::BinEdge>(e))));
  }
  for (int m = 0; m < dsl::kNumNumberMarks; ++m) {
    Add(TokenKind::kMarks, m,
        absl::StrCat("marks:", ToAbsl(dsl::NumberMarksName(static_cast<dsl::NumberMarks>(m)))));
  }
  for (int st = 0; st < dsl::kNumSignStyles; ++st) {
    Add(TokenKind::kSign, st, std::string(dsl::SignName(static_cast<dsl::SignStyle>(st))));
  }
}

void ProgramVocab::Add(TokenKind kind, int value, std::string name) {
  const auto k = static_cast<size_t>(kind);
  if (count_[k]++ == 0) {
    first_id_[k] = size();
    min_value_[k] = value;
  }
  fingerprint_ =
      Fnv1a(fingerprint_, absl::StrCat(static_cast<int>(kind), ":", value, ":", name, ";"));
  tokens_.push_back(ProgramToken{kind, value, std::move(name)});
}

int ProgramVocab::Id(TokenKind kind, int value) const {
  if (kind == TokenKind::kDelimiter) {
    return value >= 0 && value < 256 ? delimiter_id_[static_cast<size_t>(value)] : -1;
  }
  const auto k = static_cast<size_t>(kind);
  const int offset = value - min_value_[k];
  if (count_[k] == 0 || offset < 0 || offset >= count_[k]) return -1;
  return first_id_[k] + offset;
}

std::string ProgramVocab::Describe(absl::Span<const int> ids) const {
  std::string out;
  for (int id : ids) {
    if (!out.empty()) out += ' ';
    out += id >= 0 && id < size() ? token(id).name : absl::StrCat("<", id, ">");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Program <-> tokens.

namespace {

class Writer {
 public:
  explicit Writer(const ProgramVocab& vocab) : vocab_(vocab) {}

  absl::Status Emit(TokenKind kind, int value = 0) {
    const int id = vocab_.Id(kind, value);
    if (id < 0) {
      return absl::InvalidArgumentError(
          kind == TokenKind::kColumn
              ? absl::StrCat("column x", value + 1, " is past the vocabulary's x",
                             vocab_.max_columns())
              : absl::StrCat("no program token for value ", value));
    }
    ids_.push_back(id);
    return absl::OkStatus();
  }

  absl::Status Expr(const dsl::Expr& e);
  absl::Status Literal(const dsl::MatchLiteral& m);
  absl::Status Body(const std::vector<dsl::Expr>& body) {
    for (const dsl::Expr& e : body) FS_RETURN_IF_ERROR(Expr(e));
    return absl::OkStatus();
  }
  std::vector<int> Take() { return std::move(ids_); }

 private:
  absl::Status Arg(const dsl::Arg& a);

  const ProgramVocab& vocab_;
  std::vector<int> ids_;
};

absl::Status Writer::Arg(const dsl::Arg& a) {
  switch (a.kind()) {
    case dsl::ArgKind::kPosition:
    case dsl::ArgKind::kIndex:
      return Emit(TokenKind::kInteger, a.number());
    case dsl::ArgKind::kType:
      return Emit(TokenKind::kType, a.raw_value());
    case dsl::ArgKind::kRegex:
      return a.regex().is_type()
                 ? Emit(TokenKind::kType, a.regex().code())
                 : Emit(TokenKind::kDelimiter, static_cast<unsigned char>(a.regex().delimiter()));
    case dsl::ArgKind::kCase:
      return Emit(TokenKind::kCase, a.raw_value());
    case dsl::ArgKind::kBoundary:
      return Emit(TokenKind::kBoundary, a.raw_value());
    case dsl::ArgKind::kDelimiter:
      return Emit(TokenKind::kDelimiter, static_cast<unsigned char>(a.delimiter()));
    case dsl::ArgKind::kString:
    case dsl::ArgKind::kDecimal:
    case dsl::ArgKind::kFormat:
      for (unsigned char c : a.text()) FS_RETURN_IF_ERROR(Emit(TokenKind::kByte, c));
      return Emit(TokenKind::kEndString);
    case dsl::ArgKind::kScale:
      return Emit(TokenKind::kInteger, a.raw_value());
    case dsl::ArgKind::kMark:
      return Emit(TokenKind::kMark, a.raw_value());
    case dsl::ArgKind::kRounding:
      return Emit(TokenKind::kRounding, a.raw_value());
    case dsl::ArgKind::kBinEdge:
      return Emit(TokenKind::kBinEdge, a.raw_value());
    case dsl::ArgKind::kMarks:
      return Emit(TokenKind::kMarks, a.raw_value());
    case dsl::ArgKind::kSign:
      return Emit(TokenKind::kSign, a.raw_value());
  }
  return absl::InternalError("unknown argument kind");
}

// Slots in printed order: substring column first, modification source last.
absl::Status Writer::Expr(const dsl::Expr& e) {
  FS_RETURN_IF_ERROR(Emit(TokenKind::kOp, static_cast<int>(e.op())));
  if (e.kind() == dsl::OpKind::kSubstring) FS_RETURN_IF_ERROR(Emit(TokenKind::kColumn, e.column()));
  for (const dsl::Arg& a : e.args()) FS_RETURN_IF_ERROR(Arg(a));
  if (e.kind() != dsl::OpKind::kModification) return absl::OkStatus();
  if (e.inner() != nullptr) return Expr(*e.inner());
  return Emit(TokenKind::kColumn, e.column());
}

absl::Status Writer::Literal(const dsl::MatchLiteral& m) {
  FS_RETURN_IF_ERROR(Emit(m.negated ? TokenKind::kNotMatch : TokenKind::kMatch));
  FS_RETURN_IF_ERROR(Emit(TokenKind::kColumn, m.column));
  FS_RETURN_IF_ERROR(Arg(dsl::Arg::OfRegex(m.regex)));
  return Emit(TokenKind::kInteger, m.count);
}

}  // namespace

absl::StatusOr<std::vector<int>> TokenizeProgram(const dsl::Program& program,
                                                 const ProgramVocab& vocab) {
  FS_RETURN_IF_ERROR(dsl::Validate(program));
  Writer w(vocab);
  if (!program.is_switch()) {
    FS_RETURN_IF_ERROR(w.Body(program.exprs()));
  } else {
    FS_RETURN_IF_ERROR(w.Emit(TokenKind::kSwitch));
    for (const dsl::Branch& b : program.branches()) {
      FS_RETURN_IF_ERROR(w.Emit(TokenKind::kBranch));
      for (const dsl::MatchLiteral& m : b.condition) FS_RETURN_IF_ERROR(w.Literal(m));
      FS_RETURN_IF_ERROR(w.Emit(TokenKind::kThen));
      FS_RETURN_IF_ERROR(w.Body(b.body));
    }
  }
  FS_RETURN_IF_ERROR(w.Emit(TokenKind::kEos));
  return w.Take();
}

absl::StatusOr<dsl::Program> DetokenizeProgram(absl::Span<const int> ids,
                                               const ProgramVocab& vocab) {
  PrefixParser parser(vocab);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (parser.finished()) {
      return absl::InvalidArgumentError(absl::StrCat("token ", i, ": nothing may follow EOS"));
    }
    if (!parser.Push(ids[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "token ", i, " (", vocab.Describe({ids[i]}), ") does not fit after \"",
          vocab.Describe(ids.subspan(0, i)), "\""));
    }
  }
  if (!parser.finished()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the program stops early, after \"", vocab.Describe(ids), "\""));
  }
  return parser.program();
}

}  // namespace flashsynth::neural
