#include "neural/induction/neural_gpu_tasks.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace flashsynth::neural {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

constexpr int O = kSymbolZero;  // bit 0
constexpr int I = kSymbolOne;   // bit 1
constexpr int P = kSymbolPlus;
constexpr int T = kSymbolTimes;
constexpr int _ = kSymbolPad;

std::vector<int> Row0(const Tape& t) {
  return {t.symbols.begin(), t.symbols.begin() + t.length};
}

// The value of little-endian bit symbols.
uint64_t Value(const std::vector<int>& symbols) {
  uint64_t v = 0;
  for (size_t i = symbols.size(); i-- > 0;) {
    if (symbols[i] == _) continue;
    v = v * 2 + (symbols[i] == I ? 1 : 0);
  }
  return v;
}

TEST(NeuralGpuTasksTest, TaskNamesRoundTrip) {
  for (NeuralGpuTask t : {NeuralGpuTask::kBinaryAddition, NeuralGpuTask::kBinaryMultiplication,
                          NeuralGpuTask::kCopy, NeuralGpuTask::kReverse, NeuralGpuTask::kDuplicate,
                          NeuralGpuTask::kStrings}) {
    EXPECT_EQ(NeuralGpuTaskByName(NeuralGpuTaskName(t)), t);
  }
  EXPECT_EQ(NeuralGpuTaskByName("add"), std::nullopt);
}

TEST(NeuralGpuTasksTest, AdditionHasThePapersFormat) {
  // 5 + 14 = 19 with 4-bit operands, least significant bit first.
  Tape t = MakeBinaryTapeOf(NeuralGpuTask::kBinaryAddition, {1, 0, 1, 0}, {0, 1, 1, 1});
  EXPECT_EQ(t.height, 4);
  EXPECT_EQ(t.length, 9);
  EXPECT_THAT(Row0(t), ElementsAre(I, O, I, O, P, O, I, I, I));
  EXPECT_THAT(t.target, ElementsAre(I, I, O, O, I, _, _, _, _));
  for (size_t i = static_cast<size_t>(t.length); i < t.symbols.size(); ++i) EXPECT_EQ(t.symbols[i], _);
}

TEST(NeuralGpuTasksTest, MultiplicationHasThePapersFormat) {
  // 6 x 10 = 60 = 111100b.
  Tape t = MakeBinaryTapeOf(NeuralGpuTask::kBinaryMultiplication, {0, 1, 1, 0}, {0, 1, 0, 1});
  EXPECT_THAT(Row0(t), ElementsAre(O, I, I, O, T, O, I, O, I));
  EXPECT_THAT(t.target, ElementsAre(O, O, I, I, I, I, O, O, _));
}

TEST(NeuralGpuTasksTest, RandomTapesComputeTheirResults) {
  std::mt19937_64 rng(3);
  for (int bits = 1; bits <= 16; ++bits) {
    for (NeuralGpuTask task : {NeuralGpuTask::kBinaryAddition, NeuralGpuTask::kBinaryMultiplication}) {
      Tape t = MakeBinaryTape(task, bits, rng);
      ASSERT_EQ(t.length, 2 * bits + 1);
      std::vector<int> row = Row0(t);
      const uint64_t x = Value({row.begin(), row.begin() + bits});
      const uint64_t y = Value({row.begin() + bits + 1, row.end()});
      const uint64_t want = task == NeuralGpuTask::kBinaryAddition ? x + y : x * y;
      EXPECT_EQ(Value(t.target), want) << NeuralGpuTaskName(task) << " " << bits << " bits";
    }
  }
}

// The longest run of bit positions that pass on a carry they receive
// (x_i + y_i = 1), adding x and y (little-endian bit symbols, equal lengths).
int LongestCarryChain(const std::vector<int>& x, const std::vector<int>& y) {
  int carry = 0, run = 0, longest = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const int ones = (x[i] == I) + (y[i] == I);
    run = carry == 1 && ones == 1 ? run + 1 : 0;
    longest = std::max(longest, run);
    carry = ones + carry >= 2 ? 1 : 0;
  }
  return longest;
}

TEST(NeuralGpuTasksTest, CarryHeavyTapesAddAndCarryFarther) {
  constexpr int kBits = 20, kTapes = 400;
  std::mt19937_64 rng(5);
  double random_chains = 0, heavy_chains = 0;
  int no_carry = 0, random_long = 0, heavy_long = 0;  // long: a chain of 15 bits or more
  for (int k = 0; k < kTapes; ++k) {
    for (bool heavy : {false, true}) {
      Tape t = heavy ? MakeCarryHeavyTape(kBits, rng)
                     : MakeBinaryTape(NeuralGpuTask::kBinaryAddition, kBits, rng);
      ASSERT_EQ(t.length, 2 * kBits + 1);
      std::vector<int> row = Row0(t);
      ASSERT_EQ(row[kBits], P);
      const std::vector<int> x(row.begin(), row.begin() + kBits), y(row.begin() + kBits + 1, row.end());
      EXPECT_EQ(Value(t.target), Value(x) + Value(y));
      const int chain = LongestCarryChain(x, y);
      (heavy ? heavy_chains : random_chains) += chain;
      if (chain >= 15) ++(heavy ? heavy_long : random_long);
      if (heavy && chain == 0) ++no_carry;
    }
  }
  random_chains /= kTapes;
  heavy_chains /= kTapes;
  EXPECT_GT(heavy_chains, random_chains + 3) << "random " << random_chains << ", heavy " << heavy_chains;
  EXPECT_LT(random_long, kTapes / 50);
  EXPECT_GT(heavy_long, kTapes / 5);
  EXPECT_GT(no_carry, kTapes / 20);  // the "alternating" shape is drawn too
}

