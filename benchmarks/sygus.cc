#include "benchmarks/sygus.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dsl/status_macros.h"

namespace flashsynth::bench {
namespace {

// Deeper nesting is refused, so that nothing below recurses without bound
// (a vector-of-children tree is destroyed recursively).
constexpr int kMaxDepth = 1000;

struct Position {
  int line = 1;
  int column = 1;
};

absl::Status ErrorAt(Position pos, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", pos.line, ", column ", pos.column, ": ", ToAbsl(message)));
}

// One s-expression. `text` holds a symbol's name, a numeral's digits (with a
// leading '-' for v1's negative literals) or a string literal's decoded
// contents.
struct SExpr {
  enum class Kind { kList, kSymbol, kNumeral, kString };
  Kind kind = Kind::kList;
  std::string text;
  std::vector<SExpr> items;  // kList only
  Position pos;

  bool is_list() const { return kind == Kind::kList; }
  bool IsSymbol(std::string_view name) const { return kind == Kind::kSymbol && text == name; }
  // The list's head symbol, or "" when it has none.
  std::string_view Head() const {
    return is_list() && !items.empty() && items[0].kind == Kind::kSymbol
               ? std::string_view(items[0].text)
               : std::string_view();
  }
};

// Appends the UTF-8 encoding of `cp` (at most 0x10FFFF, not a surrogate).
void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads `count` hex digits at s[i..]; nullopt when one is not a hex digit.
std::optional<uint32_t> HexDigits(std::string_view s, size_t i, size_t count) {
  if (i + count > s.size()) return std::nullopt;
  uint32_t v = 0;
  for (size_t k = 0; k < count; ++k) {
    const int d = HexValue(s[i + k]);
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<uint32_t>(d);
  }
  return v;
}

// An escape starting at the backslash s[i]: its code point and length, or
// nullopt when the backslash is an ordinary character.
struct Escape {
  uint32_t code_point;
  size_t length;
};
std::optional<Escape> ReadEscape(std::string_view s, size_t i) {
  if (i + 1 >= s.size()) return std::nullopt;
  if (s[i + 1] == 'x') {  // CVC4 / SyGuS v1: \xHH
    if (std::optional<uint32_t> v = HexDigits(s, i + 2, 2)) return Escape{*v, 4};
    return std::nullopt;
  }
  if (s[i + 1] != 'u') return std::nullopt;
  if (i + 2 < s.size() && s[i + 2] == '{') {  // SMT-LIB 2.6: \u{d} .. \u{d4d3d2d1d0}, d4 <= 2
    const size_t close = s.find('}', i + 3);
    if (close == std::string_view::npos) return std::nullopt;
    const size_t digits = close - (i + 3);
    if (digits < 1 || digits > 5) return std::nullopt;
    std::optional<uint32_t> v = HexDigits(s, i + 3, digits);
    if (!v || *v > 0x2FFFF) return std::nullopt;
    return Escape{*v, digits + 4};
  }
  if (std::optional<uint32_t> v = HexDigits(s, i + 2, 4)) return Escape{*v, 6};  // \ud3d2d1d0
  return std::nullopt;
}

// Splits text into s-expressions, tracking line and column.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  // All top-level s-expressions.
  absl::StatusOr<std::vector<SExpr>> ReadAll() {
    std::vector<SExpr> stack;  // open lists; the bottom one collects the top level
    stack.emplace_back();
    while (true) {
      SkipSpaceAndComments();
      if (i_ >= text_.size()) break;
      const Position pos = pos_;
      const char c = text_[i_];
      if (c == '(') {
        if (static_cast<int>(stack.size()) > kMaxDepth) {
          return ErrorAt(pos, absl::StrCat("nesting deeper than ", kMaxDepth, " lists"));
        }
        Advance();
        SExpr list;
        list.pos = pos;
        stack.push_back(std::move(list));
      } else if (c == ')') {
        if (stack.size() == 1) return ErrorAt(pos, "unbalanced ')': no list is open");
        Advance();
        SExpr done = std::move(stack.back());
        stack.pop_back();
        stack.back().items.push_back(std::move(done));
      } else {
        FS_ASSIGN_OR_RETURN(SExpr atom, ReadAtom());
        stack.back().items.push_back(std::move(atom));
      }
    }
    if (stack.size() > 1) {
      return ErrorAt(stack.back().pos, "unbalanced '(': this list is never closed");
    }
    return std::move(stack.front().items);
  }

  Position end() const { return pos_; }

 private:
  // Moves past text_[i_], keeping the position: a column is a character
  // (UTF-8 continuation bytes and CR do not count).
  void Advance() {
    const unsigned char c = static_cast<unsigned char>(text_[i_++]);
    if (c == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if (c != '\r' && (c & 0xC0) != 0x80) {
      ++pos_.column;
    }
  }

  static bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  }
  static bool EndsSymbol(char c) {
    return IsSpace(c) || c == '(' || c == ')' || c == '"' || c == ';' || c == '|';
  }

