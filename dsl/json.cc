#include "dsl/json.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"

namespace flashsynth::dsl {

namespace {

using Json = nlohmann::json;

Json RegexToJson(Regex r) {
  if (r.is_type()) return std::string(TokenTypeName(r.type()));
  return std::string(1, r.delimiter());
}

Json ArgToJson(const Arg& a) {
  switch (a.kind()) {
    case ArgKind::kPosition:
    case ArgKind::kIndex: return a.number();
    case ArgKind::kType: return std::string(TokenTypeName(a.type()));
    case ArgKind::kRegex: return RegexToJson(a.regex());
    case ArgKind::kCase: return std::string(CaseName(a.case_value()));
    case ArgKind::kBoundary: return std::string(BoundaryName(a.boundary()));
    case ArgKind::kDelimiter: return std::string(1, a.delimiter());
    case ArgKind::kString:
    case ArgKind::kFormat:
    case ArgKind::kDecimal: return a.text();  // a decimal as a string: exact
    case ArgKind::kMark: return std::string(DecimalMarkName(a.mark()));
    case ArgKind::kScale: return a.raw_value();
    case ArgKind::kRounding: return std::string(RoundingName(a.rounding()));
    case ArgKind::kBinEdge: return std::string(BinEdgeName(a.bin_edge()));
    case ArgKind::kMarks: return std::string(NumberMarksName(a.marks()));
    case ArgKind::kSign: return std::string(SignName(a.sign()));
  }
  return nullptr;
}

Json ConcatToJson(const std::vector<Expr>& body) {
  Json list = Json::array();
  for (const Expr& e : body) list.push_back(ExprToJson(e));
  return list;
}

absl::Status Fault(const std::string& path, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", ToAbsl(what)));
}

// A name among `count` enum values printed by `name_of`.
template <typename Enum, typename NameOf>
absl::StatusOr<Enum> EnumFromJson(const Json& j, int count, NameOf name_of,
                                  const std::string& path, std::string_view expected) {
  if (j.is_string()) {
    for (int i = 0; i < count; ++i) {
      if (name_of(static_cast<Enum>(i)) == j.get_ref<const std::string&>()) {
        return static_cast<Enum>(i);
      }
    }
  }
  return Fault(path, absl::StrCat("expected ", ToAbsl(expected)));
}

absl::StatusOr<Regex> RegexFromJson(const Json& j, const std::string& path) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s.size() == 1 && IsDelimiter(s[0])) return Regex::Delimiter(s[0]);
    for (int i = 0; i < kNumTokenTypes; ++i) {
      if (TokenTypeName(static_cast<TokenType>(i)) == s) {
        return Regex::Of(static_cast<TokenType>(i));
      }
    }
  }
  return Fault(path, "expected a type name such as Word, or a one-character delimiter");
}

absl::StatusOr<int> IntFromJson(const Json& j, const std::string& path) {
  if (!j.is_number_integer()) return Fault(path, "expected an integer");
  const auto v = j.get<int64_t>();
  if (v < -1'000'000 || v > 1'000'000) return Fault(path, "integer out of range");
  return static_cast<int>(v);
}

