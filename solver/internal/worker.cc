#include "solver/internal/worker.h"

#include <atomic>
#include <chrono>

namespace flashsynth::solver::internal {

namespace {

std::atomic<int> running_workers{0};

struct DrainWorkersAtExit {
  ~DrainWorkersAtExit() {
    while (running_workers.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
} drain_workers_at_exit;

}  // namespace

void WorkerStarted() { running_workers.fetch_add(1); }
void WorkerFinished() { running_workers.fetch_sub(1); }

}  // namespace flashsynth::solver::internal
