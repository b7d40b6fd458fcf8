// Running a peer command per body or in batch, with pipes, a deadline and a
// process group (peer.hpp).
//
// One poll() loop feeds stdin and drains stdout and stderr together: a peer
// that writes a lot before reading its input, or never reads it, cannot
// deadlock spe. Our ends of the pipes are close-on-exec (no peer inherits
// another's pipes) and the write end is non-blocking. Each peer runs in a
// process group of its own so that a timeout kills what `sh -c` started,
// not just the shell. SIGPIPE is ignored in spe (a peer may exit without
// reading its body) and reset to its default in the peer.
#include "cli/peer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include "cli/cli.hpp"

extern char** environ;

namespace spe::cli {

namespace {

using steady = std::chrono::steady_clock;

// A peer's stdout is a verdict's worth of JSON; more is kept up to this and
// the rest drained and dropped. Of stderr only the tail is kept, for reports.
constexpr std::size_t max_stdout = std::size_t{1} << 20;
constexpr std::size_t max_stderr_tail = 2048;

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

void keep_tail(std::string& tail, const char* data, std::size_t n) {
  tail.append(data, n);
  if (tail.size() > max_stderr_tail) tail.erase(0, tail.size() - max_stderr_tail);
}

// The environment of the peer: ours, minus the protocol's variables, plus
// their values for this run.
std::vector<std::string> peer_environment(const peer_request& r, bool batch) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view v = *e;
    if (v.starts_with("SPE_REVISION=") || v.starts_with("SPE_STRICT=") ||
        v.starts_with("SPE_BATCH=") || v.starts_with("SPE_FILE=")) {
      continue;
    }
    env.emplace_back(v);
  }
  env.push_back("SPE_REVISION=" + std::string(r.revision));
  if (batch) {
    env.emplace_back("SPE_BATCH=1");
  } else {
    env.push_back("SPE_FILE=" + std::string(r.file));
    if (r.strict) env.emplace_back("SPE_STRICT=1");
  }
  return env;
}

}  // namespace

struct peer::process {
  pid_t pid = -1;
  int in = -1;   // our end of its stdin
  int out = -1;  // our end of its stdout
  int err = -1;  // our end of its stderr
  bool reaped = false;
  int wait_status = 0;
  std::string out_buf;
  std::string err_tail;

  ~process() { kill_and_reap(); }

  // Starts `sh -c command`; false with `why` set when it cannot.
  bool start(const std::string& command, const std::vector<std::string>& env, std::string& why) {
    int in_pipe[2] = {-1, -1};
    int out_pipe[2] = {-1, -1};
    int err_pipe[2] = {-1, -1};
    if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
        ::pipe2(err_pipe, O_CLOEXEC) != 0) {
      why = std::string("pipe: ") + std::strerror(errno);
      for (int* p : {in_pipe, out_pipe, err_pipe}) {
        close_fd(p[0]);
        close_fd(p[1]);
      }
      return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, static_cast<short>(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                                       POSIX_SPAWN_SETSIGMASK));

