// neural/internal/torch_error.h: a LibTorch exception as a Status.
#ifndef FLASHSYNTH_NEURAL_INTERNAL_TORCH_ERROR_H_
#define FLASHSYNTH_NEURAL_INTERNAL_TORCH_ERROR_H_

#include <c10/util/Exception.h>

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "dsl/status_macros.h"

namespace flashsynth::neural::internal {

// kInternal: "`context`: <LibTorch's message without its backtrace>".
inline absl::Status TorchError(std::string_view context, const c10::Error& e) {
  return absl::InternalError(absl::StrCat(ToAbsl(context), ": ", e.what_without_backtrace()));
}

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_INTERNAL_TORCH_ERROR_H_
