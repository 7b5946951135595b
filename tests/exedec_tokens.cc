#include "tests/exedec_tokens.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dsl/status_macros.h"

namespace flashsynth::testing {

namespace {

using dsl::Arg;
using dsl::ArgKind;
using dsl::Expr;
using dsl::Op;

// ExeDec's token ids (tasks/robust_fill/tokens.py).
constexpr int kCompose = 3;
constexpr int kFirstFunction = 4;    // ConstStr .. RemoveAll: 4..18
constexpr int kFirstChar = 19;       // a-z, A-Z, 0-9, the 21 delimiters
constexpr int kFirstDelimiter = 81;
constexpr int kFirstType = 102;
constexpr int kFirstCase = 110;
constexpr int kFirstBoundary = 113;
constexpr int kZero = 215;           // integer k has id 215 + k

// ExeDec's function ids 4..18, in its order (GetUpto and GetFrom after Trim).
constexpr Op kFunctions[] = {
    Op::kConstStr, Op::kSubStr, Op::kGetSpan, Op::kGetToken, Op::kToCase,
    Op::kReplace, Op::kTrim, Op::kGetUpto, Op::kGetFrom, Op::kGetFirst,
    Op::kGetAll, Op::kSubstitute, Op::kSubstituteAll, Op::kRemove, Op::kRemoveAll};

absl::StatusOr<char> CharOf(int id) {
  if (id < kFirstChar || id >= kFirstType) {
    return absl::InvalidArgumentError(absl::StrCat("token ", id, " is not a character"));
  }
  const int i = id - kFirstChar;
  if (i < 26) return static_cast<char>('a' + i);
  if (i < 52) return static_cast<char>('A' + i - 26);
  if (i < 62) return static_cast<char>('0' + i - 52);
  return dsl::kDelimiters[static_cast<size_t>(id - kFirstDelimiter)];
}

class Reader {
 public:
  explicit Reader(std::vector<int> ids) : ids_(std::move(ids)) {}

  absl::StatusOr<Expr> ReadExpr() {
    FS_ASSIGN_OR_RETURN(int id, Next());
    if (id != kCompose) return ReadFunction(id);
    FS_ASSIGN_OR_RETURN(int outer, Next());
    // The outer function's arguments come before the inner expression.
    FS_ASSIGN_OR_RETURN(std::vector<Arg> args, ReadArgs(outer));
    FS_ASSIGN_OR_RETURN(Expr inner, ReadExpr());
    FS_ASSIGN_OR_RETURN(Op op, FunctionOf(outer));
    return Expr::Modification(op, std::move(args), std::move(inner));
  }

  bool AtEnd() const { return pos_ == ids_.size(); }

 private:
  absl::StatusOr<int> Next() {
    if (pos_ == ids_.size()) return absl::InvalidArgumentError("expression ends early");
    return ids_[pos_++];
  }

  static absl::StatusOr<Op> FunctionOf(int id) {
    if (id < kFirstFunction || id >= kFirstChar) {
      return absl::InvalidArgumentError(absl::StrCat("token ", id, " is not a function"));
    }
    return kFunctions[id - kFirstFunction];
  }

  absl::StatusOr<Expr> ReadFunction(int id) {
    FS_ASSIGN_OR_RETURN(Op op, FunctionOf(id));
    FS_ASSIGN_OR_RETURN(std::vector<Arg> args, ReadArgs(id));
    switch (dsl::GetOpInfo(op).kind) {
      case dsl::OpKind::kConst: return Expr::ConstStr(args[0].text());
      case dsl::OpKind::kSubstring: return Expr::Substring(op, std::move(args));
      case dsl::OpKind::kModification: return Expr::Modification(op, std::move(args));
    }
    return absl::InternalError("unreachable");
  }

  absl::StatusOr<std::vector<Arg>> ReadArgs(int function_id) {
    FS_ASSIGN_OR_RETURN(Op op, FunctionOf(function_id));
    std::vector<Arg> args;
    for (ArgKind kind : dsl::GetOpInfo(op).args) {
      FS_ASSIGN_OR_RETURN(int id, Next());
      FS_ASSIGN_OR_RETURN(Arg arg, ArgOf(kind, id));
      args.push_back(std::move(arg));
    }
    return args;
  }

  static absl::StatusOr<Arg> ArgOf(ArgKind kind, int id) {
    switch (kind) {
      case ArgKind::kPosition: return Arg::Position(id - kZero);
      case ArgKind::kIndex: return Arg::Index(id - kZero);
      case ArgKind::kType: return Arg::OfType(static_cast<dsl::TokenType>(id - kFirstType));
      case ArgKind::kCase: return Arg::OfCase(static_cast<dsl::Case>(id - kFirstCase));
      case ArgKind::kBoundary:
        return Arg::OfBoundary(static_cast<dsl::Boundary>(id - kFirstBoundary));
      case ArgKind::kRegex:
        if (id >= kFirstType && id < kFirstCase) {
          return Arg::OfRegex(dsl::Regex::Of(static_cast<dsl::TokenType>(id - kFirstType)));
        } else {
          FS_ASSIGN_OR_RETURN(char c, CharOf(id));
          return Arg::OfRegex(dsl::Regex::Delimiter(c));
        }
      case ArgKind::kDelimiter: {
        FS_ASSIGN_OR_RETURN(char c, CharOf(id));
        return Arg::Delimiter(c);
      }
      case ArgKind::kString: {
        FS_ASSIGN_OR_RETURN(char c, CharOf(id));
        return Arg::String(std::string(1, c));
      }
    }
    return absl::InternalError("unreachable");
  }

  std::vector<int> ids_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<dsl::Program> ProgramFromExeDecTokens(std::string_view tokens) {
  std::vector<Expr> exprs;
  for (absl::string_view part : absl::StrSplit(ToAbsl(tokens), '|')) {
    std::vector<int> ids;
    for (absl::string_view t : absl::StrSplit(part, ' ', absl::SkipEmpty())) {
      int id;
      if (!absl::SimpleAtoi(t, &id)) {
        return absl::InvalidArgumentError(absl::StrCat("not a token id: '", t, "'"));
      }
      ids.push_back(id);
    }
    Reader reader(std::move(ids));
    FS_ASSIGN_OR_RETURN(Expr e, reader.ReadExpr());
    if (!reader.AtEnd()) return absl::InvalidArgumentError("extra tokens after an expression");
    exprs.push_back(std::move(e));
  }
  dsl::Program program = dsl::Program::Concat(std::move(exprs));
  FS_RETURN_IF_ERROR(dsl::Validate(program));
  return program;
}

}  // namespace flashsynth::testing
