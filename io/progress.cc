#include "io/progress.h"

#include <unistd.h>

#include <algorithm>

namespace flashsynth::io {

namespace {
constexpr char kClearLine[] = "\r\033[K";
}  // namespace

bool StderrIsTerminal() { return isatty(STDERR_FILENO) != 0; }

ProgressLine::ProgressLine(std::ostream& out, size_t total, ProgressOptions options)
    : out_(out), total_(total), options_(std::move(options)), start_(Now()), last_line_(start_) {}

std::chrono::steady_clock::time_point ProgressLine::Now() const {
  return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
}

double ProgressLine::seconds() const {
  return std::chrono::duration<double>(Now() - start_).count();
}

// Off a terminal: whether `done` calls for a line (mu_ held).
bool ProgressLine::Due(size_t done, std::chrono::steady_clock::time_point now) const {
  const size_t every = options_.every_items;
  const bool paced = every > 0 || options_.every_seconds > 0;
  if (!paced) return false;
  if (done >= total_ && !printed_last_) return true;
  if (every > 0 && done > last_done_ && done / every > last_done_ / every) return true;
  return options_.every_seconds > 0 &&
         std::chrono::duration<double>(now - last_line_).count() >= options_.every_seconds;
}

void ProgressLine::Update(size_t done, std::string_view text) {
  const auto now = Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  if (options_.terminal) {
    drawn_ = std::string(text);
    out_ << kClearLine << drawn_ << std::flush;
    return;
  }
  const bool due = Due(done, now);
  last_done_ = std::max(last_done_, done);
  if (!due) return;
  printed_last_ = printed_last_ || done >= total_;
  last_line_ = now;
  out_ << text << "\n" << std::flush;
}

void ProgressLine::Print(std::string_view line) {
  std::lock_guard<std::mutex> lock(mu_);
  const bool redraw = options_.terminal && !finished_ && !drawn_.empty();
  if (redraw) out_ << kClearLine;
  out_ << line << "\n";
  if (redraw) out_ << drawn_;
  out_ << std::flush;
}

void ProgressLine::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (options_.terminal && !drawn_.empty()) out_ << "\n" << std::flush;
}

}  // namespace flashsynth::io
