// neural/internal/container.h: the envelope of model and checkpoint files.
//
// A file is a short text header, then a binary payload (a LibTorch archive):
//
//   flashsynth-neural 1
//   kind model
//   variant attention-c
//   ...
//   payload 123456 9f3a0c1d22e4b7a8
//   <123456 bytes>
//
// The header says what the file is and how it was configured before any
// LibTorch code reads a byte; the payload's length and FNV-1a checksum catch
// truncated and corrupt files, so LibTorch never sees them.
#ifndef FLASHSYNTH_NEURAL_INTERNAL_CONTAINER_H_
#define FLASHSYNTH_NEURAL_INTERNAL_CONTAINER_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace flashsynth::neural::internal {

// Bumped whenever the header or the payload layout changes.
inline constexpr int kFormatVersion = 1;

struct Container {
  std::string kind;                           // "model" or "checkpoint"
  std::map<std::string, std::string> fields;  // keys and values without spaces or newlines
  std::string payload;
};

std::string WriteContainer(const Container& c);

// Reads a file written by WriteContainer(). Every error is kInvalidArgument
// (kFailedPrecondition for a different format version) and starts with
// "`source_name`: ", e.g. "model.fsnn: truncated: the payload has 812 of
// 40960 bytes".
absl::StatusOr<Container> ReadContainer(std::string_view bytes, std::string_view source_name);

// A field as an integer; kInvalidArgument naming the file and key when it is
// missing or not a number.
absl::StatusOr<int64_t> IntField(const Container& c, const std::string& key,
                                 std::string_view source_name);
absl::StatusOr<std::string> StringField(const Container& c, const std::string& key,
                                        std::string_view source_name);

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_INTERNAL_CONTAINER_H_
