// benchmarks/sygus.h: reads a SyGuS programming-by-example problem (.sl).
//
// The SyGuS-Comp PBE tracks state each task as one `synth-fun` plus
// `(constraint (= (f "in1" "in2") "out"))` lines. ParseSygus() reads the
// s-expressions of SyGuS-IF v1 and v2 and keeps what a PBE benchmark needs:
// the function's signature and its input/output examples. The grammar is
// skipped (our DSL is fixed), so v1 grammars and v2 grammars with their
// non-terminal predeclarations read alike.
//
// No I/O: the caller reads the file and passes its text.
#ifndef FLASHSYNTH_BENCHMARKS_SYGUS_H_
#define FLASHSYNTH_BENCHMARKS_SYGUS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace flashsynth::bench {

struct SygusParam {
  std::string name;
  std::string sort;  // "String", "Int", "Bool", or another sort as written: "(_ BitVec 8)"
};

// One `constraint`: the function's arguments and the value it must return.
// Values are text: a String is its decoded contents, an Int its decimal
// numeral ("-5" for `-5` or `(- 5)`), a Bool "true" or "false" (as in the
// benchmark CSVs). A value of another sort is its literal as written.
struct SygusExample {
  std::vector<std::string> inputs;  // one per param, in order
  std::string output;
  int line = 0;  // 1-based line of the `constraint`
};

struct SygusTask {
  std::string logic;     // from `set-logic`; empty when absent
  std::string function;  // the synth-fun's name, usually "f"
  std::vector<SygusParam> params;
  std::string return_sort;
  std::vector<SygusExample> examples;  // in file order, duplicates kept
  // Every param and the result are String: the only tasks our DSL can
  // express. Others are parsed all the same so that a runner can say why it
  // skips them.
  bool all_string = false;

  // "(String,Int)->String", for reports.
  std::string Signature() const;
};

// ParseSygus()
//
// Reads one PBE problem. Accepts LF, CRLF (even CR CR LF) line ends, `;`
// comments, `|quoted symbols|`, and SMT-LIB string literals: `""` inside a
// literal is one quote; the SMT-LIB 2.6 escapes \u{X}..\u{XXXXX} and \uXXXX
// and the older (CVC4, SyGuS v1) \xXX are decoded to UTF-8, any other
// backslash is kept as written. Int literals may be `5`, `-5` (v1) or
// `(- 5)` (v2). `set-logic`, `synth-fun`, `declare-var` and `constraint` are
// read; `check-synth`, `set-option`, `set-info` and any other command are
// skipped.
//
// Returns kInvalidArgument, with a message starting "line L, column C: "
// (1-based; columns count characters), for unbalanced parentheses, an
// unterminated string, a code point outside UTF-8 (a surrogate), no
// synth-fun or more than one, a constraint that is not an example of the
// synth-fun (`(= (f lit...) lit)` either way round) or whose literals do not
// match its sorts, or no constraint at all.
//
// Example:
//   absl::StatusOr<SygusTask> t = ParseSygus(
//       "(synth-fun f ((name String)) String)\n"
//       "(constraint (= (f \"Ada Lovelace\") \"A.L.\"))\n");
//   // t->examples[0].inputs == {"Ada Lovelace"}, t->examples[0].output == "A.L.",
//   // t->all_string == true
absl::StatusOr<SygusTask> ParseSygus(std::string_view text);

}  // namespace flashsynth::bench

#endif  // FLASHSYNTH_BENCHMARKS_SYGUS_H_
