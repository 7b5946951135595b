#include "neural/tools/task_folder.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "io/files.h"

namespace flashsynth::neural::internal {

namespace fs = std::filesystem;

namespace {
constexpr size_t kMaxTaskBytes = size_t{64} << 20;
}  // namespace

absl::StatusOr<std::vector<TaskInput>> ReadTaskFolder(const std::string& dir, int observed,
                                                      int limit) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".csv") files.push_back(e.path());
  }
  if (ec) return absl::NotFoundError(absl::StrCat(dir, ": cannot list: ", ec.message()));
  if (files.empty()) return absl::NotFoundError(absl::StrCat(dir, ": no .csv task files"));
  std::sort(files.begin(), files.end());
  if (limit >= 0 && static_cast<size_t>(limit) < files.size()) files.resize(static_cast<size_t>(limit));
  std::vector<TaskInput> tasks;
  for (const fs::path& file : files) {
    TaskInput t;
    t.name = file.stem().string();
    absl::StatusOr<std::string> text = io::ReadFile(file.string(), kMaxTaskBytes);
    t.task = text.ok() ? ParseLabeledTaskCsv(*text, t.name, observed) : text.status();
    tasks.push_back(std::move(t));
  }
  return tasks;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double rank = p / 100 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (rank - static_cast<double>(lo));
}

}  // namespace flashsynth::neural::internal
