#include "solver/distinguish.h"

#include <z3++.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"
#include "solver/internal/encoder.h"
#include "solver/internal/strings.h"
#include "solver/internal/worker.h"

namespace flashsynth::solver {

namespace {

using internal::SymStr;

// Mutation rounds per example row (step 2 of the search): first the runs'
// characters redrawn, then one structural edit each. Cheap: a round is two
// interpreter calls per example.
constexpr int kRedrawRounds = 48;
constexpr int kRestructureRounds = 64;
constexpr uint64_t kSeed = 1;  // the mutations are the same on every call

// ------------------------------------------------------------------ shapes

// A character's class in a shape. Letters that are neither upper nor lower
// case (e.g. CJK) form their own class; everything else is kept literally.
enum class RunClass { kDigit, kUpper, kLower, kOtherLetter, kLiteral };

RunClass ClassOf(char32_t c) {
  if (dsl::IsDigit(c)) return RunClass::kDigit;
  if (dsl::IsUpper(c)) return RunClass::kUpper;
  if (dsl::IsLower(c)) return RunClass::kLower;
  if (dsl::IsLetter(c)) return RunClass::kOtherLetter;
  return RunClass::kLiteral;
}

// A maximal run of one class.
struct Run {
  RunClass cls;
  std::u32string text;
  friend bool operator<(const Run& x, const Run& y) {
    return std::tie(x.cls, x.text) < std::tie(y.cls, y.text);
  }
};

std::vector<Run> SplitRuns(const std::u32string& s) {
  std::vector<Run> runs;
  for (char32_t c : s) {
    const RunClass k = ClassOf(c);
    if (runs.empty() || runs.back().cls != k) runs.push_back(Run{k, U""});
    runs.back().text.push_back(c);
  }
  return runs;
}

std::u32string Join(const std::vector<Run>& runs) {
  std::u32string s;
  for (const Run& r : runs) s += r.text;
  return s;
}

// Every column that `p` reads, in its expressions or its Switch conditions.
void AddColumnsRead(const dsl::Expr& e, std::set<int>* out) {
  if (e.inner() != nullptr) {
    AddColumnsRead(*e.inner(), out);
  } else if (e.kind() != dsl::OpKind::kConst) {
    out->insert(e.column());
  }
}

std::set<int> ColumnsRead(const dsl::Program& a, const dsl::Program& b) {
  std::set<int> out;
  for (const dsl::Program* p : {&a, &b}) {
    for (const dsl::Branch& branch : p->branches()) {
      for (const dsl::MatchLiteral& m : branch.condition) out.insert(m.column);
      for (const dsl::Expr& e : branch.body) AddColumnsRead(e, &out);
    }
  }
  return out;
}

// The result for `row` if the programs differ on it.
std::optional<Distinction> Separates(const dsl::Program& a, const dsl::Program& b,
                                     const dsl::Row& row, FoundBy found_by) {
  std::optional<std::string> out_a = dsl::Evaluate(a, row);
  std::optional<std::string> out_b = dsl::Evaluate(b, row);
  if (out_a == out_b) return std::nullopt;
  return Distinction{Verdict::kDistinguished, found_by, row, std::move(out_a), std::move(out_b)};
}

// --------------------------------------------------------------- mutations

// Rewrites cells, keeping their look: same classes of characters, similar
// lengths, the same punctuation. Reproducible (raw mt19937_64 output only).
class Mutator {
 public:
  // `vocabulary`: characters the programs mention (constants, delimiters).
  explicit Mutator(std::u32string vocabulary) : vocabulary_(std::move(vocabulary)), rng_(kSeed) {}

  // Each class run redrawn with probability 1/2 (at least one run).
  std::u32string Redraw(const std::u32string& cell);
  // One structural edit, see Edit below.
  std::u32string Restructure(const std::u32string& cell);

  int Uniform(int lo, int hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int>(rng_() % static_cast<uint64_t>(hi - lo + 1));
  }
  template <typename C>
  auto Pick(const C& items) -> decltype(items[0]) {
    return items[static_cast<size_t>(Uniform(0, static_cast<int>(items.size()) - 1))];
  }
  // A run like `like` (same class) of 1 to like's length + 2 characters.
  std::u32string RandomRun(const Run& like);
  const std::u32string& vocabulary() const { return vocabulary_; }