absl::StatusOr<Arg> ArgFromJson(const Json& j, ArgKind kind, const std::string& path) {
  switch (kind) {
    case ArgKind::kPosition: {
      FS_ASSIGN_OR_RETURN(int k, IntFromJson(j, path));
      return Arg::Position(k);
    }
    case ArgKind::kIndex: {
      FS_ASSIGN_OR_RETURN(int i, IntFromJson(j, path));
      return Arg::Index(i);
    }
    case ArgKind::kType: {
      FS_ASSIGN_OR_RETURN(TokenType t, EnumFromJson<TokenType>(j, kNumTokenTypes, TokenTypeName,
                                                               path, "a type name such as Word"));
      return Arg::OfType(t);
    }
    case ArgKind::kRegex: {
      FS_ASSIGN_OR_RETURN(Regex r, RegexFromJson(j, path));
      return Arg::OfRegex(r);
    }
    case ArgKind::kCase: {
      FS_ASSIGN_OR_RETURN(Case c, EnumFromJson<Case>(j, kNumCases, CaseName, path,
                                                     "a case: Proper, AllCaps, Lower or Title"));
      return Arg::OfCase(c);
    }
    case ArgKind::kBoundary: {
      FS_ASSIGN_OR_RETURN(Boundary b, EnumFromJson<Boundary>(j, 2, BoundaryName, path,
                                                             "a boundary: Start or End"));
      return Arg::OfBoundary(b);
    }
    case ArgKind::kDelimiter:
      if (j.is_string() && j.get_ref<const std::string&>().size() == 1 &&
          IsDelimiter(j.get_ref<const std::string&>()[0])) {
        return Arg::Delimiter(j.get_ref<const std::string&>()[0]);
      }
      return Fault(path, "expected a one-character delimiter string");
    case ArgKind::kString:
      if (j.is_string()) return Arg::String(j.get<std::string>());
      return Fault(path, "expected a string");
    case ArgKind::kFormat:
      if (j.is_string()) return Arg::FormatCode(j.get<std::string>());
      return Fault(path, "expected a number format code string such as \"#,##0.00\"");
    case ArgKind::kDecimal: {
      // A string keeps the value exact; a JSON integer is exact too.
      std::optional<Decimal> d;
      if (j.is_string()) {
        d = ParseDecimalConstant(j.get_ref<const std::string&>());
      } else if (j.is_number_integer()) {
        d = Decimal::FromInt(j.get<int64_t>());
      }
      if (!d) return Fault(path, "expected a decimal number as a string, such as \"0.05\"");
      return Arg::OfDecimal(*d);
    }
    case ArgKind::kMark: {
      FS_ASSIGN_OR_RETURN(DecimalMark m,
                          EnumFromJson<DecimalMark>(j, kNumDecimalMarks, DecimalMarkName, path,
                                                    "a decimal mark: Dot, Comma or Guess"));
      return Arg::OfMark(m);
    }
    case ArgKind::kScale: {
      FS_ASSIGN_OR_RETURN(int k, IntFromJson(j, path));
      return Arg::Scale(k);
    }
    case ArgKind::kRounding: {
      FS_ASSIGN_OR_RETURN(RoundingMode m,
                          EnumFromJson<RoundingMode>(j, kNumRoundingModes, RoundingName, path,
                                                     "a rounding such as Nearest or Floor"));
      return Arg::OfRounding(m);
    }
    case ArgKind::kBinEdge: {
      FS_ASSIGN_OR_RETURN(BinEdge e, EnumFromJson<BinEdge>(j, kNumBinEdges, BinEdgeName, path,
                                                           "a bin edge: Low, High or HighInclusive"));
      return Arg::OfBinEdge(e);
    }
    case ArgKind::kMarks: {
      FS_ASSIGN_OR_RETURN(NumberMarks m,
                          EnumFromJson<NumberMarks>(j, kNumNumberMarks, NumberMarksName, path,
                                                    "number marks such as Dot or Comma"));
      return Arg::OfMarks(m);
    }
    case ArgKind::kSign: {
      FS_ASSIGN_OR_RETURN(SignStyle st, EnumFromJson<SignStyle>(j, kNumSignStyles, SignName, path,
                                                                "a sign style: Minus, Plus or Parens"));
      return Arg::OfSign(st);
    }
  }
  return Fault(path, "unknown argument kind");
}

absl::StatusOr<int> ColumnFromJson(const Json& object, const std::string& path) {
  if (!object.contains("column")) return 0;
  FS_ASSIGN_OR_RETURN(int column, IntFromJson(object["column"], path + ".column"));
  if (column < 1 || column > kMaxColumns) {
    return Fault(path + ".column", absl::StrCat("expected a column from 1 to ", kMaxColumns));
  }
  return column - 1;
}

absl::StatusOr<Expr> ExprFromJson(const Json& j, const std::string& path, int depth) {
  if (!j.is_object()) return Fault(path, "expected an object with \"op\"");
  if (depth > kMaxNesting) return Fault(path, absl::StrCat("nesting deeper than ", kMaxNesting));
  if (!j.contains("op") || !j["op"].is_string()) return Fault(path, "expected \"op\": a name");
  const std::optional<Op> op = OpByName(j["op"].get<std::string>());
  if (!op) return Fault(path + ".op", "unknown operator " + j["op"].get<std::string>());
  const OpInfo& info = GetOpInfo(*op);
  const Json args_json = j.contains("args") ? j["args"] : Json::array();
  if (!args_json.is_array() || args_json.size() != info.args.size()) {
    return Fault(path + ".args",
                 absl::StrCat("expected a list of ", info.args.size(), " arguments"));
  }
  std::vector<Arg> args;
  for (size_t i = 0; i < info.args.size(); ++i) {
    FS_ASSIGN_OR_RETURN(Arg a, ArgFromJson(args_json[i], info.args[i],
                                           absl::StrCat(path, ".args[", i, "]")));
    args.push_back(std::move(a));
  }
  if (info.kind == OpKind::kConst) return Expr::ConstStr(args[0].text());
  if (j.contains("source")) {
    if (info.kind != OpKind::kModification) {
      return Fault(path + ".source", "only a modification takes a source");
    }
    FS_ASSIGN_OR_RETURN(Expr inner, ExprFromJson(j["source"], path + ".source", depth + 1));
    return Expr::Modification(*op, std::move(args), std::move(inner));
  }
  FS_ASSIGN_OR_RETURN(int column, ColumnFromJson(j, path));
  return Expr::Substring(*op, std::move(args), column);
}

