#include "synth/internal/evidence.h"

#include <algorithm>
#include <map>
#include <optional>

#include "dsl/text.h"

namespace flashsynth::synth::internal {

int SeamClass(char32_t c) {
  if (dsl::IsDigit(c)) return 1;
  if (dsl::IsUpper(c)) return 2;
  if (dsl::IsLetter(c)) return 3;
  return 4 + static_cast<int>(c);
}

bool IsSeam(const std::u32string& chars, size_t q) {
  if (q == 0 || q >= chars.size()) return true;
  const int a = SeamClass(chars[q - 1]), b = SeamClass(chars[q]);
  return a != b && !(a == 2 && b == 3);
}

namespace {

// The substring expression at the bottom of `e` (under case changes and
// other modifications), or null for constants and whole-column
// modifications.
const dsl::Expr* SubstringOf(const dsl::Expr& e) {
  const dsl::Expr* base = &e;
  while (base->inner() != nullptr) base = base->inner();
  return base->kind() == dsl::OpKind::kSubstring ? base : nullptr;
}

// Whether the substring's piece of `row` lies at seams of its cell (judged
// at the piece's first occurrence); nullopt when it cannot be judged.
std::optional<bool> AtSeams(const dsl::Expr& substring, absl::Span<const std::string> row) {
  std::optional<std::string> piece = dsl::EvaluateExpr(substring, row);
  if (!piece) return std::nullopt;
  if (piece->empty()) return false;
  const std::string& cell = row[substring.column()];
  const size_t at = cell.find(*piece);
  if (at == std::string::npos) return std::nullopt;
  std::u32string chars;
  size_t begin = 0, end = 0;
  for (size_t pos = 0; pos < cell.size();) {
    if (pos == at) begin = chars.size();
    if (pos == at + piece->size()) end = chars.size();
    chars.push_back(dsl::DecodeUtf8(cell, &pos));
  }
  if (at + piece->size() == cell.size()) end = chars.size();
  return IsSeam(chars, begin) && IsSeam(chars, end);
}

// The body that runs on `row`, or null.
const std::vector<dsl::Expr>* BodyFor(const dsl::Program& p, absl::Span<const std::string> row) {
  for (const dsl::Branch& b : p.branches()) {
    const std::optional<bool> holds = dsl::EvaluateCondition(b.condition, row);
    if (!holds) return nullptr;
    if (*holds) return &b.body;
  }
  return nullptr;
}

}  // namespace

double SeamPenalty(const dsl::Program& program, absl::Span<const Example> examples,
                   absl::Span<const dsl::Row> rows) {
  if (rows.empty()) return 0;
  // Substrings at seams on every example whose case ran them.
  std::vector<const dsl::Expr*> judged;
  for (const dsl::Branch& branch : program.branches()) {
    for (const dsl::Expr& e : branch.body) {
      const dsl::Expr* s = SubstringOf(e);
      if (s == nullptr) continue;
      bool always = true, seen = false;
      for (const Example& ex : examples) {
        if (BodyFor(program, ex.inputs) != &branch.body) continue;
        seen = true;
        if (AtSeams(*s, ex.inputs) != true) {
          always = false;
          break;
        }
      }
      if (seen && always) judged.push_back(s);
    }
  }
  if (judged.empty()) return 0;
  double breaks = 0;
  for (const dsl::Row& row : rows) {
    const std::vector<dsl::Expr>* body = BodyFor(program, row);
    if (body == nullptr) continue;
    for (const dsl::Expr& e : *body) {
      const dsl::Expr* s = SubstringOf(e);
      if (s == nullptr || std::find(judged.begin(), judged.end(), s) == judged.end()) continue;
      if (AtSeams(*s, row) == false) breaks += 1;
    }
  }
  return kSeamCharge * breaks / static_cast<double>(rows.size());
}

namespace {

// Occurrences of each punctuation character of `text`.
std::map<char32_t, int> Punctuation(const std::string& text) {
  std::map<char32_t, int> counts;
  for (size_t pos = 0; pos < text.size();) {
    const char32_t c = dsl::DecodeUtf8(text, &pos);
    if (!dsl::IsLetter(c) && !dsl::IsDigit(c) && !dsl::IsSpace(c)) ++counts[c];
  }
  return counts;
}

// The text a program writes on `row` outside its Format expressions (whose
// marks and decimals vary with the value), or nullopt when it writes none.
std::optional<std::string> TextOutsideNumbers(const dsl::Program& program,
                                              absl::Span<const std::string> row) {
  const std::vector<dsl::Expr>* body = BodyFor(program, row);
  if (body == nullptr) return std::nullopt;
  std::string out;
  for (const dsl::Expr& e : *body) {
    if (e.op() == dsl::Op::kFormat) continue;
    std::optional<std::string> part = dsl::EvaluateExpr(e, row);
    if (!part) return std::nullopt;
    out += *part;
  }
  return out;
}

}  // namespace

double ShapePenalty(const dsl::Program& program, absl::Span<const Example> examples,
                    absl::Span<const dsl::Row> rows) {
  if (rows.empty() || examples.empty()) return 0;
  // Range of each character's count over the example outputs; a character
  // missing from an output counts 0 there.
  std::map<char32_t, std::pair<int, int>> range;
  const bool formats = dsl::ReadsNumbers(program);
  std::vector<std::map<char32_t, int>> seen;
  for (const Example& e : examples) {
    // The program fits the examples, so this is the output but its numbers.
    const std::optional<std::string> text =
        formats ? TextOutsideNumbers(program, e.inputs) : std::nullopt;
    seen.push_back(Punctuation(text.value_or(e.output)));
  }
  for (const auto& counts : seen) {
    for (const auto& [c, n] : counts) range.emplace(c, std::make_pair(n, n));
  }
  for (auto& [c, lo_hi] : range) {
    for (const auto& counts : seen) {
      const auto it = counts.find(c);
      const int n = it == counts.end() ? 0 : it->second;
      lo_hi.first = std::min(lo_hi.first, n);
      lo_hi.second = std::max(lo_hi.second, n);
    }
  }
  int off = 0;
  for (const dsl::Row& row : rows) {
    const std::optional<std::string> out =
        formats ? TextOutsideNumbers(program, row) : dsl::Evaluate(program, row);
    if (!out) continue;
    const std::map<char32_t, int> counts = Punctuation(*out);
    bool in_range = true;
    for (const auto& [c, n] : counts) {
      const auto it = range.find(c);
      if (it == range.end() || n < it->second.first || n > it->second.second) in_range = false;
    }
    for (const auto& [c, lo_hi] : range) {
      if (lo_hi.first > 0 && counts.find(c) == counts.end()) in_range = false;
    }
    if (!in_range) ++off;
  }
  return kShapeCharge * off / static_cast<double>(rows.size());
}

}  // namespace flashsynth::synth::internal
