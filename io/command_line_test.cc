#include "io/command_line.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace flashsynth::io {
namespace {

struct ParseCase {
  std::vector<std::string> args;  // after the program name
  std::optional<int> exit;
  int pairs;  // when it goes on
};

const std::vector<ParseCase>& Cases() {
  static const auto* cases = new std::vector<ParseCase>{
      {{}, std::nullopt, 10},
      {{"--pairs", "7"}, std::nullopt, 7},
      {{"--help"}, kExitOk, 0},
      {{"--pairs", "abc"}, kExitBadUsage, 0},
      {{"--pairs", "0"}, kExitBadUsage, 0},
      {{"--pairs"}, kExitBadUsage, 0},
      {{"--nope"}, kExitBadUsage, 0},
      {{"stray"}, kExitBadUsage, 0},
  };
  return *cases;
}

TEST(ParseCommandLineTest, GoesOnOrSaysTheExitStatus) {
  for (const ParseCase& c : Cases()) {
    std::string joined;
    for (const std::string& a : c.args) joined += a + " ";
    SCOPED_TRACE(joined);
    CLI::App app{"test"};
    int pairs = 10;
    app.add_option("--pairs", pairs)->check(CLI::Range(1, 100));
    std::vector<std::string> args = {"tool"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    const std::optional<int> exit = ParseCommandLine(app, static_cast<int>(argv.size()), argv.data());
    const std::string out = testing::internal::GetCapturedStdout();
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(exit, c.exit);
    if (!exit) EXPECT_EQ(pairs, c.pairs);
    if (exit == kExitOk) EXPECT_NE(out.find("--pairs"), std::string::npos) << out;
    if (exit == kExitBadUsage) EXPECT_FALSE(err.empty());
  }
}

struct NumberCase {
  const char* text;
  bool ok;
};

constexpr NumberCase kNumbers[] = {
    {"0", true},       {"7", true},     {"18446744073709551615", true},
    {"", false},       {"-1", false},   {"1.5", false},
    {"0x10", false},   {"abc", false},  {"18446744073709551616", false},
    {"+3", false},     {" 3", false},
};

TEST(WholeNumberTest, TakesOnlyDigitsThatFit64Bits) {
  for (const NumberCase& c : kNumbers) {
    SCOPED_TRACE(c.text);
    std::string text = c.text;
    const std::string error = WholeNumber()(text);
    EXPECT_EQ(error.empty(), c.ok) << error;
    if (!c.ok) EXPECT_EQ(error, std::string("a whole number of 0 or more, not ") + c.text);
  }
}

}  // namespace
}  // namespace flashsynth::io
