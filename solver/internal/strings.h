// solver/internal/strings.h: bounded strings as Z3 integer terms.
//
// Private to solver/ (includes z3++.h; only solver/*.cc include it).
//
// A string of at most `cap` characters is a length term and `cap` character
// terms (Unicode code points as Z3 Ints). Positions at or past the length
// hold kPad, so two strings are equal exactly when their lengths and all
// their character terms are equal. Every DSL operator is a circuit of
// `ite`/comparison/addition terms over these, exact for every string that
// fits its capacity; capacities are computed statically from the input
// bounds, so no operator ever truncates. We use this instead of Z3's
// sequence theory: it is exact for bounded lengths and much faster on Z3
// 4.8.12.
//
// The builder folds constants as it goes (a comparison of two numerals is
// `true` or `false`, `ite(true, a, b)` is `a`; `i + k == n` becomes
// `i == n - k`, shared by every position of a Slice): when the inputs are
// numerals (hole filling on examples) only the holes stay symbolic; when the
// inputs are variables (the differential check, distinguishing inputs) Z3
// itself computes every value.
#ifndef FLASHSYNTH_SOLVER_INTERNAL_STRINGS_H_
#define FLASHSYNTH_SOLVER_INTERNAL_STRINGS_H_

#include <z3++.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dsl/program.h"

namespace flashsynth::solver::internal {

inline constexpr int kPad = -1;  // character term past the end of a string

// Thrown by encoders when the call's budget runs out; the public entry
// points catch it and return kDeadlineExceeded.
struct DeadlineExceeded {};

class Deadline {
 public:
  explicit Deadline(absl::Duration budget) : end_(absl::Now() + budget) {}
  explicit Deadline(absl::Time end) : end_(end) {}
  absl::Time end() const { return end_; }
  void Check() const {
    if (absl::Now() >= end_) throw DeadlineExceeded{};
  }
  // Milliseconds left (at least 1), for z3's "timeout" parameter.
  unsigned RemainingMs() const;

 private:
  absl::Time end_;
};


enum class CharClass { kLetter, kUpper, kLower, kDigit, kSpace, kCharToken };
// Per-character case mappings; kLowerLetters lower-cases letters only.
enum class CaseMap { kUpper, kLower, kTitle, kLowerLetters };

// What the encoding knows of one character: its classes and case mappings
// (full mappings may expand: U+00DF 'ß' upper-cases to "SS").
struct CharInfo {
  bool letter = false, upper = false, lower = false, digit = false, space = false,
       char_token = false;
  std::u32string upper_map, lower_map, title_map, lower_letters_map;
};

// The finite set of characters an encoding ranges over: printable ASCII,
// tab, LF, CR, plus the characters of the given texts, closed under the case
// mappings. Class predicates on a character term are range tests over this
// set (exact because every character term is a member). Fails with
// kUnimplemented for a character whose case mapping depends on its context
// (Greek final sigma), which a per-character circuit cannot express.
class Alphabet {
 public:
  static absl::StatusOr<Alphabet> Make(const std::vector<std::string>& texts);

  const std::vector<char32_t>& chars() const { return chars_; }
  const CharInfo& info(char32_t c) const { return info_.at(c); }
  bool Has(char32_t c) const { return info_.count(c) > 0; }
  bool Is(CharClass k, char32_t c) const;
  // Longest mapping of any member under `m` (1 when all are 1:1).
  int MaxExpansion(CaseMap m) const;
  const std::u32string& Map(CaseMap m, char32_t c) const;

