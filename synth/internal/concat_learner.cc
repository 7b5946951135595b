#include "synth/internal/concat_learner.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "dsl/interpreter.h"
#include "dsl/match.h"
#include "dsl/text.h"
#include "synth/internal/evidence.h"
#include "synth/internal/number_atoms.h"
#include "synth/internal/regex_slots.h"

namespace flashsynth::synth::internal {
namespace {

using dsl::Arg;
using dsl::Boundary;
using dsl::Expr;
using dsl::Op;
using dsl::Regex;
using dsl::TokenType;

// ---------------------------------------------------------------------------
// Hashed text: substring equality in O(1), exact and case-insensitive.

constexpr uint64_t kMod = (uint64_t{1} << 61) - 1;
constexpr uint64_t kBase = 0x1F3D5B79A1ULL % kMod;

uint64_t MulMod(uint64_t a, uint64_t b) {
  const __uint128_t p = static_cast<__uint128_t>(a) * b;
  uint64_t r = static_cast<uint64_t>(p & kMod) + static_cast<uint64_t>(p >> 61);
  return r >= kMod ? r - kMod : r;
}

// One character lower-cased, when its lower case is one character.
char32_t LowerChar(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  std::string s;
  dsl::AppendUtf8(c, &s);
  const std::string lower = dsl::ToLower(s);
  size_t pos = 0;
  const char32_t l = dsl::DecodeUtf8(lower, &pos);
  return pos == lower.size() ? l : c;
}

class PowTable {
 public:
  explicit PowTable(size_t max_len) : pow_(max_len + 1) {
    pow_[0] = 1;
    for (size_t i = 1; i <= max_len; ++i) pow_[i] = MulMod(pow_[i - 1], kBase);
  }
  uint64_t operator[](size_t i) const { return pow_[i]; }

 private:
  std::vector<uint64_t> pow_;
};

struct HashedText {
  std::string utf8;
  std::vector<size_t> offsets;  // byte offset of each character, then size
  std::u32string chars;
  std::u32string lower;
  std::vector<uint64_t> hash;        // prefix hashes of chars
  std::vector<uint64_t> lower_hash;  // prefix hashes of lower

  explicit HashedText(std::string text) : utf8(std::move(text)) {
    offsets = dsl::CharOffsets(utf8);
    chars.reserve(offsets.size());
    for (size_t i = 0; i + 1 < offsets.size(); ++i) {
      size_t pos = offsets[i];
      chars.push_back(dsl::DecodeUtf8(utf8, &pos));
    }
    lower.resize(chars.size());
    for (size_t i = 0; i < chars.size(); ++i) lower[i] = LowerChar(chars[i]);
    hash = Prefix(chars);
    lower_hash = Prefix(lower);
  }
  size_t size() const { return chars.size(); }
  std::string_view Slice(size_t b, size_t e) const {
    return std::string_view(utf8).substr(offsets[b], offsets[e] - offsets[b]);
  }
  uint64_t Hash(const PowTable& pow, size_t b, size_t e) const { return Sub(hash, pow, b, e); }
  uint64_t LowerHash(const PowTable& pow, size_t b, size_t e) const {
    return Sub(lower_hash, pow, b, e);
  }