  void SkipSpaceAndComments() {
    while (i_ < text_.size()) {
      if (IsSpace(text_[i_])) {
        Advance();
      } else if (text_[i_] == ';') {
        while (i_ < text_.size() && text_[i_] != '\n') Advance();
      } else {
        return;
      }
    }
  }

  absl::StatusOr<SExpr> ReadAtom() {
    SExpr atom;
    atom.pos = pos_;
    const char c = text_[i_];
    if (c == '"') {
      atom.kind = SExpr::Kind::kString;
      FS_ASSIGN_OR_RETURN(atom.text, ReadString());
      return atom;
    }
    atom.kind = SExpr::Kind::kSymbol;
    if (c == '|') {  // |quoted symbol|: any characters but '|'
      Advance();
      while (i_ < text_.size() && text_[i_] != '|') {
        atom.text += text_[i_];
        Advance();
      }
      if (i_ >= text_.size()) return ErrorAt(atom.pos, "unterminated |quoted symbol|");
      Advance();
      return atom;
    }
    while (i_ < text_.size() && !EndsSymbol(text_[i_])) {
      atom.text += text_[i_];
      Advance();
    }
    const std::string_view digits =
        atom.text.size() > 1 && atom.text[0] == '-' ? std::string_view(atom.text).substr(1)
                                                    : std::string_view(atom.text);
    if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos) {
      atom.kind = SExpr::Kind::kNumeral;
    }
    return atom;
  }

  // A string literal at text_[i_] == '"': "" is one quote, escapes decoded.
  absl::StatusOr<std::string> ReadString() {
    const Position open = pos_;
    Advance();
    std::string out;
    while (true) {
      if (i_ >= text_.size()) return ErrorAt(open, "unterminated string literal");
      const char c = text_[i_];
      if (c == '"') {
        Advance();
        if (i_ < text_.size() && text_[i_] == '"') {
          out += '"';
          Advance();
          continue;
        }
        return out;
      }
      if (c == '\\') {
        if (std::optional<Escape> e = ReadEscape(text_, i_)) {
          if (e->code_point >= 0xD800 && e->code_point <= 0xDFFF) {
            return ErrorAt(pos_, absl::StrCat("escape ", ToAbsl(text_.substr(i_, e->length)),
                                              " is a surrogate code point, not a character"));
          }
          AppendUtf8(e->code_point, out);
          for (size_t k = 0; k < e->length; ++k) Advance();
          continue;
        }
      }
      out += c;
      Advance();
    }
  }

  std::string_view text_;
  size_t i_ = 0;
  Position pos_;
};