 private:
  std::vector<char32_t> chars_;  // sorted
  std::map<char32_t, CharInfo> info_;
};

// Assign()
//
// Sets `*to` to `from`. z3++ 4.8.12's move assignment of a z3::expr
// (`e = f(...)`, ast::operator=(ast&&) in z3++.h) overwrites e's term without
// releasing it. The leaked terms stay alive until Z3_del_context, whose leak
// sweep frees them one layer per pass over the whole term table: time
// quadratic in the depth of the circuit (seconds per context for a long
// SubstituteAll). A copy assignment releases the old term, so every
// reassignment of a z3::expr that already holds a term goes through here;
// initialization (`z3::expr e = f(...)`) and moves into empty or moved-from
// exprs are fine.
//
// Example:
//   z3::expr acc = b.Int(0);
//   for (const z3::expr& f : flags) Assign(&acc, b.Add(acc, b.Count(f)));
inline void Assign(z3::expr* to, const z3::expr& from) { *to = from; }

struct SymStr {
  SymStr(z3::expr length, std::vector<z3::expr> chars) : len(std::move(length)), ch(std::move(chars)) {}
  SymStr(const SymStr&) = default;
  SymStr(SymStr&&) = default;
  SymStr& operator=(const SymStr&) = default;
  // Releases the old terms (see Assign()).
  SymStr& operator=(SymStr&& other) {
    Assign(&len, other.len);
    ch = std::move(other.ch);
    return *this;
  }

  z3::expr len;
  std::vector<z3::expr> ch;  // ch.size() is the capacity
  int cap() const { return static_cast<int>(ch.size()); }
};

// The token matches of a regex in a string, as flags and counts over
// positions (all maximal, non-overlapping, left to right, as dsl/match.h).
struct Tokens {
  std::vector<z3::expr> start;          // [i]: a match begins at i (cap)
  std::vector<z3::expr> end;            // [k]: a match ends at k, exclusive (cap + 1)
  std::vector<z3::expr> starts_before;  // [i]: matches beginning before i (cap + 1)
  std::vector<z3::expr> ends_upto;      // [k]: matches ending at or before k (cap + 1)
  z3::expr count;                       // number of matches
  int max_count;                        // static bound on count
};

// A regex chosen among options: guard[k] holds when options[k] is the one
// (a single option with guard `true` for a concrete regex).
struct RegexChoice {
  std::vector<dsl::Regex> options;
  std::vector<z3::expr> guards;
};

class Builder {
 public:
  // `deadline` (not owned) is checked by every string operation.
  Builder(z3::context& ctx, const Alphabet& alphabet, const Deadline* deadline)
      : ctx_(ctx), alphabet_(alphabet), deadline_(*deadline) {}

  z3::context& ctx() { return ctx_; }
  const Alphabet& alphabet() const { return alphabet_; }

  // Folding term constructors.
  z3::expr Int(int v) { return ctx_.int_val(v); }
  z3::expr Bool(bool b) { return ctx_.bool_val(b); }
  z3::expr Ite(const z3::expr& c, const z3::expr& a, const z3::expr& b);
  z3::expr And(const z3::expr& a, const z3::expr& b);
  z3::expr And(const std::vector<z3::expr>& parts);  // all of them (true when empty)
  z3::expr Or(const z3::expr& a, const z3::expr& b);
  z3::expr Not(const z3::expr& a);
  z3::expr Eq(const z3::expr& a, const z3::expr& b);
  z3::expr Lt(const z3::expr& a, const z3::expr& b);
  z3::expr Le(const z3::expr& a, const z3::expr& b) { return Not(Lt(b, a)); }
  z3::expr Add(const z3::expr& a, const z3::expr& b);
  z3::expr Sub(const z3::expr& a, const z3::expr& b);
  z3::expr Max(const z3::expr& a, const z3::expr& b) { return Ite(Lt(a, b), b, a); }
  z3::expr Min(const z3::expr& a, const z3::expr& b) { return Ite(Lt(a, b), a, b); }
  z3::expr Count(const z3::expr& flag) { return Ite(flag, Int(1), Int(0)); }

  // Character predicates and maps on a character term (kPad is in no class).
  z3::expr IsClass(CharClass k, const z3::expr& c);
  z3::expr InAlphabet(const z3::expr& c);

