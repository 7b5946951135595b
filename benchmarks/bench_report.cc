#include "benchmarks/bench_report.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "dsl/status_macros.h"

namespace flashsynth::bench {
namespace {

nlohmann::json OrNull(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// "0.271", or "-" when there is no figure.
std::string FormatSeconds(const std::optional<double>& v) {
  return v ? absl::StrFormat("%.3f", *v) : std::string("-");
}

// "11" or "11.5", or "-".
std::string FormatSize(const std::optional<double>& v) {
  return v ? absl::StrFormat("%g", *v) : std::string("-");
}

// A table cell: no line breaks, and `|` escaped (GitHub's tables split on
// it even inside a code span).
std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

// A program in a code span: a fence longer than any backtick run inside.
std::string CodeCell(std::string_view text) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  // A space inside the fence keeps a leading or trailing backtick apart from it.
  const std::string pad = longest > 0 ? " " : "";
  return absl::StrCat(fence, pad, Cell(text), pad, fence);
}

std::string Percent(double rate) { return absl::StrFormat("%.1f%%", 100 * rate); }

}  // namespace

std::string_view ModeName(Mode mode) {
  return mode == Mode::kConsistent ? "consistent" : "generalize";
}

std::string_view StatusName(TaskStatus status) {
  switch (status) {
    case TaskStatus::kSolved:
      return "solved";
    case TaskStatus::kConflicting:
      return "conflicting";
    case TaskStatus::kNoProgram:
      return "no_program";
    case TaskStatus::kTimeout:
      return "timeout";
    case TaskStatus::kWrong:
      return "wrong";
    case TaskStatus::kSkipped:
      return "skipped";
    case TaskStatus::kError:
      return "error";
  }
  return "error";
}

std::optional<double> Percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const double rank = std::clamp(p, 0.0, 100.0) / 100 * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (rank - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

Summary Summarize(absl::Span<const TaskRecord> records) {
  Summary s;
  std::vector<double> seconds, sizes;
  for (const TaskRecord& r : records) {
    ++s.tasks;
    s.model_consulted += r.model_consulted ? 1 : 0;
    switch (r.status) {
      case TaskStatus::kSolved:
        ++s.solved;
        seconds.push_back(r.seconds);
        if (r.program_size) sizes.push_back(*r.program_size);
        break;
      case TaskStatus::kConflicting:
        ++s.conflicting;
        break;
      case TaskStatus::kNoProgram:
        ++s.no_program;
        break;
      case TaskStatus::kTimeout:
        ++s.timeout;
        break;
      case TaskStatus::kWrong:
        ++s.wrong;
        break;
      case TaskStatus::kSkipped:
        ++s.skipped;
        break;
      case TaskStatus::kError:
        ++s.error;
        break;
    }
  }
  s.attempted = s.tasks - s.skipped - s.error;
  s.median_seconds_solved = Percentile(seconds, 50);
  s.p90_seconds_solved = Percentile(seconds, 90);
  s.median_program_size = Percentile(sizes, 50);
  s.rate = s.attempted > 0 ? static_cast<double>(s.solved) / s.attempted : 0;
  return s;
}

nlohmann::json ReportToJson(const RunConfig& config, const Summary& summary,
                            absl::Span<const TaskRecord> records) {
  nlohmann::json j;
  nlohmann::json& c = j["config"];
  c["mode"] = ModeName(config.mode);
  c["k"] = config.mode == Mode::kGeneralize ? nlohmann::json(config.k) : nlohmann::json(nullptr);
  c["min_examples"] = config.min_examples;
  c["timeout_seconds"] = config.timeout_seconds;
  c["jobs"] = config.jobs;
  c["host_cores"] = config.host_cores;
  c["strict"] = config.strict;
  c["tolerate_noise"] = config.tolerate_noise;
  c["format"] = config.format;
  c["paths"] = config.paths;
  c["list"] = config.list.empty() ? nlohmann::json(nullptr) : nlohmann::json(config.list);
  c["commit"] = config.commit.empty() ? nlohmann::json(nullptr) : nlohmann::json(config.commit);
  c["engine"] = config.engine;
  if (config.engine != "symbolic") {
    c["model"] = config.model;
    c["beam"] = config.beam;
    c["neural_weight"] = config.neural_weight;
  }

  nlohmann::json& s = j["summary"];
  s["tasks"] = summary.tasks;
  s["attempted"] = summary.attempted;
  s["solved"] = summary.solved;
  s["conflicting"] = summary.conflicting;
  s["timeout"] = summary.timeout;
  s["no_program"] = summary.no_program;
  s["wrong"] = summary.wrong;
  s["skipped"] = summary.skipped;
  s["error"] = summary.error;
  s["model_consulted"] = summary.model_consulted;
  s["median_seconds_solved"] = OrNull(summary.median_seconds_solved);
  s["p90_seconds_solved"] = OrNull(summary.p90_seconds_solved);
  s["median_program_size"] = OrNull(summary.median_program_size);
  s["rate"] = summary.rate;

  nlohmann::json& tasks = j["tasks"];
  tasks = nlohmann::json::array();
  for (const TaskRecord& r : records) {
    nlohmann::json t;
    t["name"] = r.name;
    t["file"] = r.file;
    t["mode"] = ModeName(r.mode);
    t["status"] = StatusName(r.status);
    t["reason"] = r.reason;
    t["seconds"] = r.seconds;
    t["program"] = r.program ? nlohmann::json(*r.program) : nlohmann::json(nullptr);
    t["program_size"] = r.program_size ? nlohmann::json(*r.program_size) : nlohmann::json(nullptr);
    t["examples"] = r.examples;
    t["examples_used"] = r.examples_used;
    t["held_out"] = r.held_out;
    t["held_out_correct"] = r.held_out_correct;
    t["suspected_typo_row"] =
        r.suspected_typo_row ? nlohmann::json(*r.suspected_typo_row) : nlohmann::json(nullptr);
    t["failure_rows"] = r.failure_rows;
    t["model_consulted"] = r.model_consulted;
    tasks.push_back(std::move(t));
  }
  return j;
}

std::string ReportToMarkdown(const RunConfig& config, const Summary& summary,
                             absl::Span<const TaskRecord> records) {
  std::string md = "# flashsynth-bench\n\n";
  absl::StrAppend(&md, "Mode `", ToAbsl(ModeName(config.mode)), "`");
  if (config.mode == Mode::kGeneralize) {
    absl::StrAppend(&md, " (k = ", config.k, ", at least ", config.min_examples, " examples)");
  }
  absl::StrAppend(&md, ", timeout ", absl::StrFormat("%g", config.timeout_seconds), " s, ",
                  config.jobs, " job(s) on ", config.host_cores, " core(s), noise tolerance ",
                  config.tolerate_noise ? "on" : "off");
  if (!config.commit.empty()) absl::StrAppend(&md, ", commit `", config.commit, "`");
  absl::StrAppend(&md, ", engine ", config.engine);
  if (config.engine != "symbolic") {
    absl::StrAppend(&md, " (model `", config.model, "`, beam ", config.beam, ", neural weight ",
                    absl::StrFormat("%g", config.neural_weight), ")");
  }
  absl::StrAppend(&md, ".\n\n");

  md += "| figure | value |\n|---|---|\n";
  absl::StrAppend(&md, "| tasks | ", summary.tasks, " |\n");
  absl::StrAppend(&md, "| attempted | ", summary.attempted, " |\n");
  absl::StrAppend(&md, "| solved | ", summary.solved, " |\n");
  absl::StrAppend(&md, "| rate (solved / attempted) | ", Percent(summary.rate), " |\n");
  absl::StrAppend(&md, "| conflicting | ", summary.conflicting, " |\n");
  absl::StrAppend(&md, "| timeout | ", summary.timeout, " |\n");
  absl::StrAppend(&md, "| no_program | ", summary.no_program, " |\n");
  absl::StrAppend(&md, "| wrong | ", summary.wrong, " |\n");
  absl::StrAppend(&md, "| skipped | ", summary.skipped, " |\n");
  absl::StrAppend(&md, "| error | ", summary.error, " |\n");
  absl::StrAppend(&md, "| median time of solved (s) | ",
                  FormatSeconds(summary.median_seconds_solved), " |\n");
  absl::StrAppend(&md, "| p90 time of solved (s) | ",
                  FormatSeconds(summary.p90_seconds_solved), " |\n");
  absl::StrAppend(&md, "| median program size (nodes) | ",
                  FormatSize(summary.median_program_size), " |\n");

  md += "\n| name | status | time s | size | program |\n|---|---|---|---|---|\n";
  for (const TaskRecord& r : records) {
    std::string status(StatusName(r.status));
    if (!r.reason.empty()) absl::StrAppend(&status, ": ", r.reason);
    if (r.mode == Mode::kGeneralize && r.held_out > 0) {
      absl::StrAppend(&status, " (", r.held_out_correct, "/", r.held_out, " held out)");
    }
    if (r.suspected_typo_row) absl::StrAppend(&status, " (typo? row ", *r.suspected_typo_row, ")");
    if (!r.failure_rows.empty()) {
      absl::StrAppend(&status, " (rows ", absl::StrJoin(r.failure_rows, ", "), ")");
    }
    const bool ran = r.status != TaskStatus::kSkipped && r.status != TaskStatus::kError;
    absl::StrAppend(&md, "| ", Cell(r.name), " | ", Cell(status), " | ",
                    ran ? absl::StrFormat("%.2f", r.seconds) : std::string(), " | ",
                    r.program_size ? absl::StrCat(*r.program_size) : std::string(), " | ",
                    r.program ? CodeCell(*r.program) : std::string(), " |\n");
  }
  return md;
}

std::string SummaryLine(const Summary& summary) {
  std::string line = absl::StrCat(summary.tasks, " tasks, ", summary.attempted, " attempted, ",
                                  summary.solved, " solved (", Percent(summary.rate), "), ",
                                  summary.conflicting, " conflicting, ", summary.no_program,
                                  " no_program, ", summary.timeout, " timeout, ", summary.wrong,
                                  " wrong, ", summary.skipped, " skipped, ", summary.error,
                                  " error");
  if (summary.model_consulted > 0) absl::StrAppend(&line, "; the model asked on ", summary.model_consulted);
  if (summary.median_seconds_solved) {
    absl::StrAppend(&line, "; median ", absl::StrFormat("%.3f", *summary.median_seconds_solved),
                    " s per solved task");
  }
  return line;
}

}  // namespace flashsynth::bench
