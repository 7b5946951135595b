// synth/internal/evidence.h: what the rows to fill say about candidate programs
// (internal to synth/).
//
// The rows to fill carry no outputs, but their inputs still judge a
// candidate: a substring that starts and ends at token seams of its cell on
// every example (a word, a number, a field between commas) but cuts a token
// in two on new rows is likely an accident of the examples (SubStr(1, 16)
// fitting three 16-character prefixes). Programs are charged for such cuts.
#ifndef FLASHSYNTH_SYNTH_INTERNAL_EVIDENCE_H_
#define FLASHSYNTH_SYNTH_INTERNAL_EVIDENCE_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "dsl/interpreter.h"
#include "dsl/program.h"
#include "synth/synthesizer.h"

namespace flashsynth::synth::internal {

// Token class of a character for seams: digits, upper-case letters, other
// letters, and each other character its own class.
int SeamClass(char32_t c);

// Whether position q of `chars` is a seam: an end, or a change of class
// other than upper-case to lower-case ("Ada" is one token, "McCoy" two).
bool IsSeam(const std::u32string& chars, size_t q);

// Per-row score charge (>= 0) for `program`'s substrings that sit at seams
// on every example but not on the rows to fill; kSeamCharge per such
// substring when it breaks on every row, proportionally less otherwise.
inline constexpr double kSeamCharge = 20.0;
double SeamPenalty(const dsl::Program& program, absl::Span<const Example> examples,
                   absl::Span<const dsl::Row> rows);

// Per-row score charge (>= 0) for `program`'s outputs on the rows to fill
// whose punctuation (characters that are neither letters, digits nor white
// space) is out of the examples' range: for some character, more or fewer
// occurrences than any example output has. kShapeCharge when every row is
// off, proportionally less otherwise; rows with no output are not judged.
// Text written by Format expressions is not counted on either side: a
// number's marks follow its value ("3.5" beside "7500").
inline constexpr double kShapeCharge = 10.0;
double ShapePenalty(const dsl::Program& program, absl::Span<const Example> examples,
                    absl::Span<const dsl::Row> rows);

}  // namespace flashsynth::synth::internal

#endif  // FLASHSYNTH_SYNTH_INTERNAL_EVIDENCE_H_
