// neural/internal/seeds.h: the seeds and clocks every trainer shares.
// Torch-free.
#ifndef FLASHSYNTH_NEURAL_INTERNAL_SEEDS_H_
#define FLASHSYNTH_NEURAL_INTERNAL_SEEDS_H_

#include <chrono>
#include <cstdint>

namespace flashsynth::neural::internal {

// SplitMix64's finalizer: spreads a seed over all 64 bits.
inline uint64_t MixSeed(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The seed of update `step` of a run seeded `seed`: what it draws depends
// on nothing else, so a resumed run draws what the whole run would have.
inline uint64_t StepSeed(uint64_t seed, int64_t step) {
  return MixSeed(seed ^ MixSeed(static_cast<uint64_t>(step)));
}

inline double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace flashsynth::neural::internal

#endif  // FLASHSYNTH_NEURAL_INTERNAL_SEEDS_H_