 private:
  std::u32string vocabulary_;
  std::mt19937_64 rng_;
};

// Characters of `like`'s class: ASCII ones and those of `like` itself.
std::u32string Pool(const Run& like) {
  std::u32string pool;
  switch (like.cls) {
    case RunClass::kDigit: pool = U"0123456789"; break;
    case RunClass::kUpper: pool = U"ABCDEFGHIJKLMNOPQRSTUVWXYZ"; break;
    case RunClass::kLower: pool = U"abcdefghijklmnopqrstuvwxyz"; break;
    default: break;
  }
  for (char32_t c : like.text) {
    if (c > 127) pool.push_back(c);
  }
  return pool.empty() ? like.text : pool;
}

std::u32string Mutator::RandomRun(const Run& like) {
  const std::u32string pool = Pool(like);
  const int length = Uniform(1, static_cast<int>(like.text.size()) + 2);
  std::u32string out;
  for (int i = 0; i < length; ++i) out.push_back(Pick(pool));
  return out;
}

std::u32string Mutator::Redraw(const std::u32string& cell) {
  std::vector<Run> runs = SplitRuns(cell);
  std::vector<size_t> classed;
  for (size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].cls != RunClass::kLiteral) classed.push_back(i);
  }
  if (classed.empty()) return cell;
  const size_t forced = Pick(classed);
  for (size_t i : classed) {
    if (i == forced || Uniform(0, 1) == 0) runs[i].text = RandomRun(runs[i]);
  }
  return Join(runs);
}

// Words (maximal runs of letters and digits) and the separators between.
struct Piece {
  bool word;
  std::u32string text;
};
using Pieces = std::vector<Piece>;

Pieces SplitWords(const std::u32string& s) {
  Pieces pieces;
  for (char32_t c : s) {
    const bool word = ClassOf(c) != RunClass::kLiteral;
    if (pieces.empty() || pieces.back().word != word) pieces.push_back(Piece{word, U""});
    pieces.back().text.push_back(c);
  }
  return pieces;
}

std::u32string SwapCase(const std::u32string& s) {
  std::string utf8 = internal::FromU32(s);
  const bool upper = !s.empty() && dsl::IsUpper(s[0]);
  return internal::ToU32(upper ? dsl::ToLower(utf8) : dsl::ToUpper(utf8));
}

// The structural edits, each on piece i of a cell. A word or a separator
// dropped (dropping a separator joins two words).
void DropPiece(Pieces& p, size_t i, Mutator&) { p.erase(p.begin() + static_cast<std::ptrdiff_t>(i)); }

// A piece doubled with its neighbour: "a b" -> "a b b".
void DoublePiece(Pieces& p, size_t i, Mutator&) {
  const size_t j = i + 1 < p.size() ? i + 1 : (i > 0 ? i - 1 : i);
  const auto lo = static_cast<std::ptrdiff_t>(std::min(i, j));
  const auto hi = static_cast<std::ptrdiff_t>(std::max(i, j));
  const Pieces copy(p.begin() + lo, p.begin() + hi + 1);
  p.insert(p.begin() + hi + 1, copy.begin(), copy.end());
}

// A word split by the cell's first separator (a space if none): "ab" -> "a b".
void SplitWord(Pieces& p, size_t i, Mutator& m) {
  if (!p[i].word || p[i].text.size() < 2) return;
  std::u32string separator = U" ";
  for (const Piece& q : p) {
    if (!q.word) {
      separator = q.text.substr(0, 1);
      break;
    }
  }
  p[i].text.insert(static_cast<size_t>(m.Uniform(1, static_cast<int>(p[i].text.size()) - 1)), separator);
}

// One class run of a word dropped: "Mc12" -> "Mc".
void DropRun(Pieces& p, size_t i, Mutator& m) {
  std::vector<Run> runs = SplitRuns(p[i].text);
  runs.erase(runs.begin() + m.Uniform(0, static_cast<int>(runs.size()) - 1));
  p[i].text = Join(runs);
}

