// tests/fuzz/decimal_fuzzer.cc: libFuzzer target for the number reader and
// formatter: ParseDecimal(), FindNumbers(), the Decimal operations,
// ParseNumberFormat() and the DSL's number operators in the interpreter.
//
// Any text must read or give nullopt cleanly (ASan and UBSan watch the
// rest), under each decimal mark. A value that reads must survive its plain
// text form (ToString() read back gives an equal value), and rounding,
// scaling and formatting it must stay total: nullopt or a value, never a
// crash. FindNumbers() on the text must give numbers in order, inside the
// text, not overlapping, each one its own bytes read back by ParseDecimal().
// The input's last byte picks the places, the step and the format, so
// plain number seeds stay meaningful.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "dsl/decimal.h"
#include "dsl/interpreter.h"
#include "dsl/number_format.h"
#include "dsl/number_reader.h"
#include "dsl/parser.h"

namespace {

using flashsynth::dsl::Decimal;
using flashsynth::dsl::DecimalMark;
using flashsynth::dsl::FormatDecimal;
using flashsynth::dsl::Grouping;
using flashsynth::dsl::NumberFormat;
using flashsynth::dsl::NumberFormatCode;
using flashsynth::dsl::NumberReading;
using flashsynth::dsl::ParseNumberFormat;
using flashsynth::dsl::ParseDecimal;
using flashsynth::dsl::RoundingMode;
using flashsynth::dsl::SignStyle;

constexpr RoundingMode kModes[] = {RoundingMode::kHalfAwayFromZero, RoundingMode::kHalfEven,
                                   RoundingMode::kTowardZero,       RoundingMode::kAwayFromZero,
                                   RoundingMode::kFloor,            RoundingMode::kCeiling};

void Exercise(const Decimal& x, uint8_t knob) {
  std::optional<Decimal> back = ParseDecimal(x.ToString(), NumberReading{});
  if (!back || !(*back == x)) std::abort();  // the plain form reads back
  const RoundingMode mode = kModes[knob % 6];
  const int places = static_cast<int>(knob % 7) - 2;
  (void)x.RoundToDecimals(places, mode);
  (void)x.ScaleByPowerOfTen(static_cast<int>(knob % 13) - 6);
  const char* steps[] = {"5", "50", "0.05", "0.5", "1000", "0.001"};
  if (std::optional<Decimal> step = ParseDecimal(steps[knob % 6], NumberReading{})) {
    (void)x.RoundToMultiple(*step, mode);
  }
  (void)x.Add(x);
  (void)x.Subtract(x);
  NumberFormat f;
  f.min_decimals = knob % 3;
  f.max_decimals = f.min_decimals + knob % 4;
  f.min_integer_digits = 1 + knob % 6;
  f.grouping = static_cast<Grouping>(knob % 3);
  f.sign = static_cast<SignStyle>((knob / 3) % 3);
  if (knob & 0x80) {
    f.group_mark = ".";
    f.decimal_mark = ",";
  }
  (void)FormatDecimal(x, f);
}

// The numbers of `text` under `mark` obey FindNumbers()'s contract.
void CheckNumbers(std::string_view text, DecimalMark mark) {
  size_t last_end = 0;
  for (const flashsynth::dsl::NumberMatch& m : flashsynth::dsl::FindNumbers(text, mark)) {
    if (m.begin < last_end || m.end <= m.begin || m.end > text.size()) std::abort();
    last_end = m.end;
    NumberReading how;
    how.decimal_mark = mark;
    std::optional<Decimal> again = ParseDecimal(text.substr(m.begin, m.end - m.begin), how);
    if (!again || !(*again == m.value)) std::abort();
  }
}

// Number programs run on the text as a cell: total, whatever it holds.
void RunPrograms(const std::string& cell) {
  static const auto* programs = [] {
    auto* list = new std::vector<flashsynth::dsl::Program>;
    for (const char* text : {
             R"(Concat(Format("#,##0.00", Comma, Parens, Round(Nearest, 0.05, Scale(2, ReadNumber(Guess, -1))))))",
             R"(Concat(Format("0", Dot, Minus, Bin(Low, 25, 1, ReadNumber(Dot, 1))), ConstStr("-"), Format("0", Dot, Plus, Bin(HighInclusive, 0.5, 0, ReadNumber(Comma, 2)))))",
             R"(Concat(Format("0.*", SpaceComma, Minus, Round(NearestEven, 1000, ReadNumber(Dot, 3, Trim())))))",
             R"(Concat(Format("₹#,##,##0.###", Apostrophe, Plus, Scale(-12, ReadNumber(Dot, -5)))))",
         }) {
      list->push_back(*flashsynth::dsl::Parse(text));
    }
    return list;
  }();
  for (const flashsynth::dsl::Program& p : *programs) (void)flashsynth::dsl::Evaluate(p, {cell});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const uint8_t knob = size > 0 ? data[size - 1] : 0;
  for (DecimalMark mark : {DecimalMark::kDot, DecimalMark::kComma, DecimalMark::kGuess}) {
    NumberReading how;
    how.decimal_mark = mark;
    if (std::optional<Decimal> x = ParseDecimal(text, how)) Exercise(*x, knob);
    CheckNumbers(text, mark);
  }
  RunPrograms(std::string(text));
  // The same text as a format code: read or refused cleanly; one that reads
  // prints back to a code that reads as the same format.
  if (auto format = ParseNumberFormat(text); format.ok()) {
    auto again = ParseNumberFormat(NumberFormatCode(*format));
    if (!again.ok() || !(*again == *format)) std::abort();
    (void)FormatDecimal(Decimal::FromInt(-1234567), *format);
  }
  return 0;
}
