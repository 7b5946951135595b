// neural/induction/neural_gpu_tasks.h: the Neural GPU's tasks as tapes of symbols
// (Kaiser & Sutskever 2016, sections 3.1-3.2; ../shared/reference/
// neural_gpu.md, section 3). Torch-free.
//
// A tape is a grid of `height` rows by `length` positions. The model reads
// the whole grid and writes one symbol per position of row 0; `target` says
// which. Symbol 0 is padding everywhere: an empty cell of the grid, and in
// the target the positions past the answer.
//
// The binary tasks use the paper's formats and its code's symbol ids
// (data_utils.py): bit b is b + 1, the separator is 11 for addition and 12
// for multiplication; numbers are little-endian (least significant bit
// first) and may have leading zeros. For d-bit operands:
//
//   badd       x_0..x_{d-1} + y_0..y_{d-1}      n = 2d + 1, the sum (d + 1 bits)
//   bmul       x_0..x_{d-1} * y_0..y_{d-1}      n = 2d + 1, the product (2d bits)
//   copy       b_1..b_d                         n = d, the same bits
//   reverse    b_1..b_d                         n = d, the bits reversed
//   duplicate  b_1..b_d then d padding cells    n = 2d, the bits twice
//
//   5 + 14 = 19 (d = 4): row 0 "1 0 1 0 + 0 1 1 1" -> target "1 1 0 0 1 _ _ _ _"
//
// String tasks (our layout; no paper applies the Neural GPU to them): row 0
// holds the new input, row j (1..4) the observed example j as "I_j SEP
// O_j"; the target is the new output from position 0, then an end symbol,
// then padding. The grid is `height` = observed + 1 rows.
//
// Example:
//   std::mt19937_64 rng(1);
//   Tape t = MakeBinaryTape(NeuralGpuTask::kBinaryAddition, 20, rng);
//   // t.length == 41, t.height == 4, t.symbols[20] == kSymbolPlus
#ifndef FLASHSYNTH_NEURAL_INDUCTION_NEURAL_GPU_TASKS_H_
#define FLASHSYNTH_NEURAL_INDUCTION_NEURAL_GPU_TASKS_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "dsl/interpreter.h"
#include "neural/decoder.h"

namespace flashsynth::neural {

enum class NeuralGpuTask : uint8_t {
  kBinaryAddition,        // "badd"
  kBinaryMultiplication,  // "bmul"
  kCopy,                  // "copy"
  kReverse,               // "reverse"
  kDuplicate,             // "duplicate"
  kStrings,               // "strings": FlashFill-style induction
};

std::string_view NeuralGpuTaskName(NeuralGpuTask task);
std::optional<NeuralGpuTask> NeuralGpuTaskByName(std::string_view name);

// Symbols of the binary tasks.
inline constexpr int kSymbolPad = 0;
inline constexpr int kSymbolZero = 1;   // bit 0
inline constexpr int kSymbolOne = 2;    // bit 1
inline constexpr int kSymbolPlus = 11;
inline constexpr int kSymbolTimes = 12;
inline constexpr int kBinaryVocabSize = 13;

// Symbols of the string tasks: printable ASCII has its own, every other
// character is kStringUnknown.
inline constexpr int kStringSeparator = 1;  // between I_j and O_j
inline constexpr int kStringEnd = 2;        // after the output in the target
inline constexpr int kStringUnknown = 3;
inline constexpr int kStringColumn = 4;     // between the cells of a row
inline constexpr int kStringFirstPrintable = 5;  // ' ' .. '~' follow
inline constexpr int kStringVocabSize = kStringFirstPrintable + 95;

// Symbols of `task`'s tapes, padding included.
int VocabSize(NeuralGpuTask task);

struct Tape {
  int height = 0;
  int length = 0;
  std::vector<int> symbols;  // height * length, row-major: row r at r * length
  std::vector<int> target;   // length symbols of row 0's answer
};

// A random tape of a binary task with d = `bits` (>= 1): operands or bit
// strings uniform over all d-bit strings.
Tape MakeBinaryTape(NeuralGpuTask task, int bits, std::mt19937_64& rng, int height = 4);

// The tape of given operands, least significant bit first (equal lengths,
// each bit 0 or 1). badd/bmul use both; copy, reverse and duplicate only x.
Tape MakeBinaryTapeOf(NeuralGpuTask task, absl::Span<const int> x, absl::Span<const int> y,
                      int height = 4);

// A badd tape with d = `bits` (>= 1) whose carry runs long: random operands
// but for a chain of L bits, L uniform in [1, d] at a uniform place, whose
// first bit makes a carry (x_i = y_i = 1) and the others pass it on
// (x_i + y_i = 1); one tape in 8 instead has y = NOT x, no carry at all (as
// "alternating" below). Random operands have carry chains of about log2(d)
// bits, so training on them alone rarely shows a long one; a share of these
// is the remedy Price et al. point to for the long-carry failures.
Tape MakeCarryHeavyTape(int bits, std::mt19937_64& rng, int height = 4);

// Inputs on which models that handle random operands still fail (Price et
// al. 2016, section 5), all with d = `bits` (>= 2):
//   badd  "carry-chain": 11...1 + 10...0 (the carry runs through every bit)
//         "alternating": 0101... + 1010... (no carry at all)
//   bmul  "two-times-two": 000...002 x 000...002 (2 x 2 with leading zeros)
//         "ones-times-ones": 11...1 x 11...1 (carries everywhere)
struct HardCase {
  std::string name;
  Tape tape;
};
std::vector<HardCase> HardCases(NeuralGpuTask task, int bits, int height = 4);

// The string-task tape for `query` given `observed` examples, with the
// target when `output` is given. Rows and outputs are cut at `max_chars`
// characters each; the length leaves room for an answer as long as the
// longest observed output plus the query (the model cannot write past
// it). The tape has `height` rows (0: observed + 1); rows past the
// examples stay empty, so a model trained on 4 examples can read 3.
// kInvalidArgument when `observed` is empty, inputs and outputs differ in
// number, or the examples do not fit in `height` - 1 rows.
absl::StatusOr<Tape> MakeStringTape(const IoExamples& observed, const dsl::Row& query,
                                    const std::string* output, int max_chars, int height = 0);

// The answer written on row 0: the characters before the first kStringEnd
// or padding symbol (kStringUnknown and separators are dropped).
std::string ReadStringAnswer(absl::Span<const int> row0);

// Whether the model's row 0 equals the target at every position.
bool TapeCorrect(const Tape& tape, absl::Span<const int> row0);

}  // namespace flashsynth::neural

#endif  // FLASHSYNTH_NEURAL_INDUCTION_NEURAL_GPU_TASKS_H_
