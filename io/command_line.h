// io/command_line.h: the command-line tools' one way to end a CLI11 parse.
//
// ParseCommandLine()
//
// Parses `argv` into `app`. Returns nullopt when the tool should go on;
// otherwise the exit status to return from main(): kExitOk after --help
// (printed on stdout), kExitBadUsage after a usage error (printed on stderr
// by CLI11: a missing or unknown flag, a value that is not a number or out
// of its range). CLI11's own exit codes (100 and up) never leave a tool.
//
// Example:
//   CLI::App app{"solver_check: ..."};
//   app.add_option("--pairs", flags.pairs, "pairs to check")->check(CLI::Range(1, 10000000));
//   if (std::optional<int> exit = io::ParseCommandLine(app, argc, argv)) return *exit;
#ifndef FLASHSYNTH_IO_COMMAND_LINE_H_
#define FLASHSYNTH_IO_COMMAND_LINE_H_

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>

#include "CLI/CLI.hpp"

namespace flashsynth::io {

constexpr int kExitOk = 0;
constexpr int kExitBadUsage = 2;

inline std::optional<int> ParseCommandLine(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitBadUsage;
  }
  return std::nullopt;
}

// WholeNumber()
//
// A check for a flag whose value is a whole number of 0 or more that fits
// 64 bits (a seed): refuses "-1" (which CLI11 would turn into 2^64 - 1),
// "1.5", "0x10" and "abc" with "a whole number of 0 or more, not -1".
//
// Example:
//   app.add_option("--seed", flags.seed, "sampler seed")->check(io::WholeNumber());
inline CLI::Validator WholeNumber() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t value = 0;
        const char* end = text.data() + text.size();
        const std::from_chars_result r = std::from_chars(text.data(), end, value);
        const bool ok = !text.empty() && r.ec == std::errc() && r.ptr == end;
        return ok ? std::string() : "a whole number of 0 or more, not " + text;
      },
      "");
}

}  // namespace flashsynth::io

#endif  // FLASHSYNTH_IO_COMMAND_LINE_H_
