// neural/tools/task_folder.h: what the evaluation tools share, reading a
// folder of task CSVs and summarizing latencies. Torch-free; reads files
// (tool code only).
#ifndef FLASHSYNTH_NEURAL_TOOLS_TASK_FOLDER_H_
#define FLASHSYNTH_NEURAL_TOOLS_TASK_FOLDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "neural/eval_set.h"

namespace flashsynth::neural::internal {

// One task file, read or not: a file that cannot be read or parsed keeps
// its error, so that the tool names it and counts the task as unsolved.
struct TaskInput {
  std::string name;  // the file's stem
  absl::StatusOr<LabeledTask> task = absl::UnknownError("not read");
};

// The .csv files of `dir` by name, the first `limit` (-1: all), each split
// into `observed` rows and held-out ones (ParseLabeledTaskCsv()).
// kNotFound when the folder cannot be listed or has no .csv file.
absl::StatusOr<std::vector<TaskInput>> ReadTaskFolder(const std::string& dir, int observed,
                                                      int limit);

// The p-th percentile (0..100), linear between the closest ranks; 0 for no
// values.
double Percentile(std::vector<double> values, double p);

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_TOOLS_TASK_FOLDER_H_
