// io/testing/run_command.h: runs a command for the tests of executables.
//
// RunCommand()
//
// Runs `command` with /bin/sh -c (so quote what needs quoting, as on a
// command line), writes `options.stdin_text` to its standard input and
// closes it, and collects its standard output and standard error apart.
// `options.env` adds assignments ("LD_DEBUG=files") to the environment it
// inherits, replacing a variable of the same name. Waits for the command to
// end. Test code only: it forks, blocks, and has no time limit (ctest's
// applies).
//
// Example:
//   io::RunOptions o;
//   o.stdin_text = "a,b\nx,y\n";
//   o.env = {"FLASHSYNTH_NEURAL_PLUGIN=/nowhere.so"};
//   io::CommandResult r = io::RunCommand(std::string(FLASHSYNTH_BIN) + " -", o);
//   EXPECT_EQ(r.exit_code, 0) << r.err;
#ifndef FLASHSYNTH_IO_TESTING_RUN_COMMAND_H_
#define FLASHSYNTH_IO_TESTING_RUN_COMMAND_H_

#include <string>
#include <vector>

namespace flashsynth::io {

struct RunOptions {
  std::string stdin_text;        // the command's standard input
  std::vector<std::string> env;  // extra "NAME=VALUE" assignments
};

struct CommandResult {
  // The exit status; 128 + N when signal N ended it (as the shell says);
  // -1 when it could not be started.
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error (or why it could not be started)
};

CommandResult RunCommand(const std::string& command, const RunOptions& options = {});

}  // namespace flashsynth::io

#endif  // FLASHSYNTH_IO_TESTING_RUN_COMMAND_H_
