// tests/fuzz/parser_fuzzer.cc: libFuzzer target for dsl::Parse().
//
// Any input must parse or fail cleanly (ASan and UBSan watch the rest): a
// failure is kInvalidArgument with a "line L, column C: " message, never an
// exception, a crash or kInternal. A parsed program must be valid, and its
// canonical text must parse back to an equal program that prints the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dsl/parser.h"
#include "dsl/program.h"

namespace {

using flashsynth::dsl::Program;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void CheckError(const absl::Status& status) {
  Check(status.code() == absl::StatusCode::kInvalidArgument);
  const std::string_view message(status.message().data(), status.message().size());
  Check(message.substr(0, 5) == "line ");
  Check(message.find(", column ") != std::string_view::npos);
}

void CheckRoundTrip(const Program& p) {
  Check(flashsynth::dsl::Validate(p).ok());
  const std::string printed = p.ToString();
  absl::StatusOr<Program> again = flashsynth::dsl::Parse(printed);
  Check(again.ok());
  Check(*again == p);
  Check(again->Hash() == p.Hash());
  Check(again->ToString() == printed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<Program> p = flashsynth::dsl::Parse(text);
  if (p.ok()) {
    CheckRoundTrip(*p);
  } else {
    CheckError(p.status());
  }
  return 0;
}
