#include "neural/induction/neural_gpu_tasks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "neural/tokens.h"

namespace flashsynth::neural {

namespace {

constexpr std::string_view kTaskNames[] = {"badd", "bmul", "copy", "reverse", "duplicate",
                                           "strings"};

int Bit(int b) { return b == 0 ? kSymbolZero : kSymbolOne; }

Tape EmptyTape(int height, int length) {
  Tape t;
  t.height = height;
  t.length = length;
  t.symbols.assign(static_cast<size_t>(height) * static_cast<size_t>(length), kSymbolPad);
  t.target.assign(static_cast<size_t>(length), kSymbolPad);
  return t;
}

// Little-endian bits of x + y or x * y, as many as the result needs.
std::vector<int> Sum(absl::Span<const int> x, absl::Span<const int> y) {
  std::vector<int> out;
  int carry = 0;
  for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
    const int s = (i < x.size() ? x[i] : 0) + (i < y.size() ? y[i] : 0) + carry;
    out.push_back(s & 1);
    carry = s >> 1;
  }
  if (carry) out.push_back(1);
  return out;
}

std::vector<int> Product(absl::Span<const int> x, absl::Span<const int> y) {
  std::vector<int> acc(x.size() + y.size(), 0);
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] == 0) continue;
    int carry = 0;
    for (size_t j = 0; j < x.size() || carry; ++j) {
      const int s = acc[i + j] + (j < x.size() ? x[j] : 0) + carry;
      acc[i + j] = s & 1;
      carry = s >> 1;
    }
  }
  return acc;
}

void WriteTarget(absl::Span<const int> bits, Tape* t) {
  // Trailing zeros of the result are written as bits too: the paper's
  // outputs keep the result's full width (d + 1 bits for a sum).
  for (size_t i = 0; i < bits.size() && i < t->target.size(); ++i) t->target[i] = Bit(bits[i]);
}

// The symbols of `text`, at most `max_chars` of them; characters are read
// as the RobustFill models read them (tokens.h: a byte of invalid UTF-8 is
// one unknown character).
std::vector<int> TextSymbols(std::string_view text, int max_chars) {
  std::vector<int> ids = EncodeText(text, max_chars);
  ids.pop_back();  // its EOS
  for (int& id : ids) {
    id = id >= kCharFirstPrintable ? id - kCharFirstPrintable + kStringFirstPrintable
                                   : kStringUnknown;
  }
  return ids;
}

std::vector<int> RowSymbols(const dsl::Row& row, int max_chars) {
  std::vector<int> out;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out.push_back(kStringColumn);
    std::vector<int> cell = TextSymbols(row[i], max_chars);
    out.insert(out.end(), cell.begin(), cell.end());
  }
  if (static_cast<int>(out.size()) > max_chars) out.resize(static_cast<size_t>(max_chars));
  return out;
}

}  // namespace

std::string_view NeuralGpuTaskName(NeuralGpuTask task) {
  return kTaskNames[static_cast<int>(task)];
}

std::optional<NeuralGpuTask> NeuralGpuTaskByName(std::string_view name) {
  for (int i = 0; i < static_cast<int>(std::size(kTaskNames)); ++i) {
    if (kTaskNames[i] == name) return static_cast<NeuralGpuTask>(i);
  }
  return std::nullopt;
}

int VocabSize(NeuralGpuTask task) {
  return task == NeuralGpuTask::kStrings ? kStringVocabSize : kBinaryVocabSize;
}

Tape MakeBinaryTapeOf(NeuralGpuTask task, absl::Span<const int> x, absl::Span<const int> y,
                      int height) {
  const int d = static_cast<int>(x.size());
  switch (task) {
    case NeuralGpuTask::kBinaryAddition:
    case NeuralGpuTask::kBinaryMultiplication: {
      Tape t = EmptyTape(height, 2 * d + 1);
      for (int i = 0; i < d; ++i) {
        t.symbols[static_cast<size_t>(i)] = Bit(x[static_cast<size_t>(i)]);
        t.symbols[static_cast<size_t>(d + 1 + i)] = Bit(y[static_cast<size_t>(i)]);
      }
      const bool add = task == NeuralGpuTask::kBinaryAddition;
      t.symbols[static_cast<size_t>(d)] = add ? kSymbolPlus : kSymbolTimes;
      WriteTarget(add ? Sum(x, y) : Product(x, y), &t);
      return t;
    }
    case NeuralGpuTask::kCopy:
    case NeuralGpuTask::kReverse: {
      Tape t = EmptyTape(height, d);
      for (int i = 0; i < d; ++i) {
        t.symbols[static_cast<size_t>(i)] = Bit(x[static_cast<size_t>(i)]);
        const int from = task == NeuralGpuTask::kCopy ? i : d - 1 - i;
        t.target[static_cast<size_t>(i)] = Bit(x[static_cast<size_t>(from)]);
      }
      return t;
    }
    case NeuralGpuTask::kDuplicate: {
      Tape t = EmptyTape(height, 2 * d);
      for (int i = 0; i < d; ++i) {
        t.symbols[static_cast<size_t>(i)] = Bit(x[static_cast<size_t>(i)]);
        t.target[static_cast<size_t>(i)] = Bit(x[static_cast<size_t>(i)]);
        t.target[static_cast<size_t>(d + i)] = Bit(x[static_cast<size_t>(i)]);
      }
      return t;
    }
    case NeuralGpuTask::kStrings:
      break;
  }
  return EmptyTape(height, 1);  // kStrings has no binary tape
}

