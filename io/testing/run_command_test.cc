#include "io/testing/run_command.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace flashsynth::io {
namespace {

struct CommandCase {
  const char* name;
  const char* command;
  RunOptions options;
  int exit_code;
  const char* out;
  const char* err;
};

const std::vector<CommandCase>& Cases() {
  static const auto* cases = new std::vector<CommandCase>{
      {"stdout and stderr apart", "echo out; echo err >&2; exit 3", {}, 3, "out\n", "err\n"},
      {"stdin text", "tr a-z A-Z", {"abc\ndef\n", {}}, 0, "ABC\nDEF\n", ""},
      {"no stdin: an empty one", "wc -c", {}, 0, "0\n", ""},
      {"extra environment", "echo \"$FS_A-$FS_B\"", {"", {"FS_A=1", "FS_B=two words"}}, 0,
       "1-two words\n", ""},
      {"an assignment replaces the inherited variable", "echo \"$HOME\"", {"", {"HOME=/elsewhere"}},
       0, "/elsewhere\n", ""},
      {"a large stdin the command ignores", "exit 0", {std::string(1 << 20, 'x'), {}}, 0, "", ""},
      {"a signal", "kill -TERM $$", {}, 128 + 15, "", ""},
      {"no such program", "/nonexistent/program", {}, 127, "", nullptr},
  };
  return *cases;
}

TEST(RunCommandTest, ReturnsTheExitCodeAndBothStreams) {
  for (const CommandCase& c : Cases()) {
    SCOPED_TRACE(c.name);
    const CommandResult r = RunCommand(c.command, c.options);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_EQ(r.out, c.out);
    if (c.err != nullptr) EXPECT_EQ(r.err, c.err);
  }
}

TEST(RunCommandTest, ALargeOutputOnBothStreamsDoesNotBlock) {
  const CommandResult r =
      RunCommand("head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2", {});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.size(), 300000u);
  EXPECT_EQ(r.err.size(), 200000u);
}

}  // namespace
}  // namespace flashsynth::io
