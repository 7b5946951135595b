#include "neural/program_grammar.h"

#include "dsl/number_format.h"
#include "dsl/text.h"

namespace flashsynth::neural {

namespace {

bool IsOp(const ProgramToken& t) { return t.kind == TokenKind::kOp; }

bool IntegerIn(const ProgramToken& t, int lo, int hi) {
  return t.kind == TokenKind::kInteger && lo <= t.value && t.value <= hi;
}

dsl::OpKind KindOf(int op) { return dsl::GetOpInfo(static_cast<dsl::Op>(op)).kind; }

// An operator that may stand in a Concat: it gives text.
bool IsTextOp(const ProgramToken& t) {
  return IsOp(t) && dsl::GetOpInfo(static_cast<dsl::Op>(t.value)).result == dsl::ValueType::kText;
}

// Whether `text` may end the string argument of kind `kind` in slot `slot`.
bool ValidStringArg(dsl::Op op, size_t slot, const std::string& text) {
  const dsl::ArgKind kind = dsl::GetOpInfo(op).args[slot];
  if (kind == dsl::ArgKind::kFormat) return dsl::ParseNumberFormat(text).ok();
  if (kind != dsl::ArgKind::kDecimal) return dsl::IsValidUtf8(text);
  const std::optional<dsl::Decimal> d = dsl::ParseDecimalConstant(text);
  // Round's step and Bin's width (slot 1) are positive.
  return d && (slot != 1 || (!d->IsZero() && !d->negative()));
}

}  // namespace

PrefixParser::PrefixParser(const ProgramVocab& vocab) : vocab_(&vocab) {}

const std::vector<dsl::Expr>& PrefixParser::body() const {
  static const auto* empty = new std::vector<dsl::Expr>();
  return branches_.empty() ? *empty : branches_.back().body;
}

bool PrefixParser::Allows(int id) const {
  return id >= 0 && id < vocab_->size() && Matches(vocab_->token(id));
}

void PrefixParser::AllowedTokens(std::vector<bool>* allowed) const {
  allowed->assign(static_cast<size_t>(vocab_->size()), false);
  for (int id = 0; id < vocab_->size(); ++id) (*allowed)[static_cast<size_t>(id)] = Allows(id);
}

bool PrefixParser::Matches(const ProgramToken& t) const {
  switch (need_) {
    case Need::kProgramStart: return t.kind == TokenKind::kSwitch || IsTextOp(t);
    case Need::kConcatMore: return IsTextOp(t) || t.kind == TokenKind::kEos;
    case Need::kBranch: return t.kind == TokenKind::kBranch;
    case Need::kLiteralOrThen:
      return t.kind == TokenKind::kMatch || t.kind == TokenKind::kNotMatch ||
             t.kind == TokenKind::kThen;
    case Need::kBodyStart: return IsTextOp(t);
    case Need::kBodyMore:
      return IsTextOp(t) || t.kind == TokenKind::kBranch || t.kind == TokenKind::kEos;
    case Need::kColumn: return t.kind == TokenKind::kColumn;
    case Need::kPosition: return IntegerIn(t, -dsl::kMaxPosition, dsl::kMaxPosition);
    case Need::kIndex: return IntegerIn(t, -dsl::kMaxIndex, dsl::kMaxIndex) && t.value != 0;
    case Need::kCount: return IntegerIn(t, 1, dsl::kMaxMatchCount);
    case Need::kType: return t.kind == TokenKind::kType;
    case Need::kRegex: return t.kind == TokenKind::kType || t.kind == TokenKind::kDelimiter;
    case Need::kCase: return t.kind == TokenKind::kCase;
    case Need::kBoundary: return t.kind == TokenKind::kBoundary;
    case Need::kDelimiter: return t.kind == TokenKind::kDelimiter;
    case Need::kStringByte:
      return t.kind == TokenKind::kByte || (t.kind == TokenKind::kEndString && string_is_valid_);
    case Need::kSource: {
      // Validate() allows kMaxNesting levels below a top-level expression,
      // and a source must give what its operator reads.
      const dsl::ValueType reads = dsl::GetOpInfo(stack_.back().op).source;
      if (t.kind == TokenKind::kColumn) return reads == dsl::ValueType::kText;
      return IsOp(t) && KindOf(t.value) != dsl::OpKind::kConst &&
             dsl::GetOpInfo(static_cast<dsl::Op>(t.value)).result == reads &&
             stack_.back().depth < dsl::kMaxNesting;
    }
    case Need::kMark: return t.kind == TokenKind::kMark;
    case Need::kScale: return IntegerIn(t, -dsl::kMaxScale, dsl::kMaxScale) && t.value != 0;
    case Need::kRounding: return t.kind == TokenKind::kRounding;
    case Need::kBinEdge: return t.kind == TokenKind::kBinEdge;
    case Need::kMarks: return t.kind == TokenKind::kMarks;
    case Need::kSign: return t.kind == TokenKind::kSign;
    case Need::kNothing: return false;
  }
  return false;
}

bool PrefixParser::Push(int id) {
  if (!Allows(id)) return false;
  Apply(vocab_->token(id));
  ++length_;
  UpdateNeed();
  return true;
}

void PrefixParser::Apply(const ProgramToken& t) {
  if (!stack_.empty()) return ApplyToFrame(t);
  if (literal_) return ApplyToLiteral(t);
  switch (t.kind) {
    case TokenKind::kSwitch:
      is_switch_ = true;
      phase_ = Phase::kSwitchStart;
      return;
    case TokenKind::kBranch:
      branches_.emplace_back();
      phase_ = Phase::kLiterals;
      return;
    case TokenKind::kMatch:
    case TokenKind::kNotMatch:
      literal_ = dsl::MatchLiteral();
      literal_->negated = t.kind == TokenKind::kNotMatch;
      literal_slots_ = 0;
      return;
    case TokenKind::kThen:
      phase_ = Phase::kBodyStart;
      return;
    case TokenKind::kEos:
      phase_ = Phase::kDone;
      return;
    default:  // an operator starts a top-level expression
      if (phase_ == Phase::kStart) {
        branches_.emplace_back();
        phase_ = Phase::kConcat;
      } else if (phase_ == Phase::kBodyStart) {
        phase_ = Phase::kBodyMore;
      }
      OpenFrame(static_cast<dsl::Op>(t.value), /*depth=*/0);
  }
}

void PrefixParser::ApplyToLiteral(const ProgramToken& t) {
  switch (literal_slots_++) {
    case 0:
      literal_->column = t.value;
      return;
    case 1:
      literal_->regex = t.kind == TokenKind::kType
                            ? dsl::Regex::Of(static_cast<dsl::TokenType>(t.value))
                            : dsl::Regex::Delimiter(static_cast<char>(t.value));
      return;
    default:
      literal_->count = t.value;
      branches_.back().condition.push_back(*literal_);
      literal_.reset();
  }
}

void PrefixParser::ApplyToFrame(const ProgramToken& t) {
  Frame& f = stack_.back();
  switch (need_) {
    case Need::kColumn:
      f.column = t.value;
      break;
    case Need::kSource:
      if (t.kind == TokenKind::kColumn) {
        f.column = t.value;
      } else {
        OpenFrame(static_cast<dsl::Op>(t.value), f.depth + 1);  // invalidates f
      }
      break;
    case Need::kPosition: f.args.push_back(dsl::Arg::Position(t.value)); break;
    case Need::kIndex: f.args.push_back(dsl::Arg::Index(t.value)); break;
    case Need::kType: f.args.push_back(dsl::Arg::OfType(static_cast<dsl::TokenType>(t.value))); break;
    case Need::kRegex:
      f.args.push_back(dsl::Arg::OfRegex(
          t.kind == TokenKind::kType ? dsl::Regex::Of(static_cast<dsl::TokenType>(t.value))
                                     : dsl::Regex::Delimiter(static_cast<char>(t.value))));
      break;
    case Need::kCase: f.args.push_back(dsl::Arg::OfCase(static_cast<dsl::Case>(t.value))); break;
    case Need::kBoundary:
      f.args.push_back(dsl::Arg::OfBoundary(static_cast<dsl::Boundary>(t.value)));
      break;
    case Need::kDelimiter: f.args.push_back(dsl::Arg::Delimiter(static_cast<char>(t.value))); break;
    case Need::kStringByte:
      if (t.kind == TokenKind::kByte) {
        f.text += static_cast<char>(t.value);
      } else {
        switch (dsl::GetOpInfo(f.op).args[f.args.size()]) {
          case dsl::ArgKind::kDecimal:
            f.args.push_back(dsl::Arg::OfDecimal(*dsl::ParseDecimalConstant(f.text)));
            break;
          case dsl::ArgKind::kFormat: f.args.push_back(dsl::Arg::FormatCode(std::move(f.text))); break;
          default: f.args.push_back(dsl::Arg::String(std::move(f.text)));
        }
        f.text.clear();
      }
      break;
    case Need::kMark: f.args.push_back(dsl::Arg::OfMark(static_cast<dsl::DecimalMark>(t.value))); break;
    case Need::kScale: f.args.push_back(dsl::Arg::Scale(t.value)); break;
    case Need::kRounding:
      f.args.push_back(dsl::Arg::OfRounding(static_cast<dsl::RoundingMode>(t.value)));
      break;
    case Need::kBinEdge: f.args.push_back(dsl::Arg::OfBinEdge(static_cast<dsl::BinEdge>(t.value))); break;
    case Need::kMarks: f.args.push_back(dsl::Arg::OfMarks(static_cast<dsl::NumberMarks>(t.value))); break;
    case Need::kSign: f.args.push_back(dsl::Arg::OfSign(static_cast<dsl::SignStyle>(t.value))); break;
    default:
      break;  // unreachable: Matches() admits only the cases above
  }
  CloseCompleteFrames();
}

const std::string* PrefixParser::open_constant() const {
  if (need_ != Need::kStringByte || stack_.size() != 1) return nullptr;
  const Frame& f = stack_.front();
  return dsl::GetOpInfo(f.op).kind == dsl::OpKind::kConst ? &f.text : nullptr;
}

void PrefixParser::OpenFrame(dsl::Op op, int depth) {
  Frame f;
  f.op = op;
  f.depth = depth;
  stack_.push_back(std::move(f));
}

// Pops every complete operator, handing it to the operator below it (as its
// Compose source, which completes that one too) or to the current body.
void PrefixParser::CloseCompleteFrames() {
  while (!stack_.empty()) {
    Frame& f = stack_.back();
    const dsl::OpInfo& info = dsl::GetOpInfo(f.op);
    if (f.args.size() < info.args.size()) return;
    std::optional<dsl::Expr> e;
    if (info.kind == dsl::OpKind::kConst) {
      e = dsl::Expr::ConstStr(f.args[0].text());
    } else if (f.column < 0 && !f.inner) {
      return;  // column or source still to come
    } else if (f.inner) {
      e = dsl::Expr::Modification(f.op, std::move(f.args), std::move(*f.inner));
    } else {
      e = info.kind == dsl::OpKind::kSubstring
              ? dsl::Expr::Substring(f.op, std::move(f.args), f.column)
              : dsl::Expr::Modification(f.op, std::move(f.args), f.column);
    }
    stack_.pop_back();
    if (stack_.empty()) {
      branches_.back().body.push_back(std::move(*e));
    } else {
      stack_.back().inner = std::move(e);
    }
  }
}

Need PrefixParser::FrameNeed(const Frame& f) const {
  const dsl::OpInfo& info = dsl::GetOpInfo(f.op);
  if (info.kind == dsl::OpKind::kSubstring && f.column < 0) return Need::kColumn;
  if (f.args.size() < info.args.size()) {
    switch (info.args[f.args.size()]) {
      case dsl::ArgKind::kPosition: return Need::kPosition;
      case dsl::ArgKind::kIndex: return Need::kIndex;
      case dsl::ArgKind::kType: return Need::kType;
      case dsl::ArgKind::kRegex: return Need::kRegex;
      case dsl::ArgKind::kCase: return Need::kCase;
      case dsl::ArgKind::kBoundary: return Need::kBoundary;
      case dsl::ArgKind::kDelimiter: return Need::kDelimiter;
      case dsl::ArgKind::kString:
      case dsl::ArgKind::kDecimal:
      case dsl::ArgKind::kFormat: return Need::kStringByte;
      case dsl::ArgKind::kMark: return Need::kMark;
      case dsl::ArgKind::kScale: return Need::kScale;
      case dsl::ArgKind::kRounding: return Need::kRounding;
      case dsl::ArgKind::kBinEdge: return Need::kBinEdge;
      case dsl::ArgKind::kMarks: return Need::kMarks;
      case dsl::ArgKind::kSign: return Need::kSign;
    }
  }
  return Need::kSource;  // a modification without its source yet
}

void PrefixParser::UpdateNeed() {
  need_ = ComputeNeed();
  // Checked once here rather than in every Allows(EndString).
  if (need_ == Need::kStringByte) {
    const Frame& f = stack_.back();
    string_is_valid_ = ValidStringArg(f.op, f.args.size(), f.text);
  }
}

Need PrefixParser::ComputeNeed() const {
  if (!stack_.empty()) return FrameNeed(stack_.back());
  if (literal_) {
    static constexpr Need kLiteralSlots[] = {Need::kColumn, Need::kRegex, Need::kCount};
    return kLiteralSlots[literal_slots_];
  }
  switch (phase_) {
    case Phase::kStart: return Need::kProgramStart;
    case Phase::kConcat: return Need::kConcatMore;
    case Phase::kSwitchStart: return Need::kBranch;
    case Phase::kLiterals: return Need::kLiteralOrThen;
    case Phase::kBodyStart: return Need::kBodyStart;
    case Phase::kBodyMore: return Need::kBodyMore;
    case Phase::kDone: return Need::kNothing;
  }
  return Need::kNothing;
}

absl::StatusOr<dsl::Program> PrefixParser::program() const {
  if (!finished()) return absl::FailedPreconditionError("the program is not finished");
  if (is_switch_) return dsl::Program::Switch(branches_);
  return dsl::Program::Concat(branches_.front().body);
}

}  // namespace flashsynth::neural
