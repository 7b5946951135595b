#include "io/testing/scratch_dir.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <system_error>

namespace flashsynth::io {

ScratchDir::ScratchDir(const std::string& name)
    : path_(std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()))) {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;  // a folder already gone is fine
  std::filesystem::remove_all(path_, ec);
}

std::string ScratchDir::Write(const std::filesystem::path& file, const std::string& contents) const {
  const std::filesystem::path p = path_ / file;
  std::ofstream(p, std::ios::binary) << contents;
  return p.string();
}

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace flashsynth::io
