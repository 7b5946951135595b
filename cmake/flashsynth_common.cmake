# Settings and helpers shared by the whole build (CMakeLists.txt) and the
# standalone build of neural/ (neural/standalone/CMakeLists.txt).

set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
# The model plugin (a shared module) holds the static libraries it uses.
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

get_filename_component(FLASHSYNTH_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
# Where ../shared (benchmarks, references) lies; tests that read it skip when absent.
set(FLASHSYNTH_SHARED_DIR "${FLASHSYNTH_ROOT}/../shared" CACHE PATH "The shared/ folder")

find_package(absl REQUIRED)
find_package(Boost 1.74 REQUIRED)  # header-only: Spirit X3
find_package(nlohmann_json 3 REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc)
find_package(CLI11 CONFIG REQUIRED)

include_directories(${FLASHSYNTH_ROOT})

# flashsynth_test(NAME [SOURCE FILE] [ONE_PROCESS] LIBS...): a test program
# (NAME.cc in the current folder unless SOURCE) run by ctest. Each TEST is
# its own ctest test, unless ONE_PROCESS: then the program is one test (its
# output names a failing TEST), for programs that load LibTorch, which takes
# 1-2 s per process.
function(flashsynth_test name)
  if(NOT FLASHSYNTH_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "ONE_PROCESS" "SOURCE" "" ${ARGN})
  if(NOT ARG_SOURCE)
    set(ARG_SOURCE ${name}.cc)
  endif()
  add_executable(${name} ${ARG_SOURCE})
  target_link_libraries(${name} PRIVATE ${ARG_UNPARSED_ARGUMENTS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
      FLASHSYNTH_SHARED_DIR="${FLASHSYNTH_SHARED_DIR}"
      FLASHSYNTH_SOURCE_DIR="${FLASHSYNTH_ROOT}")
  if(ARG_ONE_PROCESS)
    add_test(NAME neural.${name} COMMAND ${name})
    set_tests_properties(neural.${name} PROPERTIES ENVIRONMENT "OMP_NUM_THREADS=1")
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
  endif()
endfunction()

# A test program that links LibTorch: one ctest test. `path` is its source
# without ".cc" (e.g. internal/x_white_test); the program is named after
# the file.
function(flashsynth_torch_test path)
  get_filename_component(name ${path} NAME)
  flashsynth_test(${name} SOURCE ${path}.cc ONE_PROCESS ${ARGN})
endfunction()