absl::StatusOr<std::vector<Expr>> ConcatFromJson(const Json& j, const std::string& path) {
  if (!j.is_array() || j.empty()) return Fault(path, "expected a non-empty list of expressions");
  std::vector<Expr> body;
  for (size_t i = 0; i < j.size(); ++i) {
    FS_ASSIGN_OR_RETURN(Expr e, ExprFromJson(j[i], absl::StrCat(path, "[", i, "]"), 0));
    body.push_back(std::move(e));
  }
  return body;
}

absl::StatusOr<MatchLiteral> LiteralFromJson(const Json& j, const std::string& path) {
  if (!j.is_object()) return Fault(path, "expected a Match object");
  MatchLiteral m;
  FS_ASSIGN_OR_RETURN(m.column, ColumnFromJson(j, path));
  if (!j.contains("regex")) return Fault(path, "expected \"regex\"");
  FS_ASSIGN_OR_RETURN(m.regex, RegexFromJson(j["regex"], path + ".regex"));
  if (j.contains("count")) {
    FS_ASSIGN_OR_RETURN(m.count, IntFromJson(j["count"], path + ".count"));
  }
  if (j.contains("negated")) {
    if (!j["negated"].is_boolean()) return Fault(path + ".negated", "expected true or false");
    m.negated = j["negated"].get<bool>();
  }
  return m;
}

absl::StatusOr<Branch> BranchFromJson(const Json& j, const std::string& path) {
  if (!j.is_object()) return Fault(path, "expected {\"when\": [...], \"concat\": [...]}");
  Branch b;
  if (j.contains("when")) {
    if (!j["when"].is_array()) return Fault(path + ".when", "expected a list of Match objects");
    for (size_t i = 0; i < j["when"].size(); ++i) {
      FS_ASSIGN_OR_RETURN(MatchLiteral m, LiteralFromJson(j["when"][i],
                                                          absl::StrCat(path, ".when[", i, "]")));
      b.condition.push_back(m);
    }
  }
  if (!j.contains("concat")) return Fault(path, "expected \"concat\"");
  FS_ASSIGN_OR_RETURN(b.body, ConcatFromJson(j["concat"], path + ".concat"));
  return b;
}

absl::StatusOr<Program> ProgramFromJsonUnchecked(const Json& json) {
  if (json.is_object() && json.contains("concat")) {
    FS_ASSIGN_OR_RETURN(std::vector<Expr> body, ConcatFromJson(json["concat"], "concat"));
    return Program::Concat(std::move(body));
  }
  if (json.is_object() && json.contains("switch") && json["switch"].is_array() &&
      !json["switch"].empty()) {
    std::vector<Branch> cases;
    for (size_t i = 0; i < json["switch"].size(); ++i) {
      FS_ASSIGN_OR_RETURN(Branch b, BranchFromJson(json["switch"][i],
                                                   absl::StrCat("switch[", i, "]")));
      cases.push_back(std::move(b));
    }
    return Program::Switch(std::move(cases));
  }
  return Fault("$", "expected {\"concat\": [...]} or {\"switch\": [...]}");
}

}  // namespace

nlohmann::json ExprToJson(const Expr& expr) {
  Json j;
  j["op"] = std::string(GetOpInfo(expr.op()).name);
  Json args = Json::array();
  for (const Arg& a : expr.args()) args.push_back(ArgToJson(a));
  j["args"] = std::move(args);
  if (const Expr* inner = expr.inner()) {
    j["source"] = ExprToJson(*inner);
  } else if (expr.kind() != OpKind::kConst) {
    j["column"] = expr.column() + 1;
  }
  return j;
}

nlohmann::json ProgramToJson(const Program& program) {
  if (!program.is_switch()) return Json{{"concat", ConcatToJson(program.exprs())}};
  Json cases = Json::array();
  for (const Branch& b : program.branches()) {
    Json when = Json::array();
    for (const MatchLiteral& m : b.condition) {
      when.push_back(Json{{"column", m.column + 1},
                          {"regex", RegexToJson(m.regex)},
                          {"count", m.count},
                          {"negated", m.negated}});
    }
    cases.push_back(Json{{"when", std::move(when)}, {"concat", ConcatToJson(b.body)}});
  }
  return Json{{"switch", std::move(cases)}};
}

absl::StatusOr<Program> ProgramFromJson(const nlohmann::json& json) {
  try {
    FS_ASSIGN_OR_RETURN(Program p, ProgramFromJsonUnchecked(json));
    FS_RETURN_IF_ERROR(Validate(p));
    return p;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("malformed program JSON: ", e.what()));
  }
}

}  // namespace flashsynth::dsl
