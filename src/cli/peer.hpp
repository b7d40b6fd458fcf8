// Running another implementation ("a peer") of the validator, for `spe diff`.
//
// A peer is a shell command (run as `sh -c COMMAND`, the one place a string
// of the user's reaches a shell) that judges one body per run: the body on
// stdin, the revision in SPE_REVISION, SPE_STRICT=1 when the body is to be
// judged strictly; exit 0 accept, 1 reject, 2 malformed; optionally one JSON
// object on stdout. In batch mode the command is started once and judges
// one request line after another (README, "spe diff"). Either way each body
// has a deadline: a peer that hangs is killed (with its whole process group)
// and one that crashes is reported as such -- a peer's failure is an outcome
// to report, never a failure of spe.
//
// Processes are started with posix_spawn (no fork of a big process, no
// shell between spe and the file names: those travel in the environment).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace spe::cli {

// What one body's run of the peer produced.
struct peer_outcome {
  enum class status : unsigned char {
    exited,     // exited normally; `code` is its exit status
    signalled,  // killed by signal `code` (a crash), or /bin/sh reports so (detail)
    replied,    // batch mode: `out` holds the reply line (without its newline)
    timed_out,  // past the deadline: killed
    failed,     // could not be started, or broke the batch protocol; see detail
  };
  status how = status::failed;
  int code = 0;
  std::string out;     // stdout (capped), or the batch reply line
  std::string err;     // the last bytes of stderr (capped), for reports
  std::string detail;  // why, for failed; for signalled, when the shell reported it
};

struct peer_request {
  std::string_view file;      // the corpus file name (SPE_FILE: informational)
  std::string_view revision;  // SPE_REVISION
  bool strict = false;        // SPE_STRICT=1
  std::string_view body;
};

class peer {
 public:
  // `command` runs under /bin/sh -c; `timeout` bounds each body.
  peer(std::string command, bool batch, std::chrono::milliseconds timeout);
  ~peer();
  peer(const peer&) = delete;
  peer& operator=(const peer&) = delete;

  peer_outcome judge(const peer_request& r);

 private:
  struct process;
  peer_outcome judge_once(const peer_request& r);
  peer_outcome judge_batch(const peer_request& r);
  // graceful: EOF on its stdin and a moment to exit, then the kill (the end
  // of a run); at_once: the kill now (a broken protocol, a timeout, an end).
  enum class ending : unsigned char { graceful, at_once };
  void stop_batch(ending how);

  std::string command_;
  bool batch_;
  std::chrono::milliseconds timeout_;
  process* batch_process_ = nullptr;  // owned; started on first use
};

// RFC 4648 base64 (with padding), for bodies in batch request lines.
std::string base64(std::string_view bytes);

}  // namespace spe::cli