 private:
  static std::vector<uint64_t> Prefix(const std::u32string& s) {
    std::vector<uint64_t> h(s.size() + 1, 0);
    for (size_t i = 0; i < s.size(); ++i) h[i + 1] = (MulMod(h[i], kBase) + s[i] + 1) % kMod;
    return h;
  }
  static uint64_t Sub(const std::vector<uint64_t>& h, const PowTable& pow, size_t b, size_t e) {
    return (h[e] + kMod - MulMod(h[b], pow[e - b])) % kMod;
  }
};

// Longest common extension of a[i..] and b[j..] under `eq` (binary search
// over prefix hashes).
template <typename HashFn>
size_t CommonExtension(size_t a_len, size_t i, size_t b_len, size_t j, HashFn same) {
  size_t lo = 0, hi = std::min(a_len - i, b_len - j);
  while (lo < hi) {
    const size_t mid = (lo + hi + 1) / 2;
    if (same(mid)) lo = mid; else hi = mid - 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------
// Regexes are numbered by slot (regex_slots.h).

int IndexOfSlot(int i) { return i < dsl::kMaxIndex ? i + 1 : dsl::kMaxIndex - 1 - i; }  // 0..9 -> 1..5,-1..-5
constexpr int kNumIndexSlots = 2 * dsl::kMaxIndex;

// A GetSpan side: regex, index, boundary, numbered densely.
constexpr int kNumBoundaryDescs = kNumRegexes * kNumIndexSlots * 2;
struct BoundaryDesc {
  int regex_slot, index;
  Boundary boundary;
};
BoundaryDesc DecodeBoundary(int id) {
  return {id / (kNumIndexSlots * 2), IndexOfSlot((id / 2) % kNumIndexSlots),
          id % 2 == 0 ? Boundary::kStart : Boundary::kEnd};
}

// A position on one text: >= 0, or kNoMatch (GetSpan gives ""), or kQuirk
// (the reference's index-out-of-range quirk: not used for learning).
constexpr int32_t kNoMatch = -1;
constexpr int32_t kQuirk = -2;

int32_t BoundaryValue(const std::vector<dsl::Span>& m, int index, Boundary y) {
  if (m.empty()) return kNoMatch;
  const auto n = static_cast<int64_t>(m.size());
  const int64_t j = index > 0 ? index - 1 : n + index;
  if (j < 0 || j >= n) return kQuirk;
  const dsl::Span& s = m[static_cast<size_t>(j)];
  return static_cast<int32_t>(y == Boundary::kStart ? s.begin : s.end);
}

// A substring of one text, [b, e); empty when b >= e.
struct Piece {
  int32_t b = 0, e = 0;
  int32_t size() const { return e > b ? e - b : 0; }
};

// ---------------------------------------------------------------------------
// The examples, indexed.

struct Cell {
  HashedText text;
  std::vector<std::vector<dsl::Span>> matches;  // per regex slot
  explicit Cell(const std::string& s) : text(s), matches(kNumRegexes) {
    const dsl::Utf8Text t(text.utf8);
    for (int r = 0; r < kNumRegexes; ++r) {
      const Regex regex = RegexAt(r);
      if (!regex.is_type() && text.utf8.find(regex.delimiter()) == std::string::npos) continue;
      matches[r] = dsl::FindMatches(t, regex);
    }
  }
};

// Where an output may be cut between two atoms when cuts are restricted:
// its seams (evidence.h: its ends and the changes of token class).
std::vector<char> CutPoints(const std::u32string& s) {
  std::vector<char> cut(s.size() + 1, 0);
  for (size_t q = 0; q <= s.size(); ++q) cut[q] = IsSeam(s, q);
  return cut;
}

struct IndexedExample {
  std::vector<Cell> cells;
  HashedText out;
  std::vector<char> cuts;  // CutPoints(out)
  IndexedExample(const Example& e) : out(e.output), cuts(CutPoints(out.chars)) {
    cells.reserve(e.inputs.size());
    for (const std::string& c : e.inputs) cells.emplace_back(c);
  }
};

// A substring expression whose piece on every example is known.
struct SpanAtom {
  Expr expr;
  double score;
  std::vector<Piece> pieces;  // per example
};

// Groups of GetSpan sides that give the same position on every example.
struct BoundaryGroup {
  std::vector<int32_t> pos;  // per example
  std::vector<int> descs;    // best first
};

// A whole-column modification and its value on every example.
struct ColumnAtom {
  Expr expr;
  double score;
  std::vector<uint64_t> hash;    // per example
  std::vector<int32_t> length;   // per example, in characters
};

using State = std::vector<int32_t>;

struct Atom {
  Expr expr;
  double score;
};

struct Edge {
  int child;
  std::vector<Atom> atoms;  // best first, at most alternatives_per_edge
};

struct Node {
  State pos;
  bool expanded = false;
  std::vector<Edge> edges;
};

// Number atoms kept per state, best first (many chains fit few examples).
constexpr int kMaxNumberAtomsPerState = 16;

std::string StateKey(const State& s) {
  return std::string(reinterpret_cast<const char*>(s.data()), s.size() * sizeof(int32_t));
}

// How desirable a GetSpan side is on its own, to order a group's members.
double SideCost(const BoundaryDesc& d) {
  const double regex = d.regex_slot < dsl::kNumTokenTypes ? 0.1 * d.regex_slot : 0.05;
  return regex + 0.2 * (std::abs(d.index) - 1) + (d.index < 0 ? 0.05 : 0);
}

class ConcatSearch {
 public:
  ConcatSearch(absl::Span<const Example> examples, const Ranker& ranker, const SearchLimits& limits,
               bool token_cuts)
      : ranker_(ranker), limits_(limits), pow_(MaxLength(examples) + 1), token_cuts_(token_cuts) {
    examples_.reserve(examples.size());
    for (const Example& e : examples) examples_.emplace_back(e);
    raw_ = examples;
    num_columns_ = static_cast<int>(examples.front().inputs.size());
  }

  ConcatResult Run();

 private:
  static size_t MaxLength(absl::Span<const Example> examples) {
    size_t m = 0;
    for (const Example& e : examples) {
      m = std::max(m, e.output.size());
      for (const std::string& c : e.inputs) m = std::max(m, c.size());
    }
    return m;
  }
  int m() const { return static_cast<int>(examples_.size()); }
  bool OutOfTime() {
    if (limits_.cancel != nullptr && limits_.cancel->load(std::memory_order_relaxed)) {
      cancelled_ = true;
      return true;
    }
    if (absl::Now() > limits_.deadline) {
      timed_out_ = true;
      return true;
    }
    return false;
  }

  void BuildAtoms();
  void BuildSpanAtoms(int column);
  void BuildBoundaryGroups(int column);
  void BuildColumnAtoms();
  void Expand(int node_id, std::vector<int>* stack);
  void AddSpanCandidates(const State& p, int pivot, int column, int s, int e,
                         absl::flat_hash_map<std::string, int>* edge_of, int node_id,
                         std::vector<int>* stack);
  // Checks a source giving `pieces` on every example against the outputs at
  // state `p`; on success adds the atom (and case variants) as edges.
  void TryPieces(const State& p, int column, const std::vector<Piece>& pieces, bool pivot_exact,
                 const std::function<Expr()>& make, absl::flat_hash_map<std::string, int>* edge_of,
                 int node_id, std::vector<int>* stack);
  void AddEdge(int node_id, State next, Expr expr, double score,
               absl::flat_hash_map<std::string, int>* edge_of, std::vector<int>* stack);
  std::vector<Candidate> ExtractPrograms();

  const Ranker& ranker_;
  SearchLimits limits_;
  PowTable pow_;
  // Pieces end only at CutPoints() of every output: far fewer states, and
  // programs that cut text at its seams generalize better.
  bool token_cuts_;
  absl::Span<const Example> raw_;
  std::vector<IndexedExample> examples_;
  int num_columns_ = 0;

  std::vector<std::vector<SpanAtom>> span_atoms_;          // per column
  std::vector<std::vector<BoundaryGroup>> groups_;         // per column
  std::vector<ColumnAtom> column_atoms_;
  std::unique_ptr<NumberAtoms> number_atoms_;
  // Per pivot example, per column: span atoms by their piece on the pivot,
  // and boundary groups by their position on the pivot.
  struct PivotIndex {
    absl::flat_hash_map<uint64_t, std::vector<int>> span_atoms_at;
    std::vector<std::vector<int>> groups_at;
  };
  absl::flat_hash_map<int, std::vector<PivotIndex>> pivot_index_;
  const std::vector<PivotIndex>& PivotIndexFor(int pivot);

  std::vector<Node> nodes_;
  absl::flat_hash_map<std::string, int> node_of_;
  bool timed_out_ = false;
  bool cancelled_ = false;
  bool bounded_ = false;
};

// --- Atoms independent of the state ----------------------------------------

void ConcatSearch::BuildAtoms() {
  span_atoms_.resize(num_columns_);
  groups_.resize(num_columns_);
  for (int c = 0; c < num_columns_; ++c) {
    BuildSpanAtoms(c);
    BuildBoundaryGroups(c);
  }
  BuildColumnAtoms();
  number_atoms_ = std::make_unique<NumberAtoms>(raw_, ranker_);
}

void ConcatSearch::BuildSpanAtoms(int column) {
  std::vector<SpanAtom>& atoms = span_atoms_[column];
  auto add = [&](Expr expr, auto piece_of) {
    SpanAtom a{expr, ranker_.ScoreExpr(expr), {}};
    a.pieces.reserve(m());
    bool any = false;
    for (const IndexedExample& ex : examples_) {
      const Cell& cell = ex.cells[column];
      a.pieces.push_back(piece_of(cell));
      any |= a.pieces.back().size() > 0;
    }
    if (any) atoms.push_back(std::move(a));
  };
  for (int t = 0; t < dsl::kNumTokenTypes; ++t) {
    for (int slot = 0; slot < kNumIndexSlots; ++slot) {
      const int index = IndexOfSlot(slot);
      add(Expr::Substring(Op::kGetToken, {Arg::OfType(static_cast<TokenType>(t)), Arg::Index(index)},
                          column),
          [&](const Cell& cell) {
            const auto& ms = cell.matches[t];
            const auto n = static_cast<int64_t>(ms.size());
            const int64_t j = index > 0 ? index - 1 : n + index;
            if (j < 0 || j >= n) return Piece{};
            return Piece{static_cast<int32_t>(ms[j].begin), static_cast<int32_t>(ms[j].end)};
          });
    }
  }
  for (int r = 0; r < kNumRegexes; ++r) {
    for (bool upto : {true, false}) {
      add(Expr::Substring(upto ? Op::kGetUpto : Op::kGetFrom, {Arg::OfRegex(RegexAt(r))}, column),
          [&](const Cell& cell) {
            const auto& ms = cell.matches[r];
            if (ms.empty()) return Piece{};
            const auto end = static_cast<int32_t>(ms.front().end);
            return upto ? Piece{0, end} : Piece{end, static_cast<int32_t>(cell.text.size())};
          });
    }
  }
}

void ConcatSearch::BuildBoundaryGroups(int column) {
  absl::flat_hash_map<std::string, int> group_of;
  std::vector<BoundaryGroup>& groups = groups_[column];
  std::vector<int32_t> pos(m());
  for (int id = 0; id < kNumBoundaryDescs; ++id) {
    const BoundaryDesc d = DecodeBoundary(id);
    bool useful = false;
    for (int k = 0; k < m(); ++k) {
      pos[k] = BoundaryValue(examples_[k].cells[column].matches[d.regex_slot], d.index, d.boundary);
      useful |= pos[k] >= 0;
    }
    if (!useful) continue;
    auto [it, fresh] = group_of.try_emplace(StateKey(pos), static_cast<int>(groups.size()));
    if (fresh) groups.push_back({pos, {}});
    groups[it->second].descs.push_back(id);
  }
  for (BoundaryGroup& g : groups) {
    std::stable_sort(g.descs.begin(), g.descs.end(), [](int a, int b) {
      return SideCost(DecodeBoundary(a)) < SideCost(DecodeBoundary(b));
    });
    if (g.descs.size() > 3) g.descs.resize(3);
  }
}

// Modifications of whole columns: a fixed pool, kept when their value on
// every example occurs in that example's output, one per distinct vector of
// values (observational equivalence).
void ConcatSearch::BuildColumnAtoms() {
  std::string output_delims;
  for (char d : dsl::kDelimiters) {
    for (const Example& e : raw_) {
      if (e.output.find(d) != std::string::npos) {
        output_delims.push_back(d);
        break;
      }
    }
  }
  absl::flat_hash_map<std::string, int> by_values;
  auto consider = [&](const Expr& expr) {
    ColumnAtom a{expr, 0, {}, {}};
    bool any = false;
    for (int k = 0; k < m(); ++k) {
      std::optional<std::string> v = dsl::EvaluateExpr(expr, raw_[k].inputs);
      if (!v || raw_[k].output.find(*v) == std::string::npos) return;
      const HashedText h(*v);
      a.hash.push_back(h.Hash(pow_, 0, h.size()));
      a.length.push_back(static_cast<int32_t>(h.size()));
      any |= h.size() > 0;
    }
    if (!any) return;
    a.score = ranker_.ScoreExpr(expr);
    std::string key(reinterpret_cast<const char*>(a.hash.data()), a.hash.size() * 8);
    auto [it, fresh] = by_values.try_emplace(key, static_cast<int>(column_atoms_.size()));
    if (fresh) {
      column_atoms_.push_back(std::move(a));
    } else if (a.score > column_atoms_[it->second].score) {
      column_atoms_[it->second] = std::move(a);
    }
  };
  for (int c = 0; c < num_columns_; ++c) {
    std::string input_delims;
    for (char d : dsl::kDelimiters) {
      for (const Example& e : raw_) {
        if (e.inputs[c].find(d) != std::string::npos) {
          input_delims.push_back(d);
          break;
        }
      }
    }
    std::vector<Expr> base;
    base.push_back(Expr::Modification(Op::kTrim, {}, c));
    for (int t = 0; t < dsl::kNumTokenTypes; ++t) {
      const Arg type = Arg::OfType(static_cast<TokenType>(t));
      base.push_back(Expr::Modification(Op::kGetAll, {type}, c));
      base.push_back(Expr::Modification(Op::kRemoveAll, {type}, c));
      for (int slot = 0; slot < kNumIndexSlots; ++slot) {
        const Arg index = Arg::Index(IndexOfSlot(slot));
        base.push_back(Expr::Modification(Op::kGetFirst, {type, index}, c));
        base.push_back(Expr::Modification(Op::kRemove, {type, index}, c));
      }
      for (char d : output_delims) {
        base.push_back(Expr::Modification(Op::kSubstituteAll, {type, Arg::String(std::string(1, d))}, c));
      }
    }
    for (char from : input_delims) {
      for (char to : output_delims) {
        if (from != to) base.push_back(Expr::Modification(Op::kReplace, {Arg::Delimiter(from), Arg::Delimiter(to)}, c));
      }
    }
    for (int s = 0; s < dsl::kNumCases; ++s) {
      const Arg case_arg = Arg::OfCase(static_cast<dsl::Case>(s));
      consider(Expr::Modification(Op::kToCase, {case_arg}, c));
      for (const Expr& b : base) consider(Expr::Modification(Op::kToCase, {case_arg}, b));
    }
    for (const Expr& b : base) consider(b);
    if (OutOfTime()) return;
  }
}

const std::vector<ConcatSearch::PivotIndex>& ConcatSearch::PivotIndexFor(int pivot) {
  auto it = pivot_index_.find(pivot);
  if (it != pivot_index_.end()) return it->second;
  std::vector<PivotIndex> index(num_columns_);
  for (int c = 0; c < num_columns_; ++c) {
    const auto& atoms = span_atoms_[c];
    for (int i = 0; i < static_cast<int>(atoms.size()); ++i) {
      const Piece pc = atoms[i].pieces[pivot];
      if (pc.size() == 0) continue;
      index[c].span_atoms_at[(uint64_t(pc.b) << 32) | uint32_t(pc.e)].push_back(i);
    }
    index[c].groups_at.resize(examples_[pivot].cells[c].text.size() + 1);
    const auto& groups = groups_[c];
    for (int g = 0; g < static_cast<int>(groups.size()); ++g) {
      const int32_t p = groups[g].pos[pivot];
      if (p >= 0) index[c].groups_at[p].push_back(g);
    }
  }
  return pivot_index_.emplace(pivot, std::move(index)).first->second;
}

// --- Expansion ---------------------------------------------------------------

void ConcatSearch::AddEdge(int node_id, State next, Expr expr, double score,
                           absl::flat_hash_map<std::string, int>* edge_of, std::vector<int>* stack) {
  if (token_cuts_) {
    for (int k = 0; k < m(); ++k) {
      if (!examples_[k].cuts[next[k]]) return;
    }
  }
  std::string key = StateKey(next);
  auto it = edge_of->find(key);
  if (it == edge_of->end()) {
    auto nit = node_of_.find(key);
    int child;
    if (nit != node_of_.end()) {
      child = nit->second;
    } else {
      if (static_cast<int64_t>(nodes_.size()) >= limits_.max_states) {
        bounded_ = true;
        return;
      }
      child = static_cast<int>(nodes_.size());
      nodes_.push_back({std::move(next), false, {}});
      node_of_.emplace(key, child);
      stack->push_back(child);
    }
    it = edge_of->emplace(std::move(key), static_cast<int>(nodes_[node_id].edges.size())).first;
    nodes_[node_id].edges.push_back({child, {}});
  }
  std::vector<Atom>& atoms = nodes_[node_id].edges[it->second].atoms;
  for (const Atom& a : atoms) {
    if (a.expr == expr) return;
  }
  atoms.push_back({std::move(expr), score});
  std::sort(atoms.begin(), atoms.end(), [](const Atom& a, const Atom& b) { return a.score > b.score; });
  if (static_cast<int>(atoms.size()) > limits_.alternatives_per_edge) atoms.pop_back();
}

void ConcatSearch::TryPieces(const State& p, int column, const std::vector<Piece>& pieces,
                             bool pivot_exact, const std::function<Expr()>& make,
                             absl::flat_hash_map<std::string, int>* edge_of, int node_id,
                             std::vector<int>* stack) {
  State next(p);
  bool exact = pivot_exact, folded = true;
  for (int k = 0; k < m() && (exact || folded); ++k) {
    const Piece pc = pieces[k];
    const HashedText& out = examples_[k].out;
    const HashedText& in = examples_[k].cells[column].text;
    const int32_t len = pc.size();
    if (p[k] + len > static_cast<int32_t>(out.size())) return;
    if (len == 0) continue;
    if (exact && in.Hash(pow_, pc.b, pc.e) != out.Hash(pow_, p[k], p[k] + len)) exact = false;
    if (folded && in.LowerHash(pow_, pc.b, pc.e) != out.LowerHash(pow_, p[k], p[k] + len)) folded = false;
    next[k] = p[k] + len;
  }
  if (exact) {
    Expr e = make();
    const double score = ranker_.ScoreExpr(e);
    AddEdge(node_id, std::move(next), std::move(e), score, edge_of, stack);
    return;
  }
  if (!folded) return;
  const Expr source = make();
  for (int s = 0; s < dsl::kNumCases; ++s) {
    const auto case_value = static_cast<dsl::Case>(s);
    bool ok = true;
    for (int k = 0; k < m() && ok; ++k) {
      const Piece pc = pieces[k];
      if (pc.size() == 0) continue;
      const std::string_view text = examples_[k].cells[column].text.Slice(pc.b, pc.e);
      std::string mapped;
      switch (case_value) {
        case dsl::Case::kProper: mapped = dsl::Capitalize(text); break;
        case dsl::Case::kAllCaps: mapped = dsl::ToUpper(text); break;
        case dsl::Case::kLower: mapped = dsl::ToLower(text); break;
        case dsl::Case::kTitle: mapped = dsl::ToTitle(text); break;
      }
      ok = mapped == examples_[k].out.Slice(p[k], next[k]);
    }
    if (!ok) continue;
    Expr e = Expr::Modification(Op::kToCase, {Arg::OfCase(case_value)}, source);
    const double score = ranker_.ScoreExpr(e);
    AddEdge(node_id, next, std::move(e), score, edge_of, stack);
  }
}

// SubStr's piece on a text of n characters, as the interpreter computes it.
Piece SubStrPiece(int64_t n, int k1, int k2) {
  const int64_t p1 = k1 > 0 ? k1 - 1 : n + k1;
  const int64_t p2 = k2 > 0 ? k2 - 1 : n + k2;
  if (p1 >= p2) return {};
  auto clamp = [n](int64_t q) { return std::clamp(q < 0 ? q + n : q, int64_t{0}, n); };
  const int64_t b = clamp(p1);
  const int64_t e = p2 == n ? n : clamp(p2 + 1);
  if (b >= e) return {};
  return {static_cast<int32_t>(b), static_cast<int32_t>(e)};
}

void ConcatSearch::AddSpanCandidates(const State& p, int pivot, int column, int s, int e,
                                     absl::flat_hash_map<std::string, int>* edge_of, int node_id,
                                     std::vector<int>* stack) {
  const HashedText& in = examples_[pivot].cells[column].text;
  const HashedText& out = examples_[pivot].out;
  const bool pivot_exact = in.Hash(pow_, s, e) == out.Hash(pow_, p[pivot], p[pivot] + (e - s));
  const PivotIndex& index = PivotIndexFor(pivot)[column];
  std::vector<Piece> pieces(m());

  // GetToken, GetUpto, GetFrom whose piece on the pivot is [s, e).
  auto it = index.span_atoms_at.find((uint64_t(s) << 32) | uint32_t(e));
  if (it != index.span_atoms_at.end()) {
    for (int i : it->second) {
      const SpanAtom& a = span_atoms_[column][i];
      TryPieces(p, column, a.pieces, pivot_exact, [&] { return a.expr; }, edge_of, node_id, stack);
    }
  }

  // SubStr(k1, k2).
  const auto n = static_cast<int>(in.size());
  std::vector<int> k1s, k2s;
  if (s + 1 <= dsl::kMaxPosition) k1s.push_back(s + 1);
  if (s - n >= -dsl::kMaxPosition) k1s.push_back(s - n);
  if (e - s >= 2) {
    if (e <= dsl::kMaxPosition) k2s.push_back(e);
    if (e - 1 - n >= -dsl::kMaxPosition && e - 1 - n < 0) k2s.push_back(e - 1 - n);
  }
  if (e == n) k2s.push_back(0);
  for (int k1 : k1s) {
    for (int k2 : k2s) {
      if (SubStrPiece(n, k1, k2).b != s || SubStrPiece(n, k1, k2).e != e) continue;
      for (int k = 0; k < m(); ++k) {
        pieces[k] = SubStrPiece(static_cast<int64_t>(examples_[k].cells[column].text.size()), k1, k2);
      }
      TryPieces(p, column, pieces, pivot_exact,
                [&] { return Expr::Substring(Op::kSubStr, {Arg::Position(k1), Arg::Position(k2)}, column); },
                edge_of, node_id, stack);
    }
  }

  // GetSpan(left side, right side): one try per pair of boundary groups.
  const auto& groups = groups_[column];
  for (int gl : index.groups_at[s]) {
    for (int gr : index.groups_at[e]) {
      const BoundaryGroup& left = groups[gl];
      const BoundaryGroup& right = groups[gr];
      bool quirk = false;
      for (int k = 0; k < m() && !quirk; ++k) {
        const int32_t b = left.pos[k], f = right.pos[k];
        quirk = b == kQuirk || f == kQuirk;
        pieces[k] = (b < 0 || f < 0 || b >= f) ? Piece{} : Piece{b, f};
      }
      if (quirk) continue;
      // The best two sides of each group, as alternatives.
      for (size_t i = 0; i < std::min<size_t>(2, left.descs.size()); ++i) {
        for (size_t j = 0; j < std::min<size_t>(2, right.descs.size()); ++j) {
          const BoundaryDesc l = DecodeBoundary(left.descs[i]);
          const BoundaryDesc r = DecodeBoundary(right.descs[j]);
          TryPieces(p, column, pieces, pivot_exact,
                    [&] {
                      return Expr::Substring(
                          Op::kGetSpan,
                          {Arg::OfRegex(RegexAt(l.regex_slot)), Arg::Index(l.index), Arg::OfBoundary(l.boundary),
                           Arg::OfRegex(RegexAt(r.regex_slot)), Arg::Index(r.index), Arg::OfBoundary(r.boundary)},
                          column);
                    },
                    edge_of, node_id, stack);
        }
      }
    }
  }
}

// Positions of a text that some substring expression can start or end at:
// within kMaxPosition of either end, or a token boundary.
std::vector<int> ExpressiblePositions(const Cell& cell) {
  const auto n = static_cast<int>(cell.text.size());
  std::vector<char> mark(n + 1, 0);
  for (int q = 0; q <= n; ++q) {
    if (q <= dsl::kMaxPosition || n - q <= dsl::kMaxPosition + 1) mark[q] = 1;
  }
  for (const auto& ms : cell.matches) {
    const size_t c = ms.size();
    for (size_t j = 0; j < c; ++j) {
      if (j < dsl::kMaxIndex || j + dsl::kMaxIndex >= c) {
        mark[ms[j].begin] = 1;
        mark[ms[j].end] = 1;
      }
    }
  }
  std::vector<int> out;
  for (int q = 0; q <= n; ++q) {
    if (mark[q]) out.push_back(q);
  }
  return out;
}

void ConcatSearch::Expand(int node_id, std::vector<int>* stack) {
  nodes_[node_id].expanded = true;
  const State p = nodes_[node_id].pos;
  int pivot = -1;
  for (int k = 0; k < m(); ++k) {
    if (p[k] < static_cast<int32_t>(examples_[k].out.size())) {
      pivot = k;
      break;
    }
  }
  if (pivot < 0) return;  // the goal
  absl::flat_hash_map<std::string, int> edge_of;

  // Constants: pieces every remaining output starts with.
  size_t common = examples_[pivot].out.size() - p[pivot];
  for (int k = 0; k < m() && common > 0; ++k) {
    const HashedText& o = examples_[k].out;
    const HashedText& po = examples_[pivot].out;
    size_t l = 0;
    while (l < common && p[k] + l < o.size() && o.chars[p[k] + l] == po.chars[p[pivot] + l]) ++l;
    common = l;
  }
  for (size_t len = 1; len <= common; ++len) {
    if (len > static_cast<size_t>(kMaxConstPiece) && len != common) continue;
    State next(p);
    for (int k = 0; k < m(); ++k) next[k] += static_cast<int32_t>(len);
    Expr e = Expr::ConstStr(std::string(examples_[pivot].out.Slice(p[pivot], p[pivot] + len)));
    const double score = ranker_.ScoreExpr(e);
    AddEdge(node_id, std::move(next), std::move(e), score, &edge_of, stack);
  }

  // Whole-column modifications.
  for (const ColumnAtom& a : column_atoms_) {
    State next(p);
    bool ok = true;
    for (int k = 0; k < m() && ok; ++k) {
      const HashedText& o = examples_[k].out;
      const int32_t end = p[k] + a.length[k];
      ok = end <= static_cast<int32_t>(o.size()) && o.Hash(pow_, p[k], end) == a.hash[k];
      next[k] = end;
    }
    if (ok && next != p) AddEdge(node_id, std::move(next), a.expr, a.score, &edge_of, stack);
  }

  // Numbers: read, scaled, rounded or binned, and formatted.
  if (number_atoms_->active()) {
    for (NumberAtom& a : number_atoms_->At(p, pivot, kMaxNumberAtomsPerState)) {
      State next(a.end.begin(), a.end.end());
      AddEdge(node_id, std::move(next), std::move(a.expr), a.score, &edge_of, stack);
    }
  }

  // Substrings (and their case changes) located on the pivot example.
  const HashedText& out = examples_[pivot].out;
  const size_t q = p[pivot];
  for (int c = 0; c < num_columns_; ++c) {
    const Cell& cell = examples_[pivot].cells[c];
    const HashedText& in = cell.text;
    const std::vector<int> ends = ExpressiblePositions(cell);
    for (int s : ends) {
      if (s >= static_cast<int>(in.size()) || in.lower[s] != out.lower[q]) continue;
      const size_t folded = CommonExtension(in.size(), s, out.size(), q, [&](size_t len) {
        return in.LowerHash(pow_, s, s + len) == out.LowerHash(pow_, q, q + len);
      });
      for (auto it = std::upper_bound(ends.begin(), ends.end(), s);
           it != ends.end() && *it <= s + static_cast<int>(folded); ++it) {
        AddSpanCandidates(p, pivot, c, s, *it, &edge_of, node_id, stack);
      }
    }
  }
}

// --- Extraction ------------------------------------------------------------

struct PathEntry {
  double score;
  int edge, atom, rank;  // edge < 0: the goal's empty path
};

std::vector<Candidate> ConcatSearch::ExtractPrograms() {
  const int k_best = limits_.k_best;
  std::vector<int> order(nodes_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::vector<int64_t> sums(nodes_.size());
  for (size_t i = 0; i < nodes_.size(); ++i) {
    int64_t s = 0;
    for (int32_t v : nodes_[i].pos) s += v;
    sums[i] = s;
  }
  std::sort(order.begin(), order.end(), [&](int a, int b) { return sums[a] > sums[b]; });
  std::vector<std::vector<PathEntry>> best(nodes_.size());
  for (int id : order) {
    const Node& node = nodes_[id];
    bool goal = true;
    for (int k = 0; k < m(); ++k) goal &= node.pos[k] == static_cast<int32_t>(examples_[k].out.size());
    if (goal) {
      best[id].push_back({0, -1, -1, -1});
      continue;
    }
    std::vector<PathEntry>& list = best[id];
    for (int ei = 0; ei < static_cast<int>(node.edges.size()); ++ei) {
      const Edge& edge = node.edges[ei];
      const auto& tail = best[edge.child];
      for (int ai = 0; ai < static_cast<int>(edge.atoms.size()); ++ai) {
        for (int r = 0; r < static_cast<int>(tail.size()); ++r) {
          list.push_back({edge.atoms[ai].score + tail[r].score, ei, ai, r});
        }
      }
    }
    const auto by_score = [](const PathEntry& a, const PathEntry& b) { return a.score > b.score; };
    if (static_cast<int>(list.size()) > k_best) {
      std::partial_sort(list.begin(), list.begin() + k_best, list.end(), by_score);
      list.resize(k_best);
    } else {
      std::sort(list.begin(), list.end(), by_score);
    }
  }
  std::vector<Candidate> programs;
  absl::flat_hash_set<std::string> seen;
  for (const PathEntry& start : best[0]) {
    std::vector<Expr> exprs;
    int id = 0;
    PathEntry entry = start;
    while (entry.edge >= 0) {
      const Edge& edge = nodes_[id].edges[entry.edge];
      const Expr& e = edge.atoms[entry.atom].expr;
      if (e.op() == Op::kConstStr && !exprs.empty() && exprs.back().op() == Op::kConstStr) {
        exprs.back() = Expr::ConstStr(exprs.back().arg(0).text() + e.arg(0).text());
      } else {
        exprs.push_back(e);
      }
      entry = best[edge.child][entry.rank];
      id = edge.child;
    }
    if (exprs.empty()) exprs.push_back(Expr::ConstStr(""));
    dsl::Program program = dsl::Program::Concat(std::move(exprs));
    if (!seen.insert(program.ToString()).second) continue;
    bool consistent = true;
    for (const Example& e : raw_) {
      if (dsl::Evaluate(program, e.inputs) != e.output) {
        consistent = false;
        break;
      }
    }
    // A version-space bug would show here; such a program is dropped.
    if (!consistent) continue;
    programs.push_back({program, ranker_.ScoreProgram(program)});
  }
  std::stable_sort(programs.begin(), programs.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  return programs;
}

ConcatResult ConcatSearch::Run() {
  ConcatResult result;
  BuildAtoms();
  nodes_.push_back({State(m(), 0), false, {}});
  node_of_.emplace(StateKey(nodes_[0].pos), 0);
  std::vector<int> stack = {0};
  while (!stack.empty()) {
    if (OutOfTime()) break;
    const int id = stack.back();
    stack.pop_back();
    if (nodes_[id].expanded) continue;
    const size_t before = stack.size();
    Expand(id, &stack);
    // Depth first along the longest steps: they reach the goal soonest.
    std::sort(stack.begin() + static_cast<std::ptrdiff_t>(before), stack.end(), [&](int a, int b) {
      int64_t sa = 0, sb = 0;
      for (int32_t v : nodes_[a].pos) sa += v;
      for (int32_t v : nodes_[b].pos) sb += v;
      return sa < sb;
    });
  }
  result.cancelled = cancelled_;
  result.timed_out = timed_out_ || bounded_;
  result.states = static_cast<int64_t>(nodes_.size());
  if (!cancelled_) result.programs = ExtractPrograms();
  return result;
}

}  // namespace

ConcatResult LearnConcat(absl::Span<const Example> examples, const Ranker& ranker,
                         const SearchLimits& limits) {
  ConcatResult at_seams = ConcatSearch(examples, ranker, limits, /*token_cuts=*/true).Run();
  if (!at_seams.programs.empty() || at_seams.cancelled || absl::Now() > limits.deadline) {
    return at_seams;
  }
  ConcatResult anywhere = ConcatSearch(examples, ranker, limits, /*token_cuts=*/false).Run();
  anywhere.states += at_seams.states;
  return anywhere;
}

}  // namespace flashsynth::synth::internal