// One letter run's case swapped: "ab" -> "AB".
void SwapRunCase(Pieces& p, size_t i, Mutator& m) {
  std::vector<Run> runs = SplitRuns(p[i].text);
  Run& r = runs[static_cast<size_t>(m.Uniform(0, static_cast<int>(runs.size()) - 1))];
  if (r.cls == RunClass::kUpper || r.cls == RunClass::kLower) r.text = SwapCase(r.text);
  p[i].text = Join(runs);
}

// A word gains a run of another class at one end: "ab" -> "ab7", "12" -> "x12".
void GainRun(Pieces& p, size_t i, Mutator& m) {
  if (!p[i].word) return;
  const bool digits = ClassOf(p[i].text.back()) != RunClass::kDigit;
  const std::u32string run = m.RandomRun(Run{digits ? RunClass::kDigit : RunClass::kLower, U"x"});
  p[i].text = m.Uniform(0, 1) ? p[i].text + run : run + p[i].text;
}

// One or two characters that the programs mention (a Switch condition's
// delimiter, a GetUpto's, a constant's) inserted into piece i.
void InsertVocabulary(Pieces& p, size_t i, Mutator& m) {
  if (m.vocabulary().empty()) return;
  for (int k = m.Uniform(1, 2); k > 0; --k) {
    p[i].text.insert(static_cast<size_t>(m.Uniform(0, static_cast<int>(p[i].text.size()))), 1,
                     m.Pick(m.vocabulary()));
  }
}

using Edit = void (*)(Pieces&, size_t, Mutator&);
constexpr std::array<Edit, 7> kEdits = {DropPiece,   DoublePiece, SplitWord,       DropRun,
                                        SwapRunCase, GainRun,     InsertVocabulary};

std::u32string Mutator::Restructure(const std::u32string& cell) {
  Pieces pieces = SplitWords(cell);
  if (pieces.empty()) return cell;
  const auto i = static_cast<size_t>(Uniform(0, static_cast<int>(pieces.size()) - 1));
  Pick(kEdits)(pieces, i, *this);
  std::u32string out;
  for (const Piece& p : pieces) out += p.text;
  return out;
}

// The characters `p` mentions: delimiters of its regexes and conditions,
// and those of its constant strings.
void AddVocabulary(const dsl::Expr& e, std::u32string* out) {
  for (const dsl::Arg& a : e.args()) {
    if (a.kind() == dsl::ArgKind::kRegex && !a.regex().is_type()) {
      out->push_back(static_cast<unsigned char>(a.regex().delimiter()));
    } else if (a.kind() == dsl::ArgKind::kDelimiter) {
      out->push_back(static_cast<unsigned char>(a.delimiter()));
    } else if (a.kind() == dsl::ArgKind::kString && dsl::IsValidUtf8(a.text())) {
      *out += internal::ToU32(a.text());
    }
  }
  if (e.inner() != nullptr) AddVocabulary(*e.inner(), out);
}

