// synth/cli/files.h: the CLI's only contact with the file system.
#ifndef FLASHSYNTH_SYNTH_CLI_FILES_H_
#define FLASHSYNTH_SYNTH_CLI_FILES_H_

#include <string>

#include "absl/status/statusor.h"

namespace flashsynth::cli {

// The whole file at `path` ("-": standard input). Fails with kInvalidArgument
// naming the path when it cannot be read or exceeds `max_bytes`.
absl::StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes);

// Writes `contents` to `path` atomically: a temporary file in the same
// folder, flushed, then renamed over `path`. A reader sees the old file or
// the new one, never a part.
absl::Status WriteFileAtomically(const std::string& path, const std::string& contents);

// Whether `a` and `b` name the same existing file.
bool SameFile(const std::string& a, const std::string& b);

}  // namespace flashsynth::cli

#endif  // FLASHSYNTH_SYNTH_CLI_FILES_H_