TEST(NeuralGpuTasksTest, CopyReverseAndDuplicate) {
  const std::vector<int> x = {1, 1, 0, 1, 0};
  Tape copy = MakeBinaryTapeOf(NeuralGpuTask::kCopy, x, {});
  EXPECT_THAT(copy.target, ElementsAre(I, I, O, I, O));
  EXPECT_THAT(Row0(copy), ElementsAreArray(copy.target));
  Tape reverse = MakeBinaryTapeOf(NeuralGpuTask::kReverse, x, {});
  EXPECT_THAT(reverse.target, ElementsAre(O, I, O, I, I));
  Tape dup = MakeBinaryTapeOf(NeuralGpuTask::kDuplicate, {0, 0, 1, 1}, {});
  EXPECT_THAT(Row0(dup), ElementsAre(O, O, I, I, _, _, _, _));
  EXPECT_THAT(dup.target, ElementsAre(O, O, I, I, O, O, I, I));
}

TEST(NeuralGpuTasksTest, HardCases) {
  std::vector<HardCase> add = HardCases(NeuralGpuTask::kBinaryAddition, 5);
  ASSERT_EQ(add.size(), 2u);
  EXPECT_EQ(add[0].name, "carry-chain");  // 31 + 1 = 32
  EXPECT_THAT(add[0].tape.target, ElementsAre(O, O, O, O, O, I, _, _, _, _, _));
  std::vector<HardCase> mul = HardCases(NeuralGpuTask::kBinaryMultiplication, 5);
  ASSERT_EQ(mul.size(), 2u);
  EXPECT_EQ(mul[0].name, "two-times-two");
  EXPECT_THAT(Row0(mul[0].tape), ElementsAre(O, I, O, O, O, T, O, I, O, O, O));
  EXPECT_EQ(Value(mul[0].tape.target), 4u);
  EXPECT_EQ(Value(mul[1].tape.target), 31u * 31u);
  EXPECT_TRUE(HardCases(NeuralGpuTask::kCopy, 5).empty());
  EXPECT_TRUE(HardCases(NeuralGpuTask::kBinaryAddition, 1).empty());
}

TEST(NeuralGpuTasksTest, StringTapeLayout) {
  IoExamples observed{{{"ab"}, {"c"}}, {"AB", "C"}};
  const std::string answer = "XY";
  absl::StatusOr<Tape> t = MakeStringTape(observed, {"xy"}, &answer, 32);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->height, 3);
  // Row 0: the query and room for an answer as long as "AB" plus the query.
  EXPECT_EQ(t->length, 5);
  auto sym = [](char c) { return kStringFirstPrintable + (c - ' '); };
  EXPECT_THAT(std::vector<int>(t->symbols.begin(), t->symbols.begin() + 5),
              ElementsAre(sym('x'), sym('y'), _, _, _));
  EXPECT_THAT(std::vector<int>(t->symbols.begin() + 5, t->symbols.begin() + 10),
              ElementsAre(sym('a'), sym('b'), kStringSeparator, sym('A'), sym('B')));
  EXPECT_THAT(t->target, ElementsAre(sym('X'), sym('Y'), kStringEnd, _, _));
  EXPECT_EQ(ReadStringAnswer(t->target), "XY");
  EXPECT_TRUE(TapeCorrect(*t, t->target));
}

TEST(NeuralGpuTasksTest, StringTapesCopeWithOddInput) {
  IoExamples observed{{{"caf\xc3\xa9", "x"}, {"\xff\xfe"}}, {"\xc3\xa9", std::string(5000, 'a')}};
  absl::StatusOr<Tape> t = MakeStringTape(observed, {std::string(5000, 'b')}, nullptr, 16);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_LE(t->length, 16 + 16 + 1);
  EXPECT_EQ(t->symbols[static_cast<size_t>(t->length) + 3], kStringUnknown);  // é
  EXPECT_EQ(t->symbols[static_cast<size_t>(t->length) + 4], kStringColumn);
  absl::StatusOr<Tape> tall = MakeStringTape(observed, {"q"}, nullptr, 16, /*height=*/5);
  ASSERT_TRUE(tall.ok()) << tall.status();
  EXPECT_EQ(tall->height, 5);
  for (size_t i = 3 * static_cast<size_t>(tall->length); i < tall->symbols.size(); ++i) {
    EXPECT_EQ(tall->symbols[i], _);
  }
  EXPECT_FALSE(MakeStringTape(observed, {"q"}, nullptr, 16, /*height=*/2).ok());
  EXPECT_FALSE(MakeStringTape(IoExamples{}, {"a"}, nullptr, 16).ok());
  EXPECT_FALSE(MakeStringTape(IoExamples{{{"a"}}, {}}, {"a"}, nullptr, 16).ok());
}

}  // namespace
}  // namespace flashsynth::neural