std::u32string Vocabulary(const dsl::Program& a, const dsl::Program& b) {
  std::u32string out;
  for (const dsl::Program* p : {&a, &b}) {
    for (const dsl::Branch& branch : p->branches()) {
      for (const dsl::MatchLiteral& m : branch.condition) {
        if (!m.regex.is_type()) out.push_back(static_cast<unsigned char>(m.regex.delimiter()));
      }
      for (const dsl::Expr& e : branch.body) AddVocabulary(e, &out);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// `example` with its read cells redrawn; when `restructure`, one of them
// first gets a structural edit and the others are redrawn at even odds.
dsl::Row MutateRow(const dsl::Row& example, const std::vector<size_t>& cells, bool restructure,
                   Mutator& m) {
  dsl::Row row = example;
  const size_t edited = m.Pick(cells);
  for (size_t c : cells) {
    std::u32string text = internal::ToU32(row[c]);
    if (restructure && c == edited) text = m.Restructure(text);
    if (!restructure || m.Uniform(0, 1) == 0) text = m.Redraw(text);
    row[c] = internal::FromU32(text);
  }
  return row;
}

// Step 2: mutated copies of each example, in the columns the programs read.
std::optional<Distinction> SearchMutations(const dsl::Program& a, const dsl::Program& b,
                                           const std::vector<dsl::Row>& inputs,
                                           const std::set<int>& read, absl::Time end) {
  Mutator m(Vocabulary(a, b));
  for (int round = 0; round < kRedrawRounds + kRestructureRounds; ++round) {
    if (absl::Now() >= end) return std::nullopt;
    for (const dsl::Row& example : inputs) {
      std::vector<size_t> cells;
      for (int c : read) {
        const auto at = static_cast<size_t>(c);
        if (at < example.size() && dsl::IsValidUtf8(example[at])) cells.push_back(at);
      }
      if (cells.empty()) continue;
      const dsl::Row row = MutateRow(example, cells, /*restructure=*/round >= kRedrawRounds, m);
      if (auto d = Separates(a, b, row, FoundBy::kMutation)) return d;
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- Z3 rows

// How one cell of a Z3 query is made.
struct CellSpec {
  enum class Kind { kFixed, kShaped, kFree } kind = Kind::kFixed;
  std::string text;       // kFixed (non-UTF-8: a missing column)
  std::vector<Run> runs;  // kShaped: each class run may take 1..size+kShapeSlack
  friend bool operator<(const CellSpec& x, const CellSpec& y) {
    return std::tie(x.kind, x.text, x.runs) < std::tie(y.kind, y.text, y.runs);
  }
};
using RowSpec = std::vector<CellSpec>;

// The shape of an example: its read cells as run structures. Cells that
// cannot fit max_length even with one character per run stay fixed.
RowSpec ShapeOf(const dsl::Row& example, const std::set<int>& read, int max_length) {
  RowSpec spec;
  for (size_t c = 0; c < example.size(); ++c) {
    CellSpec cell{CellSpec::Kind::kFixed, example[c], {}};
    if (read.count(static_cast<int>(c)) && dsl::IsValidUtf8(example[c])) {
      std::vector<Run> runs = SplitRuns(internal::ToU32(example[c]));
      int shortest = 0;
      for (Run& r : runs) {
        if (r.cls == RunClass::kLiteral) {
          shortest += static_cast<int>(r.text.size());
        } else {
          r.text.assign(r.text.size(), U'?');  // only the class and the length matter
          shortest += 1;
        }
      }
      if (shortest <= max_length) cell = CellSpec{CellSpec::Kind::kShaped, "", std::move(runs)};
    }
    spec.push_back(std::move(cell));
  }
  return spec;
}

z3::expr ClassTerm(internal::Builder& b, RunClass k, const z3::expr& c) {
  switch (k) {
    case RunClass::kDigit: return b.IsClass(internal::CharClass::kDigit, c);
    case RunClass::kUpper: return b.IsClass(internal::CharClass::kUpper, c);
    case RunClass::kLower: return b.IsClass(internal::CharClass::kLower, c);
    default:
      return b.IsClass(internal::CharClass::kLetter, c) && !b.IsClass(internal::CharClass::kUpper, c) &&
             !b.IsClass(internal::CharClass::kLower, c);
  }
}

// A cell of `cap` character variables: in the alphabet up to its length,
// kPad after.
SymStr FreeCell(internal::Builder& b, z3::solver& s, const std::string& name, int cap) {
  z3::context& ctx = b.ctx();
  SymStr cell{ctx.int_const((name + "_len").c_str()), {}};
  s.add(cell.len >= 0 && cell.len <= cap);
  for (int i = 0; i < cap; ++i) {
    cell.ch.push_back(ctx.int_const(absl::StrCat(name, "_", i).c_str()));
    s.add(z3::implies(cell.len > i, b.InAlphabet(cell.ch.back())));
    s.add(z3::implies(cell.len <= i, cell.ch.back() == internal::kPad));
  }
  return cell;
}

// A free cell confined to `runs`: run r starts where run r-1 ends; a class
// run takes 1..size+kShapeSlack characters of its class, a literal run its
// exact text.
SymStr ShapedCell(internal::Builder& b, z3::solver& s, const std::string& name,
                  const std::vector<Run>& runs, int max_length) {
  int longest = 0;
  for (const Run& r : runs) {
    longest += static_cast<int>(r.text.size()) + (r.cls == RunClass::kLiteral ? 0 : kShapeSlack);
  }
  SymStr cell = FreeCell(b, s, name, std::min(longest, max_length));
  z3::context& ctx = b.ctx();
  z3::expr start = ctx.int_val(0);
  for (size_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    const int size = static_cast<int>(run.text.size());
    z3::expr len = ctx.int_val(size);
    if (run.cls != RunClass::kLiteral) {
      internal::Assign(&len, ctx.int_const(absl::StrCat(name, "_run", r).c_str()));
      s.add(len >= 1 && len <= size + kShapeSlack);
    }
    for (int i = 0; i < cell.cap(); ++i) {
      const z3::expr& c = cell.ch[static_cast<size_t>(i)];
      if (run.cls != RunClass::kLiteral) {
        s.add(z3::implies(start <= i && i < start + len, ClassTerm(b, run.cls, c)));
        continue;
      }
      for (int k = 0; k < size; ++k) {
        s.add(z3::implies(start + k == i, c == static_cast<int>(run.text[static_cast<size_t>(k)])));
      }
    }
    internal::Assign(&start, start + len);
  }
  s.add(cell.len == start);
  return cell;
}

// Whether the two encoded results differ: defined vs undefined, or both
// defined with different texts.
z3::expr Differ(internal::Builder& b, const internal::Encoded& x, const internal::Encoded& y) {
  return (x.defined != y.defined) || (x.defined && !b.Eq(x.out, y.out));
}

// One Z3 query: a row of `spec` on which the programs differ (read back from
// the model), nullopt when unsat, kDeadlineExceeded when Z3 gives up.
absl::StatusOr<std::optional<dsl::Row>> SolveRow(z3::context& ctx, const internal::Alphabet& alphabet,
                                                 const dsl::Program& a, const dsl::Program& b,
                                                 const RowSpec& spec, int max_length,
                                                 absl::Duration budget) {
  const internal::Deadline deadline(budget);
  internal::Builder builder(ctx, alphabet, &deadline);
  // A tactic solver keeps assertions as they are until check(), which
  // honours the timeout (the default one rewrites them as they are added,
  // unboundedly on deep circuits).
  z3::solver s = (z3::tactic(ctx, "simplify") & z3::tactic(ctx, "propagate-values") &
                  z3::tactic(ctx, "solve-eqs") & z3::tactic(ctx, "simplify") & z3::tactic(ctx, "smt"))
                     .mk_solver();
  std::vector<std::optional<SymStr>> columns;
  for (size_t c = 0; c < spec.size(); ++c) {
    const CellSpec& cell = spec[c];
    const std::string name = absl::StrCat("x", c + 1);
    switch (cell.kind) {
      case CellSpec::Kind::kFixed:
        if (!dsl::IsValidUtf8(cell.text)) {
          columns.push_back(std::nullopt);
        } else {
          columns.push_back(builder.Const(internal::ToU32(cell.text)));
        }
        break;
      case CellSpec::Kind::kShaped: columns.push_back(ShapedCell(builder, s, name, cell.runs, max_length)); break;
      case CellSpec::Kind::kFree: columns.push_back(FreeCell(builder, s, name, max_length)); break;
    }
  }
  internal::ProgramEncoder encoder(&builder, nullptr, &deadline);
  const internal::Encoded ea = encoder.Encode(a, columns);
  const internal::Encoded eb = encoder.Encode(b, columns);
  s.add(Differ(builder, ea, eb));
  z3::params params(ctx);
  params.set("timeout", deadline.RemainingMs());
  s.set(params);
  switch (s.check()) {
    case z3::sat: break;
    case z3::unsat: return std::optional<dsl::Row>();
    case z3::unknown: return absl::DeadlineExceededError(s.reason_unknown());
  }
  const z3::model model = s.get_model();
  dsl::Row row;
  for (size_t c = 0; c < spec.size(); ++c) {
    row.push_back(spec[c].kind == CellSpec::Kind::kFixed ? spec[c].text
                                                          : internal::ValueOf(model, *columns[c]));
  }
  return std::optional<dsl::Row>(std::move(row));
}

// The interpreter's verdict on Z3's row; kInternal if it does not separate.
absl::StatusOr<Distinction> Confirm(const dsl::Program& a, const dsl::Program& b,
                                    const dsl::Row& row, FoundBy found_by) {
  if (std::optional<Distinction> d = Separates(a, b, row, found_by)) return *d;
  std::string cells;
  for (const std::string& c : row) absl::StrAppend(&cells, " ", dsl::QuoteString(c));
  return absl::InternalError(absl::StrCat("Z3's row [", cells, " ] does not separate ", a.ToString(),
                                          " and ", b.ToString(), " in the interpreter"));
}

// What the Z3 steps need; owned, as the worker thread may outlive the call.
struct Search {
  dsl::Program a;
  dsl::Program b;
  std::vector<dsl::Row> inputs;
  int width;
  std::set<int> read;
  SolverOptions options;
  absl::Time end;
};

// The alphabet of the call: that of both programs and of the examples.
absl::StatusOr<internal::Alphabet> AlphabetOf(const Search& q) {
  std::vector<std::string> texts = internal::ProgramTexts(q.a);
  for (std::string& t : internal::ProgramTexts(q.b)) texts.push_back(std::move(t));
  for (const dsl::Row& row : q.inputs) {
    for (const std::string& cell : row) {
      if (dsl::IsValidUtf8(cell)) texts.push_back(cell);
    }
  }
  return internal::Alphabet::Make(texts);
}

// The examples' distinct shapes, in order.
std::vector<RowSpec> ShapesOf(const Search& q) {
  std::set<RowSpec> seen;
  std::vector<RowSpec> shapes;
  for (const dsl::Row& row : q.inputs) {
    RowSpec shape = ShapeOf(row, q.read, q.options.max_length);
    if (seen.insert(shape).second) shapes.push_back(std::move(shape));
  }
  return shapes;
}

// Step 4's row: every read cell free, the others empty.
RowSpec AnyRow(const Search& q) {
  RowSpec any(static_cast<size_t>(q.width), CellSpec{CellSpec::Kind::kFixed, "", {}});
  for (int c : q.read) {
    if (c < q.width) any[static_cast<size_t>(c)].kind = CellSpec::Kind::kFree;
  }
  return any;
}

// Step 3 on one shape within `share`: nullopt when Z3 finds no row in time
// (unsat, or the share ran out).
absl::StatusOr<std::optional<Distinction>> TryShape(z3::context& ctx, const internal::Alphabet& alphabet,
                                                    const Search& q, const RowSpec& shape,
                                                    absl::Duration share) {
  absl::StatusOr<std::optional<dsl::Row>> row;
  try {
    row = SolveRow(ctx, alphabet, q.a, q.b, shape, q.options.max_length, share);
  } catch (const internal::DeadlineExceeded&) {
    row = absl::DeadlineExceededError("the shape's share ran out while encoding");
  }
  if (row.ok() && row->has_value()) {
    FS_ASSIGN_OR_RETURN(Distinction d, Confirm(q.a, q.b, **row, FoundBy::kShape));
    return std::optional<Distinction>(std::move(d));
  }
  if (!row.ok() && row.status().code() != absl::StatusCode::kDeadlineExceeded) return row.status();
  return std::optional<Distinction>();
}

// Steps 3 and 4 on one context. Each shape gets a share of what is left
// (the last query, the one that can prove equivalence, a double share).
absl::StatusOr<Distinction> SolveAll(z3::context& ctx, const Search& q) {
  FS_ASSIGN_OR_RETURN(const internal::Alphabet alphabet, AlphabetOf(q));
  const std::vector<RowSpec> shapes = ShapesOf(q);
  for (size_t k = 0; k < shapes.size(); ++k) {
    const absl::Duration share = (q.end - absl::Now()) / static_cast<double>(shapes.size() - k + 2);
    FS_ASSIGN_OR_RETURN(std::optional<Distinction> d, TryShape(ctx, alphabet, q, shapes[k], share));
    if (d) return *d;
    if (absl::Now() >= q.end) return absl::DeadlineExceededError("the budget ran out");
  }
  FS_ASSIGN_OR_RETURN(std::optional<dsl::Row> row,
                      SolveRow(ctx, alphabet, q.a, q.b, AnyRow(q), q.options.max_length, q.end - absl::Now()));
  if (row) return Confirm(q.a, q.b, *row, FoundBy::kAnyRow);
  return Distinction{};
}

absl::StatusOr<int> Width(const dsl::Program& a, const dsl::Program& b,
                          const std::vector<dsl::Row>& inputs) {
  if (inputs.empty()) return std::max(a.NumColumnsUsed(), b.NumColumnsUsed());
  for (const dsl::Row& row : inputs) {
    if (row.size() != inputs[0].size()) return absl::InvalidArgumentError("the rows differ in width");
  }
  return static_cast<int>(inputs[0].size());
}

// Step 2b, for programs with number operators (which Z3 does not encode):
// each digit run of each read cell replaced by numbers that rounding,
// binning and formats treat differently: halves and other fractions, a
// sign, a multiple of 5 and 10 (a bin's edge), one digit more and less,
// and zero.
std::optional<Distinction> SearchNumberEdits(const dsl::Program& a, const dsl::Program& b,
                                             const std::vector<dsl::Row>& inputs,
                                             const std::set<int>& read) {
  static constexpr std::string_view kFractions[] = {".5", ".25", ".05", ".999", ".0"};
  for (const dsl::Row& example : inputs) {
    for (int column : read) {
      const auto c = static_cast<size_t>(column);
      if (c >= example.size()) continue;
      const std::string& cell = example[c];
      for (size_t i = 0; i < cell.size();) {
        if (cell[i] < '0' || cell[i] > '9') {
          ++i;
          continue;
        }
        size_t j = i;
        while (j < cell.size() && cell[j] >= '0' && cell[j] <= '9') ++j;
        const std::string digits = cell.substr(i, j - i);
        std::vector<std::string> variants;
        for (std::string_view f : kFractions) variants.push_back(digits + std::string(f));
        variants.push_back("-" + digits);
        variants.push_back(digits.substr(0, digits.size() - 1) + "0");
        variants.push_back(digits.substr(0, digits.size() - 1) + "5");
        variants.push_back(digits + "0");
        variants.push_back(digits.size() > 1 ? digits.substr(1) : "0");
        variants.push_back("0");
        for (const std::string& v : variants) {
          dsl::Row row = example;
          row[c] = cell.substr(0, i) + v + cell.substr(j);
          if (auto d = Separates(a, b, row, FoundBy::kMutation)) return d;
        }
        i = j;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<Distinction> Distinguish(const dsl::Program& a, const dsl::Program& b,
                                        const std::vector<dsl::Row>& inputs,
                                        const SolverOptions& options) {
  const absl::Time end = absl::Now() + options.timeout;
  FS_RETURN_IF_ERROR(dsl::Validate(a));
  FS_RETURN_IF_ERROR(dsl::Validate(b));
  FS_ASSIGN_OR_RETURN(const int width, Width(a, b, inputs));
  for (const dsl::Row& row : inputs) {
    if (auto d = Separates(a, b, row, FoundBy::kExample)) return *d;
  }
  const std::set<int> read = ColumnsRead(a, b);
  if (auto d = SearchMutations(a, b, inputs, read, end)) return *d;
  const absl::Status encodable = internal::CheckEncodable(a).ok() ? internal::CheckEncodable(b)
                                                                  : internal::CheckEncodable(a);
  if (!encodable.ok()) {
    // Numbers: the interpreter tries the values rounding and formats turn on.
    if (auto d = SearchNumberEdits(a, b, inputs, read)) return *d;
    return absl::UnimplementedError(absl::StrCat(
        encodable.message(), "; no row tried separates the programs, and without Z3 nothing "
                             "proves that none does"));
  }
  // Steps 3 and 4 on a worker thread: Z3 does not always honour its timeout.
  return internal::RunBefore<Distinction>(
      end, [q = Search{a, b, inputs, width, read, options, end}](z3::context& ctx) {
        return SolveAll(ctx, q);
      });
}

}  // namespace flashsynth::solver
