#include "io/testing/run_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace flashsynth::io {
namespace {

// This process's environment, with `extra` ("NAME=VALUE") added over it.
std::vector<std::string> Environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env(extra);
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string var(*e);
    const std::string name = var.substr(0, var.find('='));
    bool replaced = false;
    for (const std::string& x : extra) replaced = replaced || x.compare(0, name.size() + 1, name + "=") == 0;
    if (!replaced) env.push_back(var);
  }
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> p;
  for (std::string& s : strings) p.push_back(s.data());
  p.push_back(nullptr);
  return p;
}

// The pipes to the child: [0] its stdin, [1] its stdout, [2] its stderr;
// each end closes on exec, so the child keeps only the ones dup2'ed.
struct Pipes {
  int fd[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}};
  bool Open() {
    for (auto& p : fd) {
      if (pipe2(p, O_CLOEXEC) != 0) return false;
    }
    return true;
  }
  static void Close(int& f) {
    if (f >= 0) close(f);
    f = -1;
  }
  ~Pipes() {
    for (auto& p : fd) {
      Close(p[0]);
      Close(p[1]);
    }
  }
};

// Starts /bin/sh -c `command` on the child's ends of `pipes`; returns its
// pid, or -1 (errno set).
pid_t Spawn(const std::string& command, const std::vector<std::string>& extra_env, Pipes& pipes) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipes.fd[0][0], 0);
  posix_spawn_file_actions_adddup2(&actions, pipes.fd[1][1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipes.fd[2][1], 2);
  // The child starts with no signal blocked and SIGPIPE at its default.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, pipe_only;
  sigemptyset(&none);
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &pipe_only);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<std::string> args = {"sh", "-c", command};
  std::vector<std::string> env = Environment(extra_env);
  std::vector<char*> argv = Pointers(args), envp = Pointers(env);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    errno = error;
    return -1;
  }
  return pid;
}

// Feeds `input` to fd[0][1] and reads fd[1][0], fd[2][0] to their ends.
// SIGPIPE is blocked meanwhile, so a child that closes its stdin early
// yields EPIPE here, not the end of the test.
void Exchange(const std::string& input, Pipes& pipes, std::string* out, std::string* err) {
  sigset_t pipe_only, old;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  int& in = pipes.fd[0][1];
  fcntl(in, F_SETFL, O_NONBLOCK);
  size_t written = 0;
  if (input.empty()) Pipes::Close(in);
  std::string* sinks[2] = {out, err};
  char buffer[65536];
  while (in >= 0 || pipes.fd[1][0] >= 0 || pipes.fd[2][0] >= 0) {
    pollfd p[3] = {{in, POLLOUT, 0}, {pipes.fd[1][0], POLLIN, 0}, {pipes.fd[2][0], POLLIN, 0}};
    if (poll(p, 3, -1) < 0 && errno != EINTR) break;
    if (in >= 0 && p[0].revents != 0) {
      const ssize_t n = write(in, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) Pipes::Close(in);
    }
    for (int k = 0; k < 2; ++k) {
      int& fd = pipes.fd[k + 1][0];
      if (fd < 0 || p[k + 1].revents == 0) continue;
      const ssize_t n = read(fd, buffer, sizeof buffer);
      if (n > 0) sinks[k]->append(buffer, static_cast<size_t>(n));
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) Pipes::Close(fd);
    }
  }
  // Take a SIGPIPE raised meanwhile, then unblock.
  timespec zero = {0, 0};
  while (sigtimedwait(&pipe_only, nullptr, &zero) == SIGPIPE) {
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

}  // namespace

CommandResult RunCommand(const std::string& command, const RunOptions& options) {
  CommandResult r;
  Pipes pipes;
  if (!pipes.Open()) {
    r.err = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  const pid_t pid = Spawn(command, options.env, pipes);
  if (pid < 0) {
    r.err = std::string("posix_spawn /bin/sh: ") + std::strerror(errno);
    return r;
  }
  Pipes::Close(pipes.fd[0][0]);
  Pipes::Close(pipes.fd[1][1]);
  Pipes::Close(pipes.fd[2][1]);
  Exchange(options.stdin_text, pipes, &r.out, &r.err);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.exit_code = 128 + WTERMSIG(status);
  return r;
}

}  // namespace flashsynth::io