  // Strings.
  SymStr Const(const std::u32string& s);
  SymStr Empty() { return Const(U""); }
  SymStr Ite(const z3::expr& c, const SymStr& a, const SymStr& b);
  // Strings equal (both padded canonically).
  z3::expr Eq(const SymStr& a, const SymStr& b);
  // s[idx] or kPad; `idx` is known to lie in [lo, hi].
  z3::expr At(const SymStr& s, const z3::expr& idx, int lo, int hi);
  z3::expr At(const SymStr& s, const z3::expr& idx) { return At(s, idx, 0, s.cap() - 1); }
  // s[start:stop] for 0 <= start, stop <= len (empty when start >= stop).
  SymStr Slice(const SymStr& s, const z3::expr& start, const z3::expr& stop);
  // Python's s[start:stop] for any integers (negative from the end, clamped).
  SymStr PySlice(const SymStr& s, const z3::expr& start, const z3::expr& stop);
  SymStr Concat(const SymStr& a, const SymStr& b);
  // Same string with capacity `cap` (the caller knows len <= cap).
  SymStr Recap(const SymStr& s, int cap);

  Tokens Matches(const SymStr& s, const RegexChoice& r);
  // Start and end of the j-th match (0-based); 0 when out of range.
  z3::expr MatchBegin(const Tokens& t, const z3::expr& j);
  z3::expr MatchEnd(const Tokens& t, const z3::expr& j);
  // The characters of s whose flag holds, in order.
  SymStr Filter(const SymStr& s, const std::vector<z3::expr>& keep);
  // Position of the first occurrence of non-empty m in s, or -1.
  z3::expr Find(const SymStr& s, const SymStr& m);
  // Maps every character through `m` (per-character full case mapping);
  // `use_title[i]` picks the title mapping instead at position i.
  SymStr MapChars(const SymStr& s, CaseMap m, const std::vector<z3::expr>& use_title);

 private:
  Tokens FromFlags(const SymStr& s, std::vector<z3::expr> start, std::vector<z3::expr> end,
                   int max_count);
  std::vector<z3::expr> ClassFlags(const SymStr& s, CharClass k);
  Tokens TypeMatches(const SymStr& s, dsl::Regex r);
  // The i-th character (0-based) of c's mapping under m, or kPad.
  z3::expr MapChar(CaseMap m, const z3::expr& c, int i);
  z3::expr MapLength(CaseMap m, const z3::expr& c);

  z3::context& ctx_;
  const Alphabet& alphabet_;
  const Deadline& deadline_;
};

// Deletes `ctx` on a detached thread. Z3 4.8.12's Z3_del_context takes time
// quadratic in the depth of the terms built (seconds for deep circuits), so
// the entry points return first and let the context go in the background.
// Every term of `ctx` must already be released.
void ReleaseInBackground(std::unique_ptr<z3::context> ctx);

// Runs `body(ctx)` on a fresh context: the encoder's deadline becomes
// kDeadlineExceeded, a Z3 exception kInternal, and the context is deleted in
// the background. Every public entry point goes through here.
template <typename T, typename Body>
absl::StatusOr<T> RunInFreshContext(Body body) {
  auto ctx = std::make_unique<z3::context>();
  absl::StatusOr<T> result;
  try {
    result = body(*ctx);
  } catch (const DeadlineExceeded&) {
    result = absl::DeadlineExceededError("the budget ran out while encoding");
  } catch (const z3::exception& e) {
    result = absl::InternalError(std::string("z3: ") + e.msg());
  }
  ReleaseInBackground(std::move(ctx));
  return result;
}

// Helpers shared by the encoders.
std::u32string ToU32(std::string_view utf8);  // valid UTF-8
std::string FromU32(const std::u32string& s);
// Reads a string's value from a model (kPad-free by construction).
std::string ValueOf(const z3::model& m, const SymStr& s);

}  // namespace flashsynth::solver::internal

#endif  // FLASHSYNTH_SOLVER_INTERNAL_STRINGS_H_
