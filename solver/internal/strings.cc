#include "solver/internal/strings.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"
#include "dsl/text.h"

namespace flashsynth::solver::internal {

namespace {

// Contexts still being deleted by background threads. At exit the process
// waits for them (at most a minute) so that no thread is inside Z3 while
// the library tears itself down; libz3's own finalizers run after ours.
std::atomic<int> pending_deletions{0};
struct DrainDeletionsAtExit {
  ~DrainDeletionsAtExit() {
    for (int i = 0; i < 6000 && pending_deletions.load() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
} drain_deletions_at_exit;

}  // namespace

void ReleaseInBackground(std::unique_ptr<z3::context> ctx) {
  pending_deletions.fetch_add(1);
  std::thread([c = ctx.release()] {
    delete c;
    pending_deletions.fetch_sub(1);
  }).detach();
}

std::u32string ToU32(std::string_view utf8) {
  std::u32string out;
  size_t pos = 0;
  while (pos < utf8.size()) out.push_back(dsl::DecodeUtf8(utf8, &pos));
  return out;
}

std::string FromU32(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) dsl::AppendUtf8(c, &out);
  return out;
}

std::string ValueOf(const z3::model& m, const SymStr& s) {
  const int len = m.eval(s.len, true).get_numeral_int();
  std::u32string out;
  for (int i = 0; i < len && i < s.cap(); ++i) {
    out.push_back(static_cast<char32_t>(m.eval(s.ch[static_cast<size_t>(i)], true).get_numeral_int()));
  }
  return FromU32(out);
}

// ---------------------------------------------------------------- Alphabet

namespace {

std::u32string MapOne(CaseMap m, char32_t c) {
  std::string s;
  dsl::AppendUtf8(c, &s);
  switch (m) {
    case CaseMap::kUpper: return ToU32(dsl::ToUpper(s));
    case CaseMap::kLower: return ToU32(dsl::ToLower(s));
    case CaseMap::kTitle: return ToU32(dsl::Capitalize(s));
    case CaseMap::kLowerLetters: return dsl::IsLetter(c) ? ToU32(dsl::ToLower(s)) : std::u32string(1, c);
  }
  return U"";
}

CharInfo InfoOf(char32_t c) {
  CharInfo info;
  info.letter = dsl::IsLetter(c);
  info.upper = dsl::IsUpper(c);
  info.lower = dsl::IsLower(c);
  info.digit = dsl::IsDigit(c);
  info.space = dsl::IsSpace(c);
  info.char_token = info.letter || info.digit || (c < 0x80 && dsl::IsDelimiter(static_cast<char>(c)));
  info.upper_map = MapOne(CaseMap::kUpper, c);
  info.lower_map = MapOne(CaseMap::kLower, c);
  info.title_map = MapOne(CaseMap::kTitle, c);
  info.lower_letters_map = MapOne(CaseMap::kLowerLetters, c);
  return info;
}

// Whether the whole-string mappings of dsl/text.h act on `c` as its
// per-character mapping does, next to ASCII letters on either side.
bool ContextFree(char32_t c, const CharInfo& info) {
  if (c < 0x80) return true;
  std::string u;
  dsl::AppendUtf8(c, &u);
  const std::string up = FromU32(info.upper_map), low = FromU32(info.lower_map),
                    title = FromU32(info.title_map);
  return dsl::ToUpper("a" + u + "a") == "A" + up + "A" && dsl::ToUpper("a" + u) == "A" + up &&
         dsl::ToLower("A" + u + "A") == "a" + low + "a" && dsl::ToLower("A" + u) == "a" + low &&
         dsl::ToLower(u + "A") == low + "a" && dsl::Capitalize(u + "A") == title + "a" &&
         dsl::Capitalize("A" + u) == "A" + low && dsl::Capitalize("A" + u + "A") == "A" + low + "a";
}

}  // namespace

absl::StatusOr<Alphabet> Alphabet::Make(const std::vector<std::string>& texts) {
  std::set<char32_t> pending = {U'\t', U'\n', U'\r'};
  for (char32_t c = 32; c < 127; ++c) pending.insert(c);
  for (const std::string& t : texts) {
    for (char32_t c : ToU32(t)) pending.insert(c);
  }
  Alphabet a;
  while (!pending.empty()) {
    const char32_t c = *pending.begin();
    pending.erase(pending.begin());
    if (a.info_.count(c)) continue;
    CharInfo info = InfoOf(c);
    if (!ContextFree(c, info)) {
      return absl::UnimplementedError(
          absl::StrCat("character U+", absl::Hex(static_cast<uint32_t>(c)),
                       " has a context-dependent case mapping"));
    }
    for (const std::u32string* m : {&info.upper_map, &info.lower_map, &info.title_map}) {
      for (char32_t d : *m) {
        if (!a.info_.count(d)) pending.insert(d);
      }
    }
    a.info_.emplace(c, std::move(info));
  }
  for (const auto& [c, info] : a.info_) a.chars_.push_back(c);
  return a;
}

bool Alphabet::Is(CharClass k, char32_t c) const {
  auto it = info_.find(c);
  const CharInfo info = it != info_.end() ? it->second : InfoOf(c);
  switch (k) {
    case CharClass::kLetter: return info.letter;
    case CharClass::kUpper: return info.upper;
    case CharClass::kLower: return info.lower;
    case CharClass::kDigit: return info.digit;
    case CharClass::kSpace: return info.space;
    case CharClass::kCharToken: return info.char_token;
  }
  return false;
}

const std::u32string& Alphabet::Map(CaseMap m, char32_t c) const {
  const CharInfo& info = info_.at(c);
  switch (m) {
    case CaseMap::kUpper: return info.upper_map;
    case CaseMap::kLower: return info.lower_map;
    case CaseMap::kTitle: return info.title_map;
    case CaseMap::kLowerLetters: return info.lower_letters_map;
  }
  return info.lower_map;
}

int Alphabet::MaxExpansion(CaseMap m) const {
  size_t most = 1;
  for (char32_t c : chars_) most = std::max(most, Map(m, c).size());
  return static_cast<int>(most);
}

// ---------------------------------------------------------------- Builder

namespace {

bool Num(const z3::expr& e, int* v) { return e.is_numeral() && e.is_numeral_i(*v); }

}  // namespace

z3::expr Builder::Ite(const z3::expr& c, const z3::expr& a, const z3::expr& b) {
  if (c.is_true() || z3::eq(a, b)) return a;
  if (c.is_false()) return b;
  if (a.is_bool()) {
    if (a.is_true() && b.is_false()) return c;
    if (a.is_false() && b.is_true()) return Not(c);
  }
  return z3::ite(c, a, b);
}

z3::expr Builder::And(const z3::expr& a, const z3::expr& b) {
  if (a.is_false() || b.is_true()) return a;
  if (b.is_false() || a.is_true()) return b;
  return a && b;
}

z3::expr Builder::And(const std::vector<z3::expr>& parts) {
  z3::expr_vector kept(ctx_);
  for (const z3::expr& e : parts) {
    if (e.is_false()) return e;
    if (!e.is_true()) kept.push_back(e);
  }
  if (kept.empty()) return Bool(true);
  if (kept.size() == 1) return kept[0];
  return z3::mk_and(kept);
}

z3::expr Builder::Or(const z3::expr& a, const z3::expr& b) {
  if (a.is_true() || b.is_false()) return a;
  if (b.is_true() || a.is_false()) return b;
  return a || b;
}

z3::expr Builder::Not(const z3::expr& a) {
  if (a.is_true()) return Bool(false);
  if (a.is_false()) return Bool(true);
  return !a;
}

namespace {

// Whether e is `base + k`, `k + base`, `base - k` or `k - base` for a numeral
// k: then e == sign * base + offset.
bool SplitOffset(const z3::expr& e, z3::expr* base, int* sign, int* offset) {
  if (!e.is_app() || e.num_args() != 2) return false;
  const Z3_decl_kind kind = e.decl().decl_kind();
  if (kind != Z3_OP_ADD && kind != Z3_OP_SUB) return false;
  int k;
  if (Num(e.arg(1), &k)) {
    Assign(base, e.arg(0));
    *sign = 1;
    *offset = kind == Z3_OP_ADD ? k : -k;
    return true;
  }
  if (Num(e.arg(0), &k)) {
    Assign(base, e.arg(1));
    *sign = kind == Z3_OP_ADD ? 1 : -1;
    *offset = k;
    return true;
  }
  return false;
}

}  // namespace

z3::expr Builder::Eq(const z3::expr& a, const z3::expr& b) {
  int x, y;
  const bool na = Num(a, &x), nb = Num(b, &y);
  if (na && nb) return Bool(x == y);
  if (z3::eq(a, b)) return Bool(true);
  // Index comparisons `i + k == n` (At() of a shifted position) become
  // `i == n - k`, which the positions of one Slice, Splice or Concat share.
  z3::expr base = a;
  int sign, offset;
  if (na != nb && a.is_int() && SplitOffset(na ? b : a, &base, &sign, &offset)) {
    return base == Int(sign * ((na ? x : y) - offset));
  }
  return a == b;
}

z3::expr Builder::Lt(const z3::expr& a, const z3::expr& b) {
  int x, y;
  if (Num(a, &x) && Num(b, &y)) return Bool(x < y);
  if (z3::eq(a, b)) return Bool(false);
  return a < b;
}

z3::expr Builder::Add(const z3::expr& a, const z3::expr& b) {
  int x, y;
  const bool na = Num(a, &x), nb = Num(b, &y);
  if (na && nb) return Int(x + y);
  if (na && x == 0) return b;
  if (nb && y == 0) return a;
  return a + b;
}

z3::expr Builder::Sub(const z3::expr& a, const z3::expr& b) {
  int x, y;
  const bool na = Num(a, &x), nb = Num(b, &y);
  if (na && nb) return Int(x - y);
  if (nb && y == 0) return a;
  if (z3::eq(a, b)) return Int(0);
  return a - b;
}

namespace {

// Maximal intervals [lo, hi] of alphabet members (in code order) for which
// `pred` holds; a member term lies in one of them exactly when pred holds.
template <typename Pred>
std::vector<std::pair<int, int>> Intervals(const std::vector<char32_t>& members, Pred pred,
                                           bool consecutive_codes) {
  std::vector<std::pair<int, int>> out;
  bool open = false;
  for (size_t i = 0; i < members.size(); ++i) {
    const int c = static_cast<int>(members[i]);
    const bool gap = consecutive_codes && i > 0 && members[i - 1] + 1 != members[i];
    if (pred(members[i])) {
      if (open && !gap) {
        out.back().second = c;
      } else {
        out.push_back({c, c});
      }
      open = true;
    } else {
      open = false;
    }
  }
  return out;
}

}  // namespace

z3::expr Builder::IsClass(CharClass k, const z3::expr& c) {
  int v;
  if (Num(c, &v)) return Bool(v >= 0 && alphabet_.Is(k, static_cast<char32_t>(v)));
  z3::expr out = Bool(false);
  for (auto [lo, hi] : Intervals(alphabet_.chars(),
                                 [&](char32_t x) { return alphabet_.Is(k, x); }, false)) {
    Assign(&out, Or(out, lo == hi ? Eq(c, Int(lo)) : And(Le(Int(lo), c), Le(c, Int(hi)))));
  }
  return out;
}

z3::expr Builder::InAlphabet(const z3::expr& c) {
  z3::expr out = Bool(false);
  for (auto [lo, hi] : Intervals(alphabet_.chars(), [](char32_t) { return true; }, true)) {
    Assign(&out, Or(out, lo == hi ? Eq(c, Int(lo)) : And(Le(Int(lo), c), Le(c, Int(hi)))));
  }
  return out;
}

z3::expr Builder::MapChar(CaseMap m, const z3::expr& c, int i) {
  int v;
  if (Num(c, &v)) {
    if (v < 0) return Int(kPad);
    const std::u32string& s = alphabet_.Map(m, static_cast<char32_t>(v));
    return Int(static_cast<size_t>(i) < s.size() ? static_cast<int>(s[static_cast<size_t>(i)]) : kPad);
  }
  // ASCII by arithmetic, the rest by table.
  const bool lower = m == CaseMap::kLower || m == CaseMap::kLowerLetters;
  z3::expr out = i > 0 ? Int(kPad)
                 : lower ? Ite(And(Le(Int('A'), c), Le(c, Int('Z'))), Add(c, Int(32)), c)
                         : Ite(And(Le(Int('a'), c), Le(c, Int('z'))), Sub(c, Int(32)), c);
  for (char32_t x : alphabet_.chars()) {
    const std::u32string& s = alphabet_.Map(m, x);
    const bool identity = s.size() == 1 && s[0] == x;
    if (i == 0 && (x < 0x80 || identity)) continue;
    if (i > 0 && s.size() <= static_cast<size_t>(i)) continue;
    const int to = static_cast<size_t>(i) < s.size() ? static_cast<int>(s[static_cast<size_t>(i)]) : kPad;
    Assign(&out, Ite(Eq(c, Int(static_cast<int>(x))), Int(to), out));
  }
  return out;
}

z3::expr Builder::MapLength(CaseMap m, const z3::expr& c) {
  int v;
  if (Num(c, &v)) {
    return Int(v < 0 ? 0 : static_cast<int>(alphabet_.Map(m, static_cast<char32_t>(v)).size()));
  }
  z3::expr out = Int(1);
  for (char32_t x : alphabet_.chars()) {
    const size_t n = alphabet_.Map(m, x).size();
    if (n != 1) Assign(&out, Ite(Eq(c, Int(static_cast<int>(x))), Int(static_cast<int>(n)), out));
  }
  return out;
}

SymStr Builder::Const(const std::u32string& s) {
  SymStr out{Int(static_cast<int>(s.size())), {}};
  for (char32_t c : s) out.ch.push_back(Int(static_cast<int>(c)));
  return out;
}

SymStr Builder::Ite(const z3::expr& c, const SymStr& a, const SymStr& b) {
  if (c.is_true()) return a;
  if (c.is_false()) return b;
  const int cap = std::max(a.cap(), b.cap());
  SymStr out{Ite(c, a.len, b.len), {}};
  for (int i = 0; i < cap; ++i) {
    const z3::expr x = i < a.cap() ? a.ch[static_cast<size_t>(i)] : Int(kPad);
    const z3::expr y = i < b.cap() ? b.ch[static_cast<size_t>(i)] : Int(kPad);
    out.ch.push_back(Ite(c, x, y));
  }
  return out;
}

z3::expr Builder::Eq(const SymStr& a, const SymStr& b) {
  z3::expr out = Eq(a.len, b.len);
  const int cap = std::max(a.cap(), b.cap());
  for (int i = 0; i < cap; ++i) {
    const z3::expr x = i < a.cap() ? a.ch[static_cast<size_t>(i)] : Int(kPad);
    const z3::expr y = i < b.cap() ? b.ch[static_cast<size_t>(i)] : Int(kPad);
    Assign(&out, And(out, Eq(x, y)));
  }
  return out;
}

z3::expr Builder::At(const SymStr& s, const z3::expr& idx, int lo, int hi) {
  int v;
  if (Num(idx, &v)) return v >= 0 && v < s.cap() ? s.ch[static_cast<size_t>(v)] : Int(kPad);
  z3::expr out = Int(kPad);
  for (int k = std::min(hi, s.cap() - 1); k >= std::max(lo, 0); --k) {
    Assign(&out, Ite(Eq(idx, Int(k)), s.ch[static_cast<size_t>(k)], out));
  }
  return out;
}

SymStr Builder::Slice(const SymStr& s, const z3::expr& start, const z3::expr& stop) {
  deadline_.Check();
  SymStr out{Max(Int(0), Sub(stop, start)), {}};
  for (int i = 0; i < s.cap(); ++i) {
    out.ch.push_back(Ite(Lt(Int(i), out.len), At(s, Add(start, Int(i)), i, s.cap() - 1), Int(kPad)));
  }
  return out;
}

SymStr Builder::PySlice(const SymStr& s, const z3::expr& start, const z3::expr& stop) {
  auto clamp = [&](const z3::expr& p) {
    return Min(Max(Ite(Lt(p, Int(0)), Add(p, s.len), p), Int(0)), s.len);
  };
  return Slice(s, clamp(start), clamp(stop));
}

SymStr Builder::Concat(const SymStr& a, const SymStr& b) {
  deadline_.Check();
  SymStr out{Add(a.len, b.len), {}};
  for (int p = 0; p < a.cap() + b.cap(); ++p) {
    const z3::expr from_a = p < a.cap() ? a.ch[static_cast<size_t>(p)] : Int(kPad);
    out.ch.push_back(Ite(Lt(Int(p), a.len), from_a, At(b, Sub(Int(p), a.len), p - a.cap(), p)));
  }
  return out;
}

SymStr Builder::Recap(const SymStr& s, int cap) {
  SymStr out{s.len, s.ch};
  out.ch.resize(static_cast<size_t>(std::min(cap, s.cap())), Int(0));
  while (out.cap() < cap) out.ch.push_back(Int(kPad));
  return out;
}

std::vector<z3::expr> Builder::ClassFlags(const SymStr& s, CharClass k) {
  std::vector<z3::expr> flags;
  for (const z3::expr& c : s.ch) flags.push_back(IsClass(k, c));
  return flags;
}

Tokens Builder::FromFlags(const SymStr& s, std::vector<z3::expr> start, std::vector<z3::expr> end,
                          int max_count) {
  Tokens t{std::move(start), std::move(end), {}, {}, Int(0), max_count};
  t.starts_before.push_back(Int(0));
  for (const z3::expr& f : t.start) t.starts_before.push_back(Add(t.starts_before.back(), Count(f)));
  t.ends_upto.push_back(Count(t.end[0]));
  for (size_t k = 1; k < t.end.size(); ++k) t.ends_upto.push_back(Add(t.ends_upto.back(), Count(t.end[k])));
  t.count = t.starts_before.back();
  (void)s;
  return t;
}

Tokens Builder::TypeMatches(const SymStr& s, dsl::Regex r) {
  deadline_.Check();
  const int cap = s.cap();
  std::vector<z3::expr> in;
  bool single = true;
  if (!r.is_type()) {
    for (const z3::expr& c : s.ch) in.push_back(Eq(c, Int(static_cast<unsigned char>(r.delimiter()))));
  } else {
    switch (r.type()) {
      case dsl::TokenType::kDigit: in = ClassFlags(s, CharClass::kDigit); break;
      case dsl::TokenType::kChar: in = ClassFlags(s, CharClass::kCharToken); break;
      case dsl::TokenType::kNumber: in = ClassFlags(s, CharClass::kDigit); single = false; break;
      case dsl::TokenType::kWord: in = ClassFlags(s, CharClass::kLetter); single = false; break;
      case dsl::TokenType::kAllCaps: in = ClassFlags(s, CharClass::kUpper); single = false; break;
      case dsl::TokenType::kLower: in = ClassFlags(s, CharClass::kLower); single = false; break;
      case dsl::TokenType::kAlphanum:
        for (const z3::expr& c : s.ch) {
          in.push_back(Or(IsClass(CharClass::kLetter, c), IsClass(CharClass::kDigit, c)));
        }
        single = false;
        break;
      case dsl::TokenType::kPropCase: {
        // [A-Z][a-z]+: starts where an upper-case letter precedes a lower-case
        // one; `inside` runs on through the lower-case letters that follow.
        const std::vector<z3::expr> up = ClassFlags(s, CharClass::kUpper);
        const std::vector<z3::expr> low = ClassFlags(s, CharClass::kLower);
        std::vector<z3::expr> start, end{Bool(false)}, inside;
        for (int i = 0; i < cap; ++i) {
          const size_t u = static_cast<size_t>(i);
          start.push_back(i + 1 < cap ? And(up[u], low[u + 1]) : Bool(false));
          inside.push_back(i == 0 ? start[u] : Or(start[u], And(low[u], inside[u - 1])));
        }
        for (int k = 1; k <= cap; ++k) {
          const size_t u = static_cast<size_t>(k);
          end.push_back(And(inside[u - 1], k < cap ? Not(low[u]) : Bool(true)));
        }
        return FromFlags(s, std::move(start), std::move(end), cap / 2);
      }
    }
  }
  std::vector<z3::expr> start, end{Bool(false)};
  for (int i = 0; i < cap; ++i) {
    const size_t u = static_cast<size_t>(i);
    start.push_back(single || i == 0 ? in[u] : And(in[u], Not(in[u - 1])));
    end.push_back(single || i + 1 == cap ? in[u] : And(in[u], Not(in[u + 1])));
  }
  return FromFlags(s, std::move(start), std::move(end), single ? cap : (cap + 1) / 2);
}

Tokens Builder::Matches(const SymStr& s, const RegexChoice& r) {
  if (r.options.size() == 1 && r.guards[0].is_true()) return TypeMatches(s, r.options[0]);
  std::vector<z3::expr> start(static_cast<size_t>(s.cap()), Bool(false));
  std::vector<z3::expr> end(static_cast<size_t>(s.cap() + 1), Bool(false));
  int max_count = 0;
  for (size_t k = 0; k < r.options.size(); ++k) {
    const Tokens t = TypeMatches(s, r.options[k]);
    for (size_t i = 0; i < start.size(); ++i) Assign(&start[i], Or(start[i], And(r.guards[k], t.start[i])));
    for (size_t i = 0; i < end.size(); ++i) Assign(&end[i], Or(end[i], And(r.guards[k], t.end[i])));
    max_count = std::max(max_count, t.max_count);
  }
  return FromFlags(s, std::move(start), std::move(end), max_count);
}

z3::expr Builder::MatchBegin(const Tokens& t, const z3::expr& j) {
  z3::expr out = Int(0);
  for (int i = static_cast<int>(t.start.size()) - 1; i >= 0; --i) {
    const size_t u = static_cast<size_t>(i);
    Assign(&out, Ite(And(t.start[u], Eq(t.starts_before[u], j)), Int(i), out));
  }
  return out;
}

z3::expr Builder::MatchEnd(const Tokens& t, const z3::expr& j) {
  z3::expr out = Int(0);
  const z3::expr ordinal = Add(j, Int(1));
  for (int k = static_cast<int>(t.end.size()) - 1; k >= 1; --k) {
    const size_t u = static_cast<size_t>(k);
    Assign(&out, Ite(And(t.end[u], Eq(t.ends_upto[u], ordinal)), Int(k), out));
  }
  return out;
}

SymStr Builder::Filter(const SymStr& s, const std::vector<z3::expr>& keep) {
  deadline_.Check();
  std::vector<z3::expr> before{Int(0)};
  for (const z3::expr& k : keep) before.push_back(Add(before.back(), Count(k)));
  SymStr out{before.back(), {}};
  for (int p = 0; p < s.cap(); ++p) {
    z3::expr c = Int(kPad);
    for (int i = s.cap() - 1; i >= p; --i) {
      const size_t u = static_cast<size_t>(i);
      Assign(&c, Ite(And(keep[u], Eq(before[u], Int(p))), s.ch[u], c));
    }
    out.ch.push_back(c);
  }
  return out;
}

z3::expr Builder::Find(const SymStr& s, const SymStr& m) {
  deadline_.Check();
  z3::expr out = Int(-1);
  for (int p = s.cap() - 1; p >= 0; --p) {
    // m fits at p, and each of its characters matches (one n-ary `and`).
    std::vector<z3::expr> occ{Le(Add(m.len, Int(p)), s.len)};
    for (int q = 0; q < m.cap() && !occ.back().is_false(); ++q) {
      const z3::expr beyond = Le(m.len, Int(q));
      const z3::expr same = p + q < s.cap()
                                ? Eq(s.ch[static_cast<size_t>(p + q)], m.ch[static_cast<size_t>(q)])
                                : Bool(false);
      occ.push_back(Or(beyond, same));
    }
    Assign(&out, Ite(And(occ), Int(p), out));
  }
  return out;
}

SymStr Builder::MapChars(const SymStr& s, CaseMap m, const std::vector<z3::expr>& use_title) {
  deadline_.Check();
  bool any_title = false;
  for (const z3::expr& t : use_title) any_title = any_title || !t.is_false();
  const int expansion = std::max(alphabet_.MaxExpansion(m),
                                 any_title ? alphabet_.MaxExpansion(CaseMap::kTitle) : 1);
  auto piece = [&](size_t i, int k) {
    return Ite(use_title[i], MapChar(CaseMap::kTitle, s.ch[i], k), MapChar(m, s.ch[i], k));
  };
  if (expansion == 1) {
    SymStr out{s.len, {}};
    for (size_t i = 0; i < s.ch.size(); ++i) out.ch.push_back(piece(i, 0));
    return out;
  }
  // Pieces of varying length: character i's piece starts at before[i].
  std::vector<z3::expr> before{Int(0)}, length;
  for (size_t i = 0; i < s.ch.size(); ++i) {
    const z3::expr n = Ite(use_title[i], MapLength(CaseMap::kTitle, s.ch[i]), MapLength(m, s.ch[i]));
    length.push_back(Ite(Lt(Int(static_cast<int>(i)), s.len), n, Int(0)));
    before.push_back(Add(before.back(), length.back()));
  }
  SymStr out{before.back(), {}};
  for (int p = 0; p < s.cap() * expansion; ++p) {
    z3::expr c = Int(kPad);
    for (int i = std::min(p, s.cap() - 1); i >= 0 && i * expansion + expansion > p; --i) {
      for (int k = expansion - 1; k >= 0; --k) {
        if (k > p) continue;
        const size_t u = static_cast<size_t>(i);
        Assign(&c, Ite(And(Eq(Add(before[u], Int(k)), Int(p)), Lt(Int(k), length[u])), piece(u, k), c));
      }
    }
    out.ch.push_back(c);
  }
  return out;
}

}  // namespace flashsynth::solver::internal