Tape MakeBinaryTape(NeuralGpuTask task, int bits, std::mt19937_64& rng, int height) {
  std::vector<int> x(static_cast<size_t>(bits)), y(static_cast<size_t>(bits));
  for (int& b : x) b = static_cast<int>(rng() & 1);
  for (int& b : y) b = static_cast<int>(rng() & 1);
  return MakeBinaryTapeOf(task, x, y, height);
}

Tape MakeCarryHeavyTape(int bits, std::mt19937_64& rng, int height) {
  const auto d = static_cast<size_t>(bits);
  std::vector<int> x(d), y(d);
  for (size_t i = 0; i < d; ++i) {
    x[i] = static_cast<int>(rng() & 1);
    y[i] = static_cast<int>(rng() & 1);
  }
  if (rng() % 8 == 0) {
    for (size_t i = 0; i < d; ++i) y[i] = 1 - x[i];
  } else {
    const size_t length = 1 + static_cast<size_t>(rng() % d);
    const size_t start = static_cast<size_t>(rng() % (d - length + 1));
    x[start] = y[start] = 1;
    for (size_t i = start + 1; i < start + length; ++i) y[i] = 1 - x[i];
  }
  return MakeBinaryTapeOf(NeuralGpuTask::kBinaryAddition, x, y, height);
}

std::vector<HardCase> HardCases(NeuralGpuTask task, int bits, int height) {
  const auto d = static_cast<size_t>(bits);
  std::vector<HardCase> out;
  if (bits < 2) return out;
  if (task == NeuralGpuTask::kBinaryAddition) {
    std::vector<int> ones(d, 1), one(d, 0), even(d), odd(d);
    one[0] = 1;
    for (size_t i = 0; i < d; ++i) {
      even[i] = static_cast<int>(i % 2);
      odd[i] = 1 - even[i];
    }
    out.push_back({"carry-chain", MakeBinaryTapeOf(task, ones, one, height)});
    out.push_back({"alternating", MakeBinaryTapeOf(task, even, odd, height)});
  } else if (task == NeuralGpuTask::kBinaryMultiplication) {
    std::vector<int> two(d, 0), ones(d, 1);
    two[1] = 1;
    out.push_back({"two-times-two", MakeBinaryTapeOf(task, two, two, height)});
    out.push_back({"ones-times-ones", MakeBinaryTapeOf(task, ones, ones, height)});
  }
  return out;
}

absl::StatusOr<Tape> MakeStringTape(const IoExamples& observed, const dsl::Row& query,
                                    const std::string* output, int max_chars, int height) {
  if (observed.inputs.empty() || observed.inputs.size() != observed.outputs.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "need observed examples with one output per input row (", observed.inputs.size(),
        " rows, ", observed.outputs.size(), " outputs)"));
  }
  const size_t rows_needed = observed.inputs.size() + 1;
  if (height == 0) height = static_cast<int>(rows_needed);
  if (static_cast<size_t>(height) < rows_needed) {
    return absl::InvalidArgumentError(absl::StrCat("this tape has room for ", height - 1,
                                                   " examples, not ", observed.inputs.size()));
  }
  std::vector<std::vector<int>> rows;
  rows.push_back(RowSymbols(query, max_chars));
  size_t longest_output = 0, longest_row = rows[0].size();
  for (size_t j = 0; j < observed.inputs.size(); ++j) {
    std::vector<int> row = RowSymbols(observed.inputs[j], max_chars);
    std::vector<int> out = TextSymbols(observed.outputs[j], max_chars);
    longest_output = std::max(longest_output, out.size());
    row.push_back(kStringSeparator);
    row.insert(row.end(), out.begin(), out.end());
    longest_row = std::max(longest_row, row.size());
    rows.push_back(std::move(row));
  }
  // Room for the answer and its end symbol.
  const size_t length = std::max(longest_row, rows[0].size() + longest_output + 1);
  Tape t = EmptyTape(height, static_cast<int>(length));
  for (size_t r = 0; r < rows.size(); ++r) {
    std::copy(rows[r].begin(), rows[r].end(), t.symbols.begin() + static_cast<long>(r * length));
  }
  if (output != nullptr) {
    std::vector<int> answer = TextSymbols(*output, max_chars);
    answer.push_back(kStringEnd);
    answer.resize(std::min(answer.size(), length));
    std::copy(answer.begin(), answer.end(), t.target.begin());
  }
  return t;
}

std::string ReadStringAnswer(absl::Span<const int> row0) {
  std::string out;
  for (int s : row0) {
    if (s == kStringEnd || s == kSymbolPad) break;
    if (s >= kStringFirstPrintable && s < kStringVocabSize) {
      out.push_back(static_cast<char>(' ' + (s - kStringFirstPrintable)));
    }
  }
  return out;
}

bool TapeCorrect(const Tape& tape, absl::Span<const int> row0) {
  return row0.size() == tape.target.size() &&
         std::equal(tape.target.begin(), tape.target.end(), row0.begin());
}

}  // namespace flashsynth::neural
