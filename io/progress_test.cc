#include "io/progress.h"

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace flashsynth::io {
namespace {

using Clock = std::chrono::steady_clock;

// One call on a ProgressLine of 4 items.
struct Step {
  enum Kind { kUpdate, kPrint, kFinish } kind;
  size_t done;        // kUpdate
  const char* text;   // kUpdate, kPrint
  double at_seconds;  // the clock at the call
};

struct ProgressCase {
  const char* name;
  bool terminal;
  size_t every_items;
  double every_seconds;
  std::vector<Step> steps;
  const char* expected;
};

const std::vector<ProgressCase>& Cases() {
  static const auto* cases = new std::vector<ProgressCase>{
      {"terminal: every update redrawn, messages above, a newline at the end", true, 0, 0,
       {{Step::kUpdate, 1, "1/4", 0},
        {Step::kPrint, 0, "t2: bad", 0},
        {Step::kUpdate, 2, "2/4", 0},
        {Step::kFinish, 0, "", 0},
        {Step::kUpdate, 3, "3/4", 0}},
       "\r\033[K1/4\r\033[Kt2: bad\n1/4\r\033[K2/4\n"},
      {"terminal: nothing drawn, nothing to end", true, 0, 0,
       {{Step::kPrint, 0, "note", 0}, {Step::kFinish, 0, "", 0}},
       "note\n"},
      {"log: every 2 items and the last", false, 2, 0,
       {{Step::kUpdate, 1, "1/4", 0},
        {Step::kUpdate, 2, "2/4", 0},
        {Step::kPrint, 0, "t3: bad", 0},
        {Step::kUpdate, 3, "3/4", 0},
        {Step::kUpdate, 4, "4/4", 0},
        {Step::kUpdate, 4, "4/4 again", 0},
        {Step::kFinish, 0, "", 0}},
       "2/4\nt3: bad\n4/4\n"},
      {"log: a count that jumps past a multiple still prints", false, 2, 0,
       {{Step::kUpdate, 1, "1/4", 0}, {Step::kUpdate, 3, "3/4", 0}, {Step::kUpdate, 2, "late 2/4", 0}},
       "3/4\n"},
      {"log: every 10 seconds and the last", false, 0, 10,
       {{Step::kUpdate, 0, "0/4 at 5", 5},
        {Step::kUpdate, 1, "1/4 at 10", 10},
        {Step::kUpdate, 1, "1/4 at 15", 15},
        {Step::kUpdate, 2, "2/4 at 20", 20},
        {Step::kUpdate, 4, "4/4 at 21", 21}},
       "1/4 at 10\n2/4 at 20\n4/4 at 21\n"},
      {"log: no pace, no progress lines, messages still", false, 0, 0,
       {{Step::kUpdate, 2, "2/4", 0}, {Step::kPrint, 0, "t3: bad", 0}, {Step::kUpdate, 4, "4/4", 0}},
       "t3: bad\n"},
  };
  return *cases;
}

TEST(ProgressLineTest, ShowsTheTextWhenDue) {
  for (const ProgressCase& c : Cases()) {
    SCOPED_TRACE(c.name);
    std::ostringstream out;
    Clock::time_point now{};
    ProgressOptions options;
    options.terminal = c.terminal;
    options.every_items = c.every_items;
    options.every_seconds = c.every_seconds;
    options.clock = [&now] { return now; };
    ProgressLine progress(out, 4, options);
    for (const Step& s : c.steps) {
      now = Clock::time_point{} + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(s.at_seconds));
      switch (s.kind) {
        case Step::kUpdate: progress.Update(s.done, s.text); break;
        case Step::kPrint: progress.Print(s.text); break;
        case Step::kFinish: progress.Finish(); break;
      }
    }
    EXPECT_EQ(out.str(), c.expected);
  }
}

TEST(ProgressLineTest, CountsSecondsOnItsClock) {
  Clock::time_point now{};
  ProgressOptions options;
  options.clock = [&now] { return now; };
  std::ostringstream out;
  ProgressLine progress(out, 1, options);
  now += std::chrono::milliseconds(2500);
  EXPECT_DOUBLE_EQ(progress.seconds(), 2.5);
}

}  // namespace
}  // namespace flashsynth::io