    std::vector<char*> envp;
    envp.reserve(env.size() + 1);
    for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    std::string sh = "sh";
    std::string dash_c = "-c";
    std::string cmd = command;
    char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};
    const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close_fd(in_pipe[0]);
    close_fd(out_pipe[1]);
    close_fd(err_pipe[1]);
    in = in_pipe[1];
    out = out_pipe[0];
    err = err_pipe[0];
    if (rc != 0) {
      pid = -1;
      reaped = true;
      why = std::string("cannot start /bin/sh: ") + std::strerror(rc);
      close_fd(in);
      close_fd(out);
      close_fd(err);
      return false;
    }
    ::fcntl(in, F_SETFL, ::fcntl(in, F_GETFL) | O_NONBLOCK);
    return true;
  }

  // Feeds `input` (from `written` on) and reads stdout and stderr until
  // `done()` says so, both outputs are closed, or the deadline passes.
  // Returns false on the deadline.
  template <class Done>
  bool pump(std::string_view input, std::size_t& written, steady::time_point deadline,
            Done done) {
    char buf[1 << 16];
    // Once the peer itself has ended, whatever it left behind gets a short
    // grace to close the pipes (`cmd &` keeps them open): its exit status is
    // the answer, not the straggler's.
    steady::time_point grace = steady::time_point::max();
    while (!done() && (in >= 0 || out >= 0 || err >= 0)) {
      if (!reaped && ::waitpid(pid, &wait_status, WNOHANG) == pid) {
        reaped = true;
        grace = steady::now() + std::chrono::milliseconds(200);
      }
      if (steady::now() >= grace) {
        ::kill(-pid, SIGKILL);
        break;
      }
      if (in >= 0 && written >= input.size()) {
        if (!done.keep_stdin_open) close_fd(in);
      }
      pollfd fds[3];
      nfds_t n = 0;
      const bool want_write = in >= 0 && written < input.size();
      if (want_write) fds[n++] = {in, POLLOUT, 0};
      if (out >= 0) fds[n++] = {out, POLLIN, 0};
      if (err >= 0) fds[n++] = {err, POLLIN, 0};
      if (n == 0) break;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
      if (left.count() <= 0) return false;
      // Short naps so that the peer's own exit is noticed (above).
      const int ready = ::poll(fds, n, static_cast<int>(std::min<long long>(left.count(), 20)));
      if (ready < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      for (nfds_t i = 0; i < n; ++i) {
        if (fds[i].revents == 0) continue;
        if (fds[i].fd == in) {
          const ssize_t w = ::write(in, input.data() + written,
                                    std::min<std::size_t>(input.size() - written, sizeof buf));
          if (w > 0) {
            written += static_cast<std::size_t>(w);
          } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
            written = input.size();  // EPIPE: the peer will not read the rest
            close_fd(in);
          }
          continue;
        }
        int& fd = fds[i].fd == out ? out : err;
        const ssize_t r = ::read(fd, buf, sizeof buf);
        if (r > 0) {
          const auto got = static_cast<std::size_t>(r);
          if (fd == out) {
            out_buf.append(buf, std::min(got, max_stdout - std::min(max_stdout, out_buf.size())));
          } else {
            keep_tail(err_tail, buf, got);
          }
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
          close_fd(fd);
        }
      }
    }
    return true;
  }

  // Waits for the process to end, until the deadline. False on the deadline.
  bool reap(steady::time_point deadline) {
    if (reaped) return true;
    auto nap = std::chrono::microseconds(50);
    for (;;) {
      const pid_t r = ::waitpid(pid, &wait_status, WNOHANG);
      if (r == pid || (r < 0 && errno != EINTR)) {
        reaped = true;
        return true;
      }
      if (steady::now() >= deadline) return false;
      std::this_thread::sleep_for(nap);
      nap = std::min(nap * 2, std::chrono::microseconds(20000));
    }
  }

  void kill_and_reap() {
    if (!reaped && pid > 0) {
      ::kill(-pid, SIGKILL);  // the whole group: sh and what it started
      while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
      }
      reaped = true;
    }
    close_fd(in);
    close_fd(out);
    close_fd(err);
  }

  peer_outcome ended() const {
    peer_outcome o;
    if (WIFSIGNALED(wait_status)) {
      o.how = peer_outcome::status::signalled;
      o.code = WTERMSIG(wait_status);
    } else if (const int code = WEXITSTATUS(wait_status); code > 128 && code - 128 < NSIG) {
      // The command runs under /bin/sh -c, and a shell whose command was
      // killed by signal N exits 128 + N: unless the command was exec'd,
      // that is how a crash reaches us.
      o.how = peer_outcome::status::signalled;
      o.code = code - 128;
      o.detail = "/bin/sh exited " + std::to_string(code) + ", as it does when its command is killed";
    } else {
      o.how = peer_outcome::status::exited;
      o.code = code;
    }
    o.err = err_tail;
    return o;
  }
};

namespace {

// pump()'s stop condition for a per-body run: never early.
struct until_closed {
  static constexpr bool keep_stdin_open = false;
  bool operator()() const { return false; }
};

// pump()'s stop condition for a batch reply: a whole line on stdout.
struct until_line {
  static constexpr bool keep_stdin_open = true;
  const std::string* buf;
  bool operator()() const { return buf->find('\n') != std::string::npos; }
};

}  // namespace

