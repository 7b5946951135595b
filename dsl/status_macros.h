// dsl/status_macros.h: early returns on a non-OK absl::Status.
//
// Debian's Abseil 20220623 has no RETURN_IF_ERROR, so we keep our own.
//
// Example:
//   FS_RETURN_IF_ERROR(Validate(program));
//   FS_ASSIGN_OR_RETURN(Program p, Parse(text));
#ifndef FLASHSYNTH_DSL_STATUS_MACROS_H_
#define FLASHSYNTH_DSL_STATUS_MACROS_H_

#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

#define FS_RETURN_IF_ERROR(expr)            \
  do {                                      \
    absl::Status fs_s_ = (expr);            \
    if (!fs_s_.ok()) return fs_s_;          \
  } while (0)

#define FS_ASSIGN_OR_RETURN(lhs, expr) \
  FS_AOR_(FS_CAT_(fs_or_, __LINE__), lhs, expr)
#define FS_AOR_(tmp, lhs, expr)                          \
  auto tmp = (expr);                                     \
  if (!tmp.ok()) return std::move(tmp).status();         \
  lhs = *std::move(tmp)
#define FS_CAT_(a, b) FS_CAT2_(a, b)
#define FS_CAT2_(a, b) a##b

namespace flashsynth {
// Debian's absl::string_view is not std::string_view.
inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }
}  // namespace flashsynth

#endif  // FLASHSYNTH_DSL_STATUS_MACROS_H_
