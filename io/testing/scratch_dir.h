// io/testing/scratch_dir.h: a scratch folder for tests that run executables
// on files, and the reading back of what they wrote.
//
// ScratchDir
//
// A fresh, empty folder `<temp>/<name>_<pid>`, removed (with what it holds)
// when the object goes. `dir / "x.csv"` names a file in it. One per test
// fixture: gtest makes a fixture per test, so give each test its own name
// when tests may run at once.
//
// Example:
//   io::ScratchDir dir_{"cli_test"};
//   const std::string csv = dir_.Write("t.csv", "a,b\nx,y\n");
//   ... run the tool on csv, writing dir_ / "out.csv" ...
//   EXPECT_EQ(io::ReadWholeFile(dir_ / "out.csv"), "a,b\nx,y\n");
#ifndef FLASHSYNTH_IO_TESTING_SCRATCH_DIR_H_
#define FLASHSYNTH_IO_TESTING_SCRATCH_DIR_H_

#include <filesystem>
#include <string>

namespace flashsynth::io {

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& file) const { return path_ / file; }
  // Writes `contents` to `file` in the folder (bytes as they are); returns
  // its path.
  std::string Write(const std::filesystem::path& file, const std::string& contents) const;

 private:
  std::filesystem::path path_;
};

// The bytes of `path`; "" when it cannot be read.
std::string ReadWholeFile(const std::filesystem::path& path);

}  // namespace flashsynth::io

#endif  // FLASHSYNTH_IO_TESTING_SCRATCH_DIR_H_