peer::peer(std::string command, bool batch, std::chrono::milliseconds timeout)
    : command_(std::move(command)), batch_(batch), timeout_(timeout) {
  std::signal(SIGPIPE, SIG_IGN);
}

peer::~peer() { stop_batch(ending::graceful); }

peer_outcome peer::judge(const peer_request& r) {
  return batch_ ? judge_batch(r) : judge_once(r);
}

peer_outcome peer::judge_once(const peer_request& r) {
  const auto deadline = steady::now() + timeout_;
  process p;
  std::string why;
  if (!p.start(command_, peer_environment(r, false), why)) {
    peer_outcome o;
    o.detail = why;
    return o;
  }
  std::size_t written = 0;
  const bool in_time = p.pump(r.body, written, deadline, until_closed{}) && p.reap(deadline);
  if (!in_time) {
    p.kill_and_reap();
    peer_outcome o;
    o.how = peer_outcome::status::timed_out;
    o.out = std::move(p.out_buf);
    o.err = p.err_tail;
    return o;
  }
  peer_outcome o = p.ended();
  o.out = std::move(p.out_buf);
  return o;
}

void peer::stop_batch(ending how) {
  if (!batch_process_) return;
  // EOF on stdin asks a peer that kept the protocol to finish; it gets a
  // moment before the kill. One that broke it is killed at once: it is
  // restarted for the next body, and a peer that breaks the protocol on
  // every body (`yes`) would otherwise cost the grace period per body.
  if (how == ending::graceful) {
    close_fd(batch_process_->in);
    batch_process_->reap(steady::now() + std::min(timeout_, std::chrono::milliseconds(2000)));
  }
  delete batch_process_;  // kills and reaps what is left
  batch_process_ = nullptr;
}

peer_outcome peer::judge_batch(const peer_request& r) {
  const auto deadline = steady::now() + timeout_;
  peer_outcome o;
  if (!batch_process_) {
    auto* p = new process;
    std::string why;
    if (!p->start(command_, peer_environment(r, true), why)) {
      delete p;
      o.detail = why;
      return o;
    }
    batch_process_ = p;
  }
  process& p = *batch_process_;
  p.err_tail.clear();

  std::string line = "{\"file\":";
  json_string(line, r.file);
  line += ",\"revision\":";
  json_string(line, r.revision);
  line += r.strict ? ",\"strict\":true" : ",\"strict\":false";
  line += ",\"body\":\"";
  line += base64(r.body);
  line += "\"}\n";

  std::size_t written = 0;
  if (p.in < 0) {
    o.detail = "the batch peer closed its stdin";
    o.err = p.err_tail;
    stop_batch(ending::at_once);
    return o;
  }
  const bool in_time = p.pump(line, written, deadline, until_line{&p.out_buf});
  const std::size_t nl = p.out_buf.find('\n');
  if (nl != std::string::npos) {
    o.how = peer_outcome::status::replied;
    o.out = p.out_buf.substr(0, nl);
    p.out_buf.erase(0, nl + 1);
    o.err = p.err_tail;
    if (written < line.size()) {
      // A reply before the whole request was read is a protocol breach.
      o.how = peer_outcome::status::failed;
      o.detail = "the batch peer replied before reading the whole request";
      stop_batch(ending::at_once);
    }
    return o;
  }
  if (!in_time) {
    o.how = peer_outcome::status::timed_out;
    o.err = p.err_tail;
    stop_batch(ending::at_once);
    return o;
  }
  // Its stdout closed without a reply: it ended (or closed it and lives on).
  if (!p.reap(deadline)) {
    o.how = peer_outcome::status::timed_out;
    o.err = p.err_tail;
    stop_batch(ending::at_once);
    return o;
  }
  o = p.ended();
  if (o.how == peer_outcome::status::exited) {
    o.how = peer_outcome::status::failed;
    o.detail = "the batch peer exited with status " + std::to_string(o.code) + " without replying";
  }
  stop_batch(ending::at_once);  // it has ended: nothing to wait for
  return o;
}

std::string base64(std::string_view bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += rest == 2 ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace spe::cli
