#include "neural/internal/container.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "dsl/status_macros.h"

namespace flashsynth::neural::internal {

namespace {

constexpr std::string_view kMagic = "flashsynth-neural";
constexpr size_t kMaxHeaderLines = 64;

uint64_t Checksum(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

absl::Status Error(std::string_view source_name, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(ToAbsl(source_name), ": ", ToAbsl(what)));
}

// Splits off the next line of `rest` (without its '\n'); false at the end.
bool NextLine(std::string_view* rest, std::string_view* line) {
  const size_t end = rest->find('\n');
  if (end == std::string_view::npos) return false;
  *line = rest->substr(0, end);
  rest->remove_prefix(end + 1);
  return true;
}

// "key value" -> {key, value}.
bool SplitField(std::string_view line, std::string* key, std::string* value) {
  const size_t space = line.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  *key = std::string(line.substr(0, space));
  *value = std::string(line.substr(space + 1));
  return true;
}

absl::Status CheckPayload(std::string_view value, std::string_view payload,
                          std::string_view source_name) {
  std::vector<absl::string_view> parts = absl::StrSplit(ToAbsl(value), ' ');
  uint64_t size = 0, sum = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &size) ||
      !absl::SimpleHexAtoi(parts[1], &sum)) {
    return Error(source_name, "corrupt header: bad payload line");
  }
  if (payload.size() != size) {
    return Error(source_name, absl::StrCat(payload.size() < size ? "truncated" : "corrupt",
                                           ": the payload has ", payload.size(), " of ", size,
                                           " bytes"));
  }
  if (Checksum(payload) != sum) return Error(source_name, "corrupt: the payload checksum differs");
  return absl::OkStatus();
}

}  // namespace

std::string WriteContainer(const Container& c) {
  std::string out = absl::StrCat(ToAbsl(kMagic), " ", kFormatVersion, "\nkind ", c.kind, "\n");
  for (const auto& [key, value] : c.fields) absl::StrAppend(&out, key, " ", value, "\n");
  absl::StrAppend(&out, "payload ", c.payload.size(), " ",
                  absl::StrFormat("%016x", Checksum(c.payload)), "\n", c.payload);
  return out;
}

absl::StatusOr<Container> ReadContainer(std::string_view bytes, std::string_view source_name) {
  std::string_view rest = bytes;
  std::string_view line;
  std::string key, value;
  if (!NextLine(&rest, &line) || !SplitField(line, &key, &value) || key != kMagic) {
    return Error(source_name, "not a flashsynth model or checkpoint file");
  }
  int version = 0;
  if (!absl::SimpleAtoi(value, &version) || version != kFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat(ToAbsl(source_name), ": file format version ", value,
                     "; this build reads version ", kFormatVersion));
  }
  Container c;
  for (size_t n = 0; n < kMaxHeaderLines; ++n) {
    if (!NextLine(&rest, &line) || !SplitField(line, &key, &value)) {
      return Error(source_name, "truncated or corrupt header");
    }
    if (key == "payload") {
      FS_RETURN_IF_ERROR(CheckPayload(value, rest, source_name));
      if (c.kind.empty()) return Error(source_name, "corrupt header: no kind");
      c.payload = std::string(rest);
      return c;
    }
    if (key == "kind") {
      c.kind = value;
    } else {
      c.fields[key] = value;
    }
  }
  return Error(source_name, "corrupt header: too many lines");
}

absl::StatusOr<std::string> StringField(const Container& c, const std::string& key,
                                        std::string_view source_name) {
  auto it = c.fields.find(key);
  if (it == c.fields.end()) {
    return Error(source_name, absl::StrCat("the header lacks \"", key, "\""));
  }
  return it->second;
}

absl::StatusOr<int64_t> IntField(const Container& c, const std::string& key,
                                 std::string_view source_name) {
  FS_ASSIGN_OR_RETURN(std::string text, StringField(c, key, source_name));
  int64_t v = 0;
  if (!absl::SimpleAtoi(text, &v)) {
    return Error(source_name, absl::StrCat("header field \"", key, "\" is not a number: ", text));
  }
  return v;
}

}  // namespace flashsynth::neural::internal
