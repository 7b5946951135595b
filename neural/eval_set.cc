#include "neural/eval_set.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dsl/csv.h"
#include "dsl/status_macros.h"
#include "dsl/task.h"
#include "dsl/text.h"
#include "nlohmann/json.hpp"
#include "neural/internal/seeds.h"

namespace flashsynth::neural {

namespace {

using internal::MixSeed;

constexpr int kMaxDraws = 1000;  // per task, then the options are at fault
constexpr int kMaxRows = 1000;   // observed + held_out

bool OutputsFit(const dsl::SampledTask& t, int max_output_chars) {
  return std::all_of(t.outputs.begin(), t.outputs.end(), [&](const std::string& o) {
    return dsl::CountChars(o) <= static_cast<size_t>(max_output_chars);
  });
}

}  // namespace

absl::Status ValidateEvalSetOptions(const EvalSetOptions& o) {
  if (o.observed < 1 || o.held_out < 0 || o.observed + o.held_out > kMaxRows) {
    return absl::InvalidArgumentError(absl::StrCat(
        "eval set: need observed >= 1, held_out >= 0 and at most ", kMaxRows, " rows in all"));
  }
  if (o.max_output_chars < 1) return absl::InvalidArgumentError("eval set: max_output_chars must be >= 1");
  if (o.sampler.min_expressions < 1 || o.sampler.max_expressions < o.sampler.min_expressions) {
    return absl::InvalidArgumentError("eval set: need 1 <= min_expressions <= max_expressions");
  }
  return absl::OkStatus();
}

absl::StatusOr<EvalTask> MakeEvalTask(const EvalSetOptions& options, uint64_t seed, int index) {
  FS_RETURN_IF_ERROR(ValidateEvalSetOptions(options));
  if (index < 0) return absl::InvalidArgumentError("eval set: negative task index");
  dsl::SamplerOptions sampler_options = options.sampler;
  sampler_options.num_examples = options.observed + options.held_out;
  dsl::Sampler sampler(sampler_options, MixSeed(seed ^ MixSeed(static_cast<uint64_t>(index))));
  for (int draw = 0; draw < kMaxDraws; ++draw) {
    dsl::SampledTask t = sampler.Next();
    if (!OutputsFit(t, options.max_output_chars)) continue;
    return EvalTask{index, std::move(t.program), std::move(t.inputs), std::move(t.outputs)};
  }
  return absl::InternalError(absl::StrCat("eval set: task ", index, ": no sampled task in ",
                                          kMaxDraws, " draws has outputs of at most ",
                                          options.max_output_chars, " characters"));
}

std::string EvalTaskName(int index) { return absl::StrFormat("%04d", index); }

std::string FormatEvalTaskCsv(const EvalTask& task) {
  size_t columns = 1;
  for (const dsl::Row& row : task.inputs) columns = std::max(columns, row.size());
  std::vector<std::string> cells;
  for (size_t c = 0; c < columns; ++c) cells.push_back(absl::StrCat("in", c + 1));
  cells.push_back("output");
  std::string csv = dsl::FormatCsvRecord(cells);
  for (size_t i = 0; i < task.inputs.size(); ++i) {
    cells = task.inputs[i];
    cells.resize(columns);
    cells.push_back(task.outputs[i]);
    csv += dsl::FormatCsvRecord(cells);
  }
  return csv;
}

std::string FormatEvalTaskJson(const EvalTask& task, const EvalSetOptions& options,
                               uint64_t seed) {
  nlohmann::ordered_json j;
  j["index"] = task.index;
  j["seed"] = seed;
  j["observed"] = options.observed;
  j["held_out"] = options.held_out;
  j["program"] = task.program.ToString();
  j["num_expressions"] = task.program.is_switch() ? -1 : static_cast<int>(task.program.exprs().size());
  j["is_switch"] = task.program.is_switch();
  j["num_columns"] = task.inputs.empty() ? 0 : static_cast<int>(task.inputs[0].size());
  return j.dump(1) + "\n";
}

absl::StatusOr<LabeledTask> ParseLabeledTaskCsv(std::string_view text, std::string_view name,
                                                int observed) {
  dsl::TaskCsvOptions csv_options;
  csv_options.empty_output_means_fill = false;  // benchmark CSVs hold examples only
  absl::StatusOr<dsl::Task> task = dsl::ParseTaskCsv(text, csv_options);
  if (!task.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(name), ": ", task.status().message()));
  }
  if (task->rows.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(name), ": no example rows"));
  }
  LabeledTask labeled;
  labeled.name = std::string(name);
  for (size_t i = 0; i < task->rows.size(); ++i) {
    dsl::TaskRow& row = task->rows[i];
    IoExamples& to = static_cast<int>(i) < observed ? labeled.observed : labeled.held_out;
    to.inputs.push_back(std::move(row.inputs));
    to.outputs.push_back(row.output.value_or(""));
  }
  return labeled;
}

}  // namespace flashsynth::neural
