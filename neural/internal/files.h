// neural/internal/files.h: the few file operations of neural/'s tools and of
// NeuralProposer::LoadFile(). (neural/ cannot use synth/cli/files.h: synth
// depends on neural, not the other way round.)
#ifndef FLASHSYNTH_NEURAL_INTERNAL_FILES_H_
#define FLASHSYNTH_NEURAL_INTERNAL_FILES_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace flashsynth::neural::internal {

// The whole file at `path`. kNotFound naming the path when it cannot be
// opened; kInvalidArgument naming it when it cannot be read or is larger
// than `max_bytes`.
absl::StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes);

// Writes `contents` to `path` atomically: a temporary file beside it,
// flushed to disk, then renamed over it; a reader (or a crash) sees the old
// file or the new one, never a part. kInvalidArgument naming the path.
absl::Status WriteFileAtomically(const std::string& path, const std::string& contents);

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_INTERNAL_FILES_H_
