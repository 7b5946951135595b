// io/progress.h: one progress line for the command-line tools.
//
// ProgressLine
//
// Shows how far a run has got, on standard error as a rule. On a terminal
// one line is redrawn in place ("\r\033[K" then the text) at every Update();
// messages printed with Print() go above it, and Finish() ends it with a
// newline. Elsewhere (a log file, a pipe) it prints whole lines: one when
// the count of finished items reaches a multiple of `every_items`, when
// `every_seconds` have passed since the last one, and one for the last item;
// with neither set it prints no progress there at all.
//
// The text is the caller's ("12/100 tasks, 3 found, 4.2 s"): ProgressLine
// decides only when and how it shows. Thread-safe: workers may call
// Update() and Print() at once.
//
// Example:
//   io::ProgressOptions options;
//   options.terminal = io::StderrIsTerminal();
//   options.every_items = 50;
//   io::ProgressLine progress(std::cerr, tasks.size(), options);
//   ... on each finished task:
//   progress.Update(done, absl::StrFormat("%d/%d tasks, %.1f s", done, total,
//                                         progress.seconds()));
//   ...
//   progress.Finish();
#ifndef FLASHSYNTH_IO_PROGRESS_H_
#define FLASHSYNTH_IO_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace flashsynth::io {

// Whether standard error is a terminal (isatty).
bool StderrIsTerminal();

struct ProgressOptions {
  bool terminal = false;     // redraw one line in place
  size_t every_items = 0;    // off a terminal: a line every this many items (0: none)
  double every_seconds = 0;  // off a terminal: a line this often, in seconds (0: none)
  // The time source, for tests; empty: std::chrono::steady_clock::now.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

class ProgressLine {
 public:
  // `out` is not owned and must outlive this object; `total` items in all.
  ProgressLine(std::ostream& out, size_t total, ProgressOptions options);
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // `done` of the total items are finished; shows `text` when due (above).
  void Update(size_t done, std::string_view text);
  // Prints `line` (a newline is added) as a line of its own, above the
  // progress line on a terminal.
  void Print(std::string_view line);
  // Ends the progress line on a terminal (a newline, when one was drawn).
  // Later calls print nothing.
  void Finish();
  // Seconds since construction.
  double seconds() const;

 private:
  std::chrono::steady_clock::time_point Now() const;
  bool Due(size_t done, std::chrono::steady_clock::time_point now) const;

  std::ostream& out_;
  const size_t total_;
  const ProgressOptions options_;
  const std::chrono::steady_clock::time_point start_;
  mutable std::mutex mu_;
  std::string drawn_;  // the text on the terminal's last line; guarded by mu_
  bool finished_ = false;  // guarded by mu_
  bool printed_last_ = false;  // the line for `total` went out; guarded by mu_
  std::chrono::steady_clock::time_point last_line_;  // guarded by mu_
  size_t last_done_ = 0;  // guarded by mu_
};

}  // namespace flashsynth::io

#endif  // FLASHSYNTH_IO_PROGRESS_H_