// The s-expression as SMT-LIB text (for sorts and literals of other sorts).
std::string ToText(const SExpr& e) {
  switch (e.kind) {
    case SExpr::Kind::kSymbol:
    case SExpr::Kind::kNumeral:
      return e.text;
    case SExpr::Kind::kString: {
      std::string out = "\"";
      for (char c : e.text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      return out + "\"";
    }
    case SExpr::Kind::kList:
      break;
  }
  std::vector<std::string> parts;
  for (const SExpr& item : e.items) parts.push_back(ToText(item));
  return absl::StrCat("(", absl::StrJoin(parts, " "), ")");
}

std::string Describe(const SExpr& e) {
  switch (e.kind) {
    case SExpr::Kind::kString:
      return "a String literal";
    case SExpr::Kind::kNumeral:
      return absl::StrCat("the numeral ", e.text);
    case SExpr::Kind::kSymbol:
      return absl::StrCat("the symbol ", e.text);
    case SExpr::Kind::kList:
      break;
  }
  return absl::StrCat("the term ", ToText(e));
}

// The value of a literal of sort `sort` as text (see SygusExample).
absl::StatusOr<std::string> LiteralValue(const SExpr& e, const std::string& sort) {
  if (sort == "String") {
    if (e.kind == SExpr::Kind::kString) return e.text;
  } else if (sort == "Int") {
    if (e.kind == SExpr::Kind::kNumeral) return e.text;
    // v2: (- 5)
    if (e.Head() == "-" && e.items.size() == 2 && e.items[1].kind == SExpr::Kind::kNumeral &&
        e.items[1].text[0] != '-') {
      return e.items[1].text == "0" ? std::string("0") : "-" + e.items[1].text;
    }
  } else if (sort == "Bool") {
    if (e.IsSymbol("true") || e.IsSymbol("false")) return e.text;
  } else {
    return ToText(e);  // a sort we do not model: keep the literal as written
  }
  return ErrorAt(e.pos, absl::StrCat("expected a literal of sort ", sort, ", found ", Describe(e)));
}

absl::Status ReadSynthFun(const SExpr& cmd, SygusTask& task) {
  // (synth-fun NAME ((p S) ...) SORT [grammar...])
  if (cmd.items.size() < 4 || cmd.items[1].kind != SExpr::Kind::kSymbol ||
      !cmd.items[2].is_list()) {
    return ErrorAt(cmd.pos, "expected (synth-fun NAME ((PARAM SORT) ...) SORT ...)");
  }
  task.function = cmd.items[1].text;
  for (const SExpr& p : cmd.items[2].items) {
    if (!p.is_list() || p.items.size() != 2 || p.items[0].kind != SExpr::Kind::kSymbol) {
      return ErrorAt(p.pos, "expected a parameter (NAME SORT)");
    }
    task.params.push_back({p.items[0].text, ToText(p.items[1])});
  }
  task.return_sort = ToText(cmd.items[3]);
  return absl::OkStatus();
}

absl::Status ReadConstraint(const SExpr& cmd, SygusTask& task) {
  if (cmd.items.size() != 2) return ErrorAt(cmd.pos, "expected (constraint TERM)");
  const SExpr& eq = cmd.items[1];
  const std::string example_shape = absl::StrCat("expected an example (= (", task.function,
                                                 " LITERAL...) LITERAL)");
  if (eq.Head() != "=" || eq.items.size() != 3) return ErrorAt(eq.pos, example_shape);
  // Either order: (= (f in...) out) or (= out (f in...)).
  const bool call_first = eq.items[1].Head() == task.function;
  const bool call_second = eq.items[2].Head() == task.function;
  if (call_first == call_second) return ErrorAt(eq.pos, example_shape);
  const SExpr& call = call_first ? eq.items[1] : eq.items[2];
  const SExpr& result = call_first ? eq.items[2] : eq.items[1];
  const size_t num_args = call.items.size() - 1;
  if (num_args != task.params.size()) {
    return ErrorAt(call.pos, absl::StrCat(task.function, " takes ", task.params.size(),
                                          " argument(s), this call passes ", num_args));
  }
  SygusExample example;
  example.line = cmd.pos.line;
  for (size_t k = 0; k < num_args; ++k) {
    FS_ASSIGN_OR_RETURN(std::string value, LiteralValue(call.items[k + 1], task.params[k].sort));
    example.inputs.push_back(std::move(value));
  }
  FS_ASSIGN_OR_RETURN(example.output, LiteralValue(result, task.return_sort));
  task.examples.push_back(std::move(example));
  return absl::OkStatus();
}

}  // namespace

std::string SygusTask::Signature() const {
  std::vector<std::string> sorts;
  for (const SygusParam& p : params) sorts.push_back(p.sort);
  return absl::StrCat("(", absl::StrJoin(sorts, ","), ")->", return_sort);
}

absl::StatusOr<SygusTask> ParseSygus(std::string_view text) {
  Reader reader(text);
  FS_ASSIGN_OR_RETURN(std::vector<SExpr> commands, reader.ReadAll());
  SygusTask task;
  bool have_function = false;
  for (const SExpr& cmd : commands) {
    if (!cmd.is_list() || cmd.Head().empty()) {
      return ErrorAt(cmd.pos, absl::StrCat("expected a command (NAME ...), found ", Describe(cmd)));
    }
    const std::string_view head = cmd.Head();
    if (head == "set-logic") {
      if (cmd.items.size() != 2) return ErrorAt(cmd.pos, "expected (set-logic NAME)");
      task.logic = ToText(cmd.items[1]);
    } else if (head == "synth-fun") {
      if (have_function) {
        return ErrorAt(cmd.pos, "a second synth-fun: only one function per PBE task is supported");
      }
      FS_RETURN_IF_ERROR(ReadSynthFun(cmd, task));
      have_function = true;
    } else if (head == "declare-var") {
      if (cmd.items.size() != 3 || cmd.items[1].kind != SExpr::Kind::kSymbol) {
        return ErrorAt(cmd.pos, "expected (declare-var NAME SORT)");
      }
    } else if (head == "constraint") {
      if (!have_function) return ErrorAt(cmd.pos, "a constraint before the synth-fun");
      FS_RETURN_IF_ERROR(ReadConstraint(cmd, task));
    }
    // check-synth, set-option, set-info, define-fun, ...: nothing a PBE
    // benchmark needs.
  }
  if (!have_function) return ErrorAt(reader.end(), "no synth-fun in the problem");
  if (task.examples.empty()) {
    return ErrorAt(reader.end(), absl::StrCat("no examples: no (constraint (= (", task.function,
                                              " ...) ...))"));
  }
  task.all_string = task.return_sort == "String";
  for (const SygusParam& p : task.params) task.all_string = task.all_string && p.sort == "String";
  return task;
}

}  // namespace flashsynth::bench
