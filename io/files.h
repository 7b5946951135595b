// io/files.h: the project's few file operations, for its command-line tools
// and for loading model files. The libraries themselves (dsl/, synth/,
// solver/) do no I/O.
#ifndef FLASHSYNTH_IO_FILES_H_
#define FLASHSYNTH_IO_FILES_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace flashsynth::io {

// The whole file at `path` ("-": standard input). Every error names the
// path: kNotFound when it cannot be opened; kInvalidArgument when it is a
// folder, cannot be read, or holds more than `max_bytes`.
absl::StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes);

// Writes `contents` to `path` atomically: a temporary file beside it,
// flushed to disk, then renamed over it; a reader (or a crash) sees the old
// file or the new one, never a part. kInvalidArgument naming the path.
absl::Status WriteFileAtomically(const std::string& path, const std::string& contents);

// Whether `a` and `b` name the same existing file.
bool SameFile(const std::string& a, const std::string& b);

// Whether `path` names an existing regular file.
bool FileExists(const std::string& path);

}  // namespace flashsynth::io

#endif  // FLASHSYNTH_IO_FILES_H_
